/** Errors as a Berlin Group bank answers them: an HTTP status and a `tppMessages` body. */
import type { FastifyReply } from 'fastify';
import type { ErrorResponse } from '../providers/nextgenpsd2/types.js';

export type TppErrorCode =
  | 'FORMAT_ERROR'
  | 'PARAMETER_NOT_SUPPORTED'
  | 'PERIOD_INVALID'
  | 'CONSENT_UNKNOWN'
  | 'CONSENT_INVALID'
  | 'CONSENT_EXPIRED'
  | 'RESOURCE_UNKNOWN'
  | 'ACCESS_EXCEEDED'
  | 'INTERNAL_SERVER_ERROR'
  | 'SERVICE_UNAVAILABLE';

export class TppError extends Error {
  constructor(
    readonly status: number,
    readonly code: TppErrorCode,
    readonly text: string,
  ) {
    super(`${status} ${code}: ${text}`);
    this.name = 'TppError';
  }
}

export function tppMessages(code: TppErrorCode, text: string): ErrorResponse {
  return { tppMessages: [{ category: 'ERROR', code, text }] };
}

export function sendTppError(reply: FastifyReply, error: TppError): FastifyReply {
  return reply.code(error.status).send(tppMessages(error.code, error.text));
}
