import { Type, type Static } from '@fastify/type-provider-typebox';
import { NOTIFICATION_EVENTS, type notificationDeliveries, type webhookEndpoints } from '../../db/schema.js';
import { Instant, Nullable, iso, Uuid } from './common.js';

export const NotificationEventName = Type.Enum([...NOTIFICATION_EVENTS]);

export const NewWebhook = Type.Object(
  {
    url: Type.String({ format: 'web-url', maxLength: 2000, description: 'where the signed POSTs go: https to a public address (plain http to loopback only with ALLOW_INSECURE_WEBHOOKS=1)' }),
    events: Type.Optional(
      Type.Array(NotificationEventName, { minItems: 1, uniqueItems: true, description: 'the events to send; left out: every event, new ones included' }),
    ),
  },
  { additionalProperties: false },
);
export type NewWebhook = Static<typeof NewWebhook>;

export const Webhook = Type.Object({
  id: Uuid,
  url: Type.String(),
  events: Nullable(Type.Array(NotificationEventName, { description: 'null: every event' })),
  disabled_at: Nullable(Instant),
  created_at: Instant,
});

export const CreatedWebhook = Type.Object({
  ...Webhook.properties,
  secret: Type.String({ description: 'the signing secret of Bankfeed-Signature: shown this once, keep it' }),
});

export const Delivery = Type.Object({
  id: Uuid,
  notification_id: Uuid,
  event: NotificationEventName,
  attempt: Type.Integer({ minimum: 1, description: 'counts from 1 for each delivery' }),
  status_code: Nullable(Type.Integer({ description: "the receiver's HTTP status; null when it was not reached" })),
  error: Nullable(Type.String({ description: 'why the receiver was not reached (timed out, ECONNREFUSED, refused: 10.0.0.5 is a private address, …)' })),
  succeeded: Type.Boolean(),
  started_at: Instant,
  finished_at: Nullable(Instant),
});

export function webhookView(row: typeof webhookEndpoints.$inferSelect): Static<typeof Webhook> {
  return { id: row.id, url: row.url, events: row.events, disabled_at: iso(row.disabledAt), created_at: row.createdAt.toISOString() };
}

export function deliveryView(row: typeof notificationDeliveries.$inferSelect, event: Static<typeof NotificationEventName>): Static<typeof Delivery> {
  return {
    id: row.id,
    notification_id: row.notificationId,
    event,
    attempt: row.attempt,
    status_code: row.statusCode,
    error: row.error,
    succeeded: row.succeeded,
    started_at: row.startedAt.toISOString(),
    finished_at: iso(row.finishedAt),
  };
}
