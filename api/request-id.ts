import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// Short and printable, so an incoming id can go into logs and a response header as it is.
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Fastify's genReqId: the caller's X-Request-Id when it is sane (to follow a request across services), else a new UUID. */
export function requestId(request: IncomingMessage): string {
  const incoming = request.headers['x-request-id'];
  return typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}
