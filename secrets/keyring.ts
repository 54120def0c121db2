import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** A 32-byte AES-256 key and the id stored beside everything it encrypts, so rotation can find it again. */
export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export const KEY_ID_PATTERN = /^[A-Za-z0-9_-]{1,32}$/;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The string format's version; bump it (and keep reading the old one) if the layout ever changes. */
const FORMAT = 'v1';

export class DecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DecryptionError';
  }
}

/**
 * AES-256-GCM with several keys: the first encrypts, every one decrypts. Rotating means putting a
 * new key first and keeping the old ones until everything they sealed has been re-encrypted.
 */
export class Keyring {
  private readonly byId: Map<string, Buffer>;

  constructor(readonly keys: readonly EncryptionKey[]) {
    if (keys.length === 0) throw new Error('a keyring needs at least one key');
    this.byId = new Map();
    for (const { id, key } of keys) {
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`key id ${JSON.stringify(id)} is not 1-32 letters, digits, _ or -`);
      if (key.length !== 32) throw new Error(`key ${id} has ${key.length} bytes; AES-256 needs 32`);
      if (this.byId.has(id)) throw new Error(`key id ${id} appears twice`);
      this.byId.set(id, key);
    }
  }

  /** The id of the key that encrypts. */
  get primaryKeyId(): string {
    return this.keys[0]!.id;
  }

  /** Encrypts with the primary key: IV, ciphertext and tag in one buffer. `associatedData` must match on decryption. */
  seal(plaintext: Uint8Array, associatedData?: Uint8Array): { keyId: string; sealed: Buffer } {
    const { id, key } = this.keys[0]!;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    if (associatedData) cipher.setAAD(associatedData);
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return { keyId: id, sealed: Buffer.concat([iv, ciphertext, cipher.getAuthTag()]) };
  }

  /** Reverses `seal`; throws DecryptionError for an unknown key id or anything altered. */
  open(keyId: string, sealed: Uint8Array, associatedData?: Uint8Array): Buffer {
    const key = this.byId.get(keyId);
    if (!key) throw new DecryptionError(`no encryption key with id ${JSON.stringify(keyId)} is configured`);
    if (sealed.length < IV_BYTES + TAG_BYTES) throw new DecryptionError('the ciphertext is too short');
    const iv = sealed.subarray(0, IV_BYTES);
    const tag = sealed.subarray(sealed.length - TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    if (associatedData) decipher.setAAD(associatedData);
    decipher.setAuthTag(tag);
    try {
      return Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
    } catch {
      throw new DecryptionError(`the ciphertext does not authenticate with key ${keyId}: altered, or sealed for another context`);
    }
  }

  /**
   * Encrypts a string for a database column: `v1.<keyId>.<base64url(iv | ciphertext | tag)>`.
   * `context` (say `consent:<id>`) binds the value to its row, so a ciphertext copied into another
   * row does not decrypt there.
   */
  encrypt(plaintext: string, context = ''): string {
    const { keyId, sealed } = this.seal(Buffer.from(plaintext, 'utf8'), header(this.primaryKeyId, context));
    return `${FORMAT}.${keyId}.${sealed.toString('base64url')}`;
  }

  decrypt(encrypted: string, context = ''): string {
    const [format, keyId, body, ...rest] = encrypted.split('.');
    if (format !== FORMAT || !keyId || body === undefined || rest.length > 0)
      throw new DecryptionError(`not a ${FORMAT} encrypted value`);
    return this.open(keyId, Buffer.from(body, 'base64url'), header(keyId, context)).toString('utf8');
  }
}

// The format and key id are authenticated with the ciphertext, so neither can be swapped.
function header(keyId: string, context: string) {
  return Buffer.from(`${FORMAT}.${keyId}.${context}`, 'utf8');
}
