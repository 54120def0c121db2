import { createHash, randomBytes } from 'node:crypto';

/**
 * The `state` in the bank callback URL: random, single-use, expiring. Only its hash is stored, so a
 * database read does not hand out callbacks.
 */
export const newCallbackState = () => randomBytes(32).toString('base64url');
export const hashState = (state: string) => createHash('sha256').update(state).digest('hex');
