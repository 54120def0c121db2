import type { Secrets } from '../domain/secrets.js';

/**
 * The renewal link of an e-mail reminder: `${publicUrl}/v1/connections/<id>/renew-link?token=…`.
 * The token is the connection id and an expiry sealed with the keyring (AES-256-GCM, bound to the
 * connection): it cannot be forged, altered, or moved to another connection, and it stops working
 * when it expires. Opening it starts a renewal and sends the browser to the bank.
 */
export const RENEW_LINK_VALID_MS = 30 * 24 * 60 * 60 * 1000;

const context = (connectionId: string) => `renew-link:${connectionId}`;

export function renewLink(secrets: Secrets, publicUrl: string, connectionId: string, now = Date.now()): string {
  const token = secrets.encrypt(String(now + RENEW_LINK_VALID_MS), context(connectionId));
  return `${publicUrl}/v1/connections/${connectionId}/renew-link?token=${encodeURIComponent(token)}`;
}

/** `valid`, `expired`, or `invalid` (not ours, altered, or for another connection). */
export function checkRenewToken(secrets: Secrets, connectionId: string, token: string, now = Date.now()): 'valid' | 'expired' | 'invalid' {
  let expiresAt: number;
  try {
    expiresAt = Number(secrets.decrypt(token, context(connectionId)));
  } catch {
    return 'invalid';
  }
  if (!Number.isFinite(expiresAt)) return 'invalid';
  return expiresAt > now ? 'valid' : 'expired';
}
