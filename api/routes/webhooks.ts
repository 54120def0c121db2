import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { webhookSecretContext } from '../../domain/secrets.js';
import { notificationDeliveries, notifications, webhookEndpoints } from '../../db/schema.js';
import { outboundUrlRefusal } from '../../notifications/outbound-url.js';
import { newWebhookSecret } from '../../notifications/webhook-signature.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit.js';
import { decodeCursor, page } from '../pagination.js';
import { HttpProblem, orNotFound } from '../problems.js';
import { Page, PageQuery, Uuid } from '../schemas/common.js';
import { CreatedWebhook, Delivery, deliveryView, NewWebhook, Webhook, webhookView } from '../schemas/webhooks.js';
import { tenantScoped } from '../tenant-scope.js';

const Params = Type.Object({ webhookId: Uuid });

/**
 * The tenant's webhook endpoints: where notices go, signed, and what each delivery attempt met.
 * `allowInsecure` (ALLOW_INSECURE_WEBHOOKS) lets URLs be plain http to loopback hosts.
 */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ allowInsecure: boolean }> = async (app, { allowInsecure }) => {
  const { database, secrets } = app.deps;
  const { db } = database;

  async function load(request: FastifyRequest, webhookId: string) {
    const [row] = await db.select().from(webhookEndpoints).where(tenantScoped(webhookEndpoints, request, eq(webhookEndpoints.id, webhookId)));
    return orNotFound(row, 'webhook', webhookId);
  }

  app.post(
    '/v1/webhooks',
    {
      schema: {
        tags: ['webhooks'],
        summary: 'Add a webhook endpoint; the answer shows its signing secret, once',
        description:
          'Every notice (or the `events` given) is POSTed to `url` as JSON `{id, type, created_at, tenant_id, data}` with the headers ' +
          '`Bankfeed-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`, `Bankfeed-Event` and `Bankfeed-Delivery` (the notice id: dedupe on it). ' +
          'Any 2xx is a delivery; anything else (a redirect included: none is followed) is retried with exponential backoff for a day. 410 Gone disables the endpoint. ' +
          'The URL must be https; an IP address as its host must be a public one (422 `webhook-url-refused` otherwise), and every delivery refuses a host that resolves to an internal address.',
        body: NewWebhook,
        response: { 201: CreatedWebhook },
      },
    },
    async (request, reply) => {
      // The schema made sure it parses (format web-url).
      const refusal = outboundUrlRefusal(new URL(request.body.url), { allowInsecure });
      if (refusal) throw new HttpProblem(422, `The webhook URL is refused: ${refusal}.`, { type: 'webhook-url-refused' });
      const id = randomUUID();
      const secret = newWebhookSecret();
      const row = await inTransaction(database, async (tx) => {
        const [inserted] = await tx.db
          .insert(webhookEndpoints)
          .values({ id, tenantId: request.tenantId, url: request.body.url, events: request.body.events ?? null, secret: secrets.encrypt(secret, webhookSecretContext(id)) })
          .returning();
        // The host, not the URL: its path or query may carry the receiver's own token.
        await audit(tx.db, request, 'webhook.created', { type: 'webhook', id }, { host: new URL(request.body.url).host, events: request.body.events ?? null });
        return inserted;
      });
      return reply.code(201).header('location', `/v1/webhooks/${id}`).send({ ...webhookView(row!), secret });
    },
  );

  app.get(
    '/v1/webhooks',
    { schema: { tags: ['webhooks'], summary: "The tenant's webhook endpoints, newest first (without their secrets)", response: { 200: Type.Object({ data: Type.Array(Webhook) }) } } },
    async (request) => {
      const rows = await db.select().from(webhookEndpoints).where(tenantScoped(webhookEndpoints, request)).orderBy(desc(webhookEndpoints.createdAt), desc(webhookEndpoints.id));
      return { data: rows.map(webhookView) };
    },
  );

  app.delete(
    '/v1/webhooks/:webhookId',
    { schema: { tags: ['webhooks'], summary: 'Remove a webhook endpoint and its delivery log; nothing more is sent to it', params: Params, response: { 204: Type.Null() } } },
    async (request, reply) => {
      const endpoint = await load(request, request.params.webhookId);
      await inTransaction(database, async (tx) => {
        await tx.db.delete(webhookEndpoints).where(eq(webhookEndpoints.id, endpoint.id));
        await audit(tx.db, request, 'webhook.deleted', { type: 'webhook', id: endpoint.id }, { host: new URL(endpoint.url).host });
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/v1/webhooks/:webhookId/deliveries',
    {
      schema: {
        tags: ['webhooks'],
        summary: "The endpoint's delivery attempts, newest first",
        params: Params,
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Delivery) },
      },
    },
    async (request) => {
      const endpoint = await load(request, request.params.webhookId);
      const { limit = 100, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : undefined;
      const rows = await db
        .select({ delivery: notificationDeliveries, event: notifications.event })
        .from(notificationDeliveries)
        .innerJoin(notifications, eq(notifications.id, notificationDeliveries.notificationId))
        .where(
          and(
            eq(notificationDeliveries.endpointId, endpoint.id),
            after
              ? or(
                  lt(notificationDeliveries.startedAt, new Date(after[0])),
                  and(eq(notificationDeliveries.startedAt, new Date(after[0])), lt(notificationDeliveries.id, after[1])),
                )
              : undefined,
          ),
        )
        .orderBy(desc(notificationDeliveries.startedAt), desc(notificationDeliveries.id))
        .limit(limit + 1);
      return page(rows, limit, (row) => deliveryView(row.delivery, row.event), (row) => [row.delivery.startedAt.toISOString(), row.delivery.id]);
    },
  );
};
