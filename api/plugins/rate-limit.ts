import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { HttpProblem } from '../problems.js';

/**
 * `perMinute` requests per minute per API key, and per IP for requests without a valid key
 * (public routes, failed authentication, unknown routes). Counters live in this process: N API
 * processes behind a load balancer allow up to N times the limit.
 */
export const rateLimitPlugin = fp<{ perMinute: number }>(
  async (app, { perMinute }) => {
    await app.register(rateLimit, {
      max: perMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => (request.apiKey ? `key:${request.apiKey.keyId}` : `ip:${request.ip}`),
      // Retry-After and the X-RateLimit-* headers are set by the plugin before this is thrown.
      errorResponseBuilder: (_request, { max, after }) =>
        new HttpProblem(429, `More than ${max} requests per minute; try again in ${after}.`),
    });
  },
  { name: 'rate-limit', dependencies: ['auth'] },
);
