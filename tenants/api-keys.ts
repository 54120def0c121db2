import { createHash, randomBytes } from 'node:crypto';

/** Every bankfeed API key starts with this, so people and secret scanners recognise one. */
export const API_KEY_PREFIX = 'bfk_';
// 32 random bytes: 256 bits of entropy, 43 characters of base64url.
const API_KEY_PATTERN = /^bfk_[A-Za-z0-9_-]{43}$/;
/** How much of a key is kept readable to tell keys apart (`bfk_` and 8 characters: 48 of its 256 bits). */
const PREFIX_LENGTH = API_KEY_PREFIX.length + 8;

export interface NewApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  keyHash: string;
  /** The key's first characters, kept to tell keys apart in listings. */
  prefix: string;
}

export function generateApiKey(): NewApiKey {
  const key = API_KEY_PREFIX + randomBytes(32).toString('base64url');
  return { key, keyHash: hashApiKey(key), prefix: key.slice(0, PREFIX_LENGTH) };
}

/** SHA-256, hex: what the database keeps and looks keys up by. A key has 256 random bits, so no salt or slow hash is needed. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** Whether a string has the shape of a bankfeed key; anything else is refused without a database lookup. */
export function isApiKeyShaped(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}
