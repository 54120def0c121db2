import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { embeddedKeyring, formatEncryptionKeys, generateEncryptionKey, parseEncryptionKeys } from '../../secrets/encryption-keys.js';

describe('ENCRYPTION_KEYS', () => {
  test('parses comma-separated keyId:base64 entries, the first one encrypting', () => {
    const keys = [generateEncryptionKey('new'), generateEncryptionKey('old')];
    const keyring = parseEncryptionKeys(formatEncryptionKeys(keys));
    expect(keyring.primaryKeyId).toBe('new');
    expect(keyring.keys.map((key) => key.key)).toEqual(keys.map((key) => key.key));
  });

  test('accepts base64url and unpadded keys', () => {
    const key = generateEncryptionKey('k');
    expect(parseEncryptionKeys(`k:${key.key.toString('base64url')}`).keys[0]!.key).toEqual(key.key);
  });

  test('refuses keys that are not 32 bytes, malformed entries and duplicate ids', () => {
    const key = generateEncryptionKey('k').key.toString('base64');
    for (const value of [`k:${Buffer.alloc(16).toString('base64')}`, `k ${key}`, `k:${key},`, `:${key}`, `k:${key}, j:${key}`])
      expect(() => parseEncryptionKeys(value), value).toThrow(/expected comma-separated keyId:base64key/);
    expect(() => parseEncryptionKeys(`k:${key},k:${key}`)).toThrow(/appears twice/);
  });
});

describe('embeddedKeyring', () => {
  test('generates a key file readable by its owner only on first use, and reuses it after', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bankfeed-keys-'));
    const first = await embeddedKeyring(dataDir);
    expect(first.created).toBe(true);
    expect((await stat(first.path)).mode & 0o777).toBe(0o600);
    const encrypted = first.keyring.encrypt('token');

    const second = await embeddedKeyring(dataDir);
    expect(second.created).toBe(false);
    expect(second.keyring.decrypt(encrypted)).toBe('token');
    expect((await readFile(first.path, 'utf8')).trim()).toBe(formatEncryptionKeys(first.keyring.keys));
  });

  test('a damaged key file stops start-up instead of being replaced', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'bankfeed-keys-'));
    await writeFile(join(dataDir, 'encryption-keys'), 'garbage\n');
    await expect(embeddedKeyring(dataDir)).rejects.toThrow(/is not a valid key file .* restore it from a backup, or set ENCRYPTION_KEYS/);
    expect(await readFile(join(dataDir, 'encryption-keys'), 'utf8')).toBe('garbage\n');
  });
});
