import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, desc, eq, gte, lt, or } from 'drizzle-orm';
import { AUDIT_ACTIONS, auditEvents } from '../../db/schema.js';
import { decodeCursor, page } from '../pagination.js';
import { Instant, Nullable, Page, PageQuery, Uuid } from '../schemas/common.js';
import { tenantScoped } from '../tenant-scope.js';

const Action = Type.Enum([...AUDIT_ACTIONS], { description: 'what was done' });

const AuditEvent = Type.Object({
  id: Uuid,
  occurred_at: Instant,
  actor: Nullable(
    Type.Object({ key_id: Uuid, key_prefix: Type.String() }, { description: 'the API key that did it; null: the command line, or a renewal link from an e-mail' }),
  ),
  request_id: Nullable(Type.String({ description: 'the X-Request-Id of the request' })),
  action: Action,
  target: Type.Object({ type: Type.String(), id: Uuid }),
  details: Type.Record(Type.String(), Type.Unknown(), { description: 'ids, counts and field names; never personal data or secrets' }),
});

const AuditQuery = Type.Object({
  ...PageQuery,
  action: Type.Optional(Action),
  target_id: Type.Optional(Uuid),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'events at or after this instant' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'events before this instant' })),
});

type AuditEventRow = typeof auditEvents.$inferSelect;

const auditEventView = (row: AuditEventRow) => ({
  id: row.id,
  occurred_at: row.occurredAt.toISOString(),
  actor: row.actorKeyId ? { key_id: row.actorKeyId, key_prefix: row.actorKeyPrefix ?? '' } : null,
  request_id: row.requestId,
  action: row.action,
  target: { type: row.targetType, id: row.targetId },
  details: row.details,
});

/** The tenant's audit trail: read only, as the table is append-only. */
export const auditEventRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps.database;

  app.get(
    '/v1/audit-events',
    { schema: { tags: ['tenant'], summary: "The tenant's audit trail, newest first: who changed what, when", querystring: AuditQuery, response: { 200: Page(AuditEvent) } } },
    async (request) => {
      const { limit = 100, cursor, action, target_id: targetId, from, to } = request.query;
      const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : undefined;
      const rows = await db
        .select()
        .from(auditEvents)
        .where(
          tenantScoped(
            auditEvents,
            request,
            action ? eq(auditEvents.action, action) : undefined,
            targetId ? eq(auditEvents.targetId, targetId) : undefined,
            from ? gte(auditEvents.occurredAt, new Date(from)) : undefined,
            to ? lt(auditEvents.occurredAt, new Date(to)) : undefined,
            after ? or(lt(auditEvents.occurredAt, new Date(after[0])), and(eq(auditEvents.occurredAt, new Date(after[0])), lt(auditEvents.id, after[1]))) : undefined,
          ),
        )
        .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
        .limit(limit + 1);
      return page(rows, limit, auditEventView, (row) => [row.occurredAt.toISOString(), row.id]);
    },
  );
};
