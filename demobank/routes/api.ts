/**
 * The NextGenPSD2 API under /v1: what every call goes through (fault switches, the X-Request-ID
 * header, errors as `tppMessages`), then the consent and account routes.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Bank } from '../bank.js';
import { sendTppError, TppError } from '../errors.js';
import type { Endpoint } from '../faults.js';
import { accountRoutes } from './accounts.js';
import { consentRoutes } from './consents.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Which endpoint a route is, for fault scopes. */
    endpoint?: Endpoint;
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function apiRoutes(app: FastifyInstance, { bank }: { bank: Bank }) {
  app.addHook('onRequest', async (request, reply) => {
    const endpoint = request.routeOptions.config.endpoint;
    if (endpoint) {
      const { accountId } = request.params as { accountId?: string };
      const faults = bank.faults.forRequest(endpoint, accountId ? bank.consents.resource(accountId)?.granted.account.iban : undefined);
      if (faults.latencyMs > 0 && !(await pause(faults.latencyMs, request))) return reply.hijack();
      if (faults.holdMs !== undefined) {
        // A bank that never answers: hold the request, then drop the connection.
        await pause(faults.holdMs, request);
        reply.hijack();
        request.raw.socket.destroy();
        return reply;
      }
      if (faults.error) return sendTppError(reply, faults.error);
    }
    const requestId = request.headers['x-request-id'];
    if (typeof requestId !== 'string' || !UUID.test(requestId)) throw new TppError(400, 'FORMAT_ERROR', 'The header X-Request-ID is missing or not a UUID');
    reply.header('X-Request-ID', requestId);
  });

  app.setErrorHandler((error: Error & { statusCode?: number; validation?: unknown; validationContext?: string }, request, reply) => {
    if (error instanceof TppError) return sendTppError(reply, error);
    if (error.validation) return sendTppError(reply, new TppError(400, 'FORMAT_ERROR', `${error.validationContext ?? 'request'}: ${error.message}`));
    if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500)
      return sendTppError(reply, new TppError(400, 'FORMAT_ERROR', error.message));
    request.log.error({ err: error }, 'Demo Bank API failure');
    return sendTppError(reply, new TppError(500, 'INTERNAL_SERVER_ERROR', 'Unexpected failure'));
  });

  await app.register(consentRoutes, { bank });
  await app.register(accountRoutes, { bank });
}

/** Waits `ms` real milliseconds; false when the client or the server closed the connection first. */
async function pause(ms: number, request: FastifyRequest): Promise<boolean> {
  const closed = new AbortController();
  const abort = () => closed.abort();
  request.raw.socket.once('close', abort);
  try {
    await sleep(ms, undefined, { signal: closed.signal });
    return true;
  } catch {
    return false;
  } finally {
    request.raw.socket.off('close', abort);
  }
}
