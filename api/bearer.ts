import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/** The token of an `Authorization: Bearer <token>` header, if the request has one. */
export function bearerToken(request: FastifyRequest): string | undefined {
  return /^Bearer +([\x21-\x7e]+) *$/i.exec(request.headers.authorization ?? '')?.[1];
}

/** Whether the request carries `expected` as its bearer token, compared in constant time. */
export function hasBearerToken(request: FastifyRequest, expected: string): boolean {
  const token = bearerToken(request);
  if (token === undefined) return false;
  // Digests have equal lengths, so the comparison leaks neither the token nor its length.
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(token), digest(expected));
}
