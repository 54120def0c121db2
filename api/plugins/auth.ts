import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { findApiKey, type ApiKeyIdentity } from '../../tenants/store.js';
import { bearerToken } from '../bearer.js';
import { HttpProblem } from '../problems.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Answered without an API key (health, docs, the bank callback …). Set it with `config: { public: true }` or `publicRoutes()`. */
    public?: boolean;
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

/**
 * `Authorization: Bearer <api key>` on every route not marked public. The key is looked up on
 * request (by its hash), before rate limiting, so the limit counts per key; a missing or unknown
 * key is refused only after it, so failed attempts count against the caller's IP.
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
      if (token !== undefined) request.apiKey = (await findApiKey(app.deps.database.db, token)) ?? null;
    });

    app.addHook('preParsing', async (request) => {
      if (!needsKey(request) || request.apiKey) return;
      const presented = request.headers.authorization !== undefined;
      throw new HttpProblem(
        401,
        presented
          ? 'The API key is not valid: unknown, revoked, or not sent as "Authorization: Bearer <key>".'
          : 'This route needs an API key: send "Authorization: Bearer <key>".',
        { headers: { 'www-authenticate': presented ? 'Bearer realm="bankfeed", error="invalid_token"' : 'Bearer realm="bankfeed"' } },
      );
    });
  },
  { name: 'auth' },
);
