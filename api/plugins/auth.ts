import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { findApiKey, markApiKeyUsed, type ApiKeyIdentity } from '../../tenants/store.js';
import { bearerToken } from '../bearer.js';
import { HttpProblem } from '../problems.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered without an API key (health, docs, the bank callback …). Set it with `config: { public: true }` or `publicRoutes()`. */
    public?: boolean;
    /** A POST that writes nothing (a statement preview: its body is a file, too big for a GET): a read-only key may call it. */
    changesNothing?: boolean;
  }
  interface FastifyRequest {
    /** The API key the request authenticated with; null on public routes and before authentication. */
    apiKey: ApiKeyIdentity | null;
    /** The caller's tenant: scope every query by it. Reading it on a public route is a programming error and throws. */
    readonly tenantId: string;
  }
}

/** Marks every route registered in `scope` (a plugin's own instance) as public. */
export function publicRoutes(scope: FastifyInstance) {
  scope.addHook('onRoute', markPublic);
}

function markPublic(route: RouteOptions) {
  route.config = { ...route.config, public: true };
}

/** Whether the request is for a route that needs a key; unknown routes answer 404 whoever asks. */
function needsKey(request: FastifyRequest) {
  return request.routeOptions.url !== undefined && request.routeOptions.config.public !== true;
}

/** What a read-only key may do: read. Every other method on a route that needs a key is a write, unless the route says it changes nothing. */
const READ_METHODS = new Set(['GET', 'HEAD']);

function writes(request: FastifyRequest) {
  return !READ_METHODS.has(request.method) && request.routeOptions.config.changesNothing !== true;
}

/**
 * `Authorization: Bearer <api key>` on every route not marked public. The key is looked up on
 * request (by its hash, no cache: a revoked or expired key fails on the very next request), before
 * rate limiting, so the limit counts per key; a missing or unknown key is refused only after it,
 * so failed attempts count against the caller's IP. A read-only key gets 403 for every method but
 * GET and HEAD: a rule by method, so a route added later is covered without a list to keep; a
 * route that reads with a POST says so with `config: { changesNothing: true }`.
 */
export const authPlugin = fp(
  async (app) => {
    app.decorateRequest('apiKey', null);
    app.decorateRequest('tenantId', {
      getter(this: FastifyRequest) {
        if (!this.apiKey) throw new Error(`tenantId read on ${this.method} ${this.routeOptions.url ?? this.url}, which has no API key`);
        return this.apiKey.tenantId;
      },
    });

    app.addHook('onRequest', async (request) => {
      const token = needsKey(request) ? bearerToken(request) : undefined;
      if (token === undefined) return;
      request.apiKey = (await findApiKey(app.deps.database.db, token)) ?? null;
      if (request.apiKey) await markApiKeyUsed(app.deps.database.db, request.apiKey);
    });

    app.addHook('preParsing', async (request) => {
      if (!needsKey(request)) return;
      if (request.apiKey) {
        if (request.apiKey.scope === 'read_only' && writes(request)) {
          throw new HttpProblem(403, `This API key is read-only: it cannot ${request.method} here. Use a key with full scope.`, { type: 'read-only-key' });
        }
        return;
      }
      const presented = request.headers.authorization !== undefined;
      throw new HttpProblem(
        401,
        presented
          ? 'The API key is not valid: unknown, revoked, expired, or not sent as "Authorization: Bearer <key>".'
          : 'This route needs an API key: send "Authorization: Bearer <key>".',
        { headers: { 'www-authenticate': presented ? 'Bearer realm="bankfeed", error="invalid_token"' : 'Bearer realm="bankfeed"' } },
      );
    });
  },
  { name: 'auth' },
);
