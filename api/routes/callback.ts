import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { hashState } from '../../secrets/callback-state.js';
import { bankConnections, consents } from '../../db/schema.js';
import { bankConnectionWorkflowId } from '../../workflows/bank-connection.js';
import { authorizationCompletedSignal } from '../../workflows/messages.js';

const Query = Type.Object({
  state: Type.String({ minLength: 16, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$' }),
  result: Type.Optional(Type.Literal('nok')),
});

/**
 * GET /v1/callback: where the bank sends the user's browser after login. The single-use,
 * expiring `state` names the consent; the workflow hears only the consent's id and the outcome.
 * Then the browser goes on to the ledger's redirect URL with the outcome.
 */
export const callbackRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/callback', { config: { public: true }, schema: { querystring: Query, hide: true } }, async (request, reply) => {
    const { database, temporal } = app.deps;
    const [consent] = await database.db
      .select({ id: consents.id, connectionId: consents.connectionId, redirectUrl: bankConnections.redirectUrl })
      .from(consents)
      .innerJoin(bankConnections, eq(bankConnections.id, consents.connectionId))
      .where(and(eq(consents.stateHash, hashState(request.query.state)), isNull(consents.stateUsedAt), gt(consents.stateExpiresAt, new Date())));
    if (!consent) {
      return reply
        .code(400)
        .type('text/html; charset=utf-8')
        .send(page('This link is no longer valid', 'It was used already or it expired. Start again from your accounting app.'));
    }

    const outcome = request.query.result === 'nok' ? 'nok' : 'ok';
    // The user is here now: the import that follows runs on their behalf (attended).
    await database.db.update(consents).set({ psuIpAddress: request.ip, returnedAt: new Date() }).where(eq(consents.id, consent.id));
    await temporal.workflow.getHandle(bankConnectionWorkflowId(consent.connectionId)).signal(authorizationCompletedSignal, { consentId: consent.id, outcome });
    // Used only once the workflow has it: a failed signal leaves the link usable for another try.
    await database.db.update(consents).set({ stateUsedAt: new Date() }).where(eq(consents.id, consent.id));

    if (!consent.redirectUrl) {
      return reply
        .type('text/html; charset=utf-8')
        .send(outcome === 'ok' ? page('Bank connected', 'You can close this window.') : page('Bank not connected', 'The bank reported that the authorization was cancelled.'));
    }
    const target = new URL(consent.redirectUrl);
    target.searchParams.set('connection_id', consent.connectionId);
    target.searchParams.set('status', outcome === 'ok' ? 'authorized' : 'cancelled');
    return reply.redirect(target.toString(), 303);
  });
};

function page(title: string, text: string): string {
  return `<!doctype html><html lang="en"><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;max-width:32rem;margin:4rem auto"><h1>${title}</h1><p>${text}</p></body></html>`;
}
