import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Keyring, type EncryptionKey } from './keyring.js';

const ENTRY = '[A-Za-z0-9_-]{1,32}:[A-Za-z0-9+/_-]{43}=?';
/** ENCRYPTION_KEYS: comma-separated `keyId:base64key` entries, each key 32 bytes (44 base64 characters with its `=`). */
export const ENCRYPTION_KEYS_PATTERN = `^${ENTRY}(,${ENTRY})*$`;

/** The file that keeps the embedded mode's generated key, inside DATA_DIR. */
export const KEY_FILE_NAME = 'encryption-keys';

/** Parses ENCRYPTION_KEYS; throws naming the first bad entry (duplicate ids included). */
export function parseEncryptionKeys(value: string): Keyring {
  if (!new RegExp(ENCRYPTION_KEYS_PATTERN).test(value))
    throw new Error('expected comma-separated keyId:base64key entries, each key 32 bytes of base64');
  return new Keyring(
    value.split(',').map((entry) => {
      const [id, key] = entry.split(':') as [string, string];
      return { id, key: Buffer.from(key, 'base64') };
    }),
  );
}

export function formatEncryptionKeys(keys: readonly EncryptionKey[]): string {
  return keys.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');
}

export function generateEncryptionKey(id: string): EncryptionKey {
  return { id, key: randomBytes(32) };
}

/**
 * The embedded mode's keyring: DATA_DIR/encryption-keys, generated on first use (readable by its
 * owner only) and read on every later start, so data encrypted before a restart still decrypts.
 */
export async function embeddedKeyring(dataDir: string): Promise<{ keyring: Keyring; created: boolean; path: string }> {
  const path = join(dataDir, KEY_FILE_NAME);
  const generated = generateEncryptionKey('local1');
  try {
    // wx: never overwrite a key that already encrypted something.
    await writeFile(path, `${formatEncryptionKeys([generated])}\n`, { flag: 'wx', mode: 0o600 });
    return { keyring: new Keyring([generated]), created: true, path };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  const content = (await readFile(path, 'utf8')).trim();
  try {
    return { keyring: parseEncryptionKeys(content), created: false, path };
  } catch (error) {
    throw new Error(`${path} is not a valid key file (${(error as Error).message}); restore it from a backup, or set ENCRYPTION_KEYS`, { cause: error });
  }
}
