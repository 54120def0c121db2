import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Webhook signatures, Stripe style: `Bankfeed-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256>`
 * of `<t>.<raw body>` with the endpoint's secret. The timestamp is signed, so a captured request
 * cannot be replayed later than the receiver's tolerance.
 */
export const SIGNATURE_HEADER = 'bankfeed-signature';
export const EVENT_HEADER = 'bankfeed-event';
export const DELIVERY_HEADER = 'bankfeed-delivery';

/** A new signing secret: `whsec_` and 32 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

/** The Bankfeed-Signature header value for `body` sent at `timestamp` (unix seconds). */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/**
 * Whether `header` signs `body` (the raw request body, byte for byte as received) with `secret`,
 * within `toleranceSeconds` of `now` (unix seconds). Any of several v1 signatures may match.
 */
export function verifyWebhook(secret: string, body: string, header: string | undefined, options: { toleranceSeconds?: number; now?: number } = {}): boolean {
  if (!header) return false;
  const { toleranceSeconds = 300, now = Math.floor(Date.now() / 1000) } = options;
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(parts.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), 'hex');
  return parts.some(([key, value]) => {
    if (key !== 'v1' || !value || !/^[0-9a-f]{64}$/.test(value)) return false;
    return timingSafeEqual(Buffer.from(value, 'hex'), expected);
  });
}
