import type { FastifyRequest } from 'fastify';

/**
 * After a change to what matching reads (parties, rules, a confirmation, the invoice-number
 * pattern) has committed: the tenant's existing transactions are matched again in the background.
 * The change is in whatever Temporal answers, so a failure to ask is logged, not the request's
 * answer: new transactions match by the change at once, existing ones with the next request.
 */
export async function rematchAfterChange(request: FastifyRequest): Promise<void> {
  try {
    await request.server.deps.rematch.request(request.tenantId);
  } catch (error) {
    request.log.error({ err: error }, 're-matching the tenant’s transactions could not be started');
  }
}
