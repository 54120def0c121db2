/**
 * What can go wrong talking to a Berlin Group bank, as typed errors that decide what bankfeed
 * does next: consent errors need the user, rate limits wait for the next slot, temporary errors
 * are retried, bad requests are bugs.
 *
 * Messages carry the method, the endpoint path (with its ids), the HTTP status and the bank's
 * code, never the bank's text or any data: they end up in Temporal failure messages, which must
 * hold no IBANs, names or amounts. The bank's text is kept apart, in `bankText`.
 */
import type { TppMessage } from './types.js';

export interface ErrorDetails {
  method: string;
  /** The endpoint path with its ids, without the query. */
  path: string;
  /** HTTP status; 0 when no response came (timeout, connection refused or reset). */
  status: number;
  /** The bank's tppMessages code, e.g. CONSENT_EXPIRED, or a client-side reason such as TIMEOUT. */
  code?: string;
  bankText?: string;
  cause?: unknown;
}

export class NextGenPsd2Error extends Error {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly code: string | undefined;
  readonly bankText: string | undefined;

  constructor(details: ErrorDetails, what?: string) {
    const outcome = details.status === 0 ? (details.code ?? 'no response') : `${details.status}${details.code ? ` ${details.code}` : ''}`;
    super(`${details.method} ${details.path}: ${outcome}${what ? ` (${what})` : ''}`, { cause: details.cause });
    this.name = new.target.name;
    this.method = details.method;
    this.path = details.path;
    this.status = details.status;
    this.code = details.code;
    this.bankText = details.bankText;
  }
}

/** The consent ran out (CONSENT_EXPIRED): the user must authorise a new one. */
export class ConsentExpiredError extends NextGenPsd2Error {}

/** The consent is not (or no longer) valid for this access: revoked, terminated, rejected, or out of scope. */
export class ConsentInvalidError extends NextGenPsd2Error {}

/** The bank does not know the consent. */
export class ConsentUnknownError extends NextGenPsd2Error {}

/** ACCESS_EXCEEDED or any 429: wait for the next slot instead of retrying. */
export class RateLimitedError extends NextGenPsd2Error {
  /** From a Retry-After header, when the bank sends one (the standard defines none). */
  retryAfterMs?: number;
}

/** 5xx, 408, timeouts and connection failures: worth retrying with backoff. */
export class TemporaryError extends NextGenPsd2Error {}

/** Any other 4xx: the request was wrong, retrying it will not help. */
export class BadRequestError extends NextGenPsd2Error {}

/** The bank answered something the standard does not allow (a body of the wrong shape, a link to another host). */
export class ProtocolError extends NextGenPsd2Error {}

/** The typed error of a bank's error response. */
export function errorForResponse(details: Omit<ErrorDetails, 'code' | 'bankText'>, messages: TppMessage[], retryAfter?: string): NextGenPsd2Error {
  const message = messages.find((candidate) => candidate.category === 'ERROR') ?? messages[0];
  const full = { ...details, code: message?.code, bankText: message?.text };
  switch (message?.code) {
    case 'CONSENT_EXPIRED':
      return new ConsentExpiredError(full);
    case 'CONSENT_INVALID':
      return new ConsentInvalidError(full);
    case 'CONSENT_UNKNOWN':
      return new ConsentUnknownError(full);
    case 'ACCESS_EXCEEDED':
      return rateLimited(full, retryAfter);
  }
  if (details.status === 429) return rateLimited(full, retryAfter);
  if (details.status >= 500 || details.status === 408) return new TemporaryError(full);
  return new BadRequestError(full);
}

function rateLimited(details: ErrorDetails, retryAfter: string | undefined): RateLimitedError {
  const error = new RateLimitedError(details);
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - Date.now();
    if (Number.isFinite(ms)) error.retryAfterMs = Math.max(0, ms);
  }
  return error;
}
