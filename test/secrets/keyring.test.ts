import { describe, expect, test } from 'vitest';
import { generateEncryptionKey } from '../../secrets/encryption-keys.js';
import { DecryptionError, Keyring } from '../../secrets/keyring.js';

const k1 = generateEncryptionKey('k1');
const k2 = generateEncryptionKey('k2');

describe('Keyring', () => {
  test('a string round-trips, in the versioned format that names its key', () => {
    const keyring = new Keyring([k1]);
    const encrypted = keyring.encrypt('access-token-ü-🏦');
    expect(encrypted).toMatch(/^v1\.k1\.[A-Za-z0-9_-]+$/);
    expect(encrypted).not.toContain('access-token');
    expect(keyring.decrypt(encrypted)).toBe('access-token-ü-🏦');
  });

  test('encrypting the same value twice gives different ciphertexts (fresh IV)', () => {
    const keyring = new Keyring([k1]);
    expect(keyring.encrypt('same')).not.toBe(keyring.encrypt('same'));
  });

  test('any altered byte, a swapped key id or another context fails to decrypt', () => {
    const keyring = new Keyring([k1, k2]);
    const encrypted = keyring.encrypt('secret', 'consent:1');
    const [format, keyId, body] = encrypted.split('.') as [string, string, string];
    const bytes = Buffer.from(body, 'base64url');
    for (const index of [0, 12, bytes.length - 1]) {
      const altered = Buffer.from(bytes);
      altered[index]! ^= 0x01;
      expect(() => keyring.decrypt(`${format}.${keyId}.${altered.toString('base64url')}`, 'consent:1')).toThrow(DecryptionError);
    }
    expect(() => keyring.decrypt(`${format}.k2.${body}`, 'consent:1')).toThrow(DecryptionError);
    expect(() => keyring.decrypt(encrypted, 'consent:2')).toThrow(/sealed for another context/);
    expect(keyring.decrypt(encrypted, 'consent:1')).toBe('secret');
  });

  test('rotation: the first key encrypts, every key decrypts, and a retired key is missed by name', () => {
    const before = new Keyring([k1]);
    const old = before.encrypt('token');
    const rotated = new Keyring([k2, k1]);
    expect(rotated.decrypt(old)).toBe('token');
    const fresh = rotated.encrypt('token');
    expect(fresh.startsWith('v1.k2.')).toBe(true);
    expect(() => before.decrypt(fresh)).toThrow('no encryption key with id "k2" is configured');
    expect(() => new Keyring([k2]).decrypt(old)).toThrow(DecryptionError);
  });

  test('malformed ciphertexts are refused as such', () => {
    const keyring = new Keyring([k1]);
    for (const value of ['', 'plain text', 'v2.k1.AAAA', 'v1.k1', 'v1.k1.AAAA', 'v1.k1.a.b'])
      expect(() => keyring.decrypt(value), value).toThrow(DecryptionError);
  });

  test('keys must be 32 bytes with distinct, simple ids', () => {
    expect(() => new Keyring([])).toThrow(/at least one key/);
    expect(() => new Keyring([{ id: 'short', key: Buffer.alloc(16) }])).toThrow(/16 bytes; AES-256 needs 32/);
    expect(() => new Keyring([k1, { ...k2, id: 'k1' }])).toThrow(/k1 appears twice/);
    expect(() => new Keyring([{ ...k1, id: 'no.dots' }])).toThrow(/is not 1-32 letters/);
  });
});
