import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { tenants } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { audit } from '../audit.js';
import { openEmail, sealEmail } from '../../notifications/recipients.js';
import { orNotFound } from '../problems.js';
import { Nullable } from '../schemas/common.js';

const Tenant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  notification_email: Nullable(Type.String({ description: "who gets the e-mail reminders of connections without a notification_email of their own" })),
  created_at: Type.String({ format: 'date-time' }),
});

const TenantUpdate = Type.Object(
  { notification_email: Nullable(Type.String({ format: 'email', maxLength: 254, description: 'null: no default recipient' })) },
  { additionalProperties: false },
);

/** GET /v1/tenant: the tenant the API key belongs to, so a ledger app can check its key; PATCH sets its defaults. */
export const tenantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  const { db } = database;
  const view = async (request: FastifyRequest) => {
    const [tenant] = await db.select().from(tenants).where(eq(tenants.id, request.tenantId));
    const { id, name, notificationEmail, createdAt } = orNotFound(tenant, 'tenant', request.tenantId);
    return { id, name, notification_email: openEmail(app.deps.secrets, { tenantId: id }, notificationEmail), created_at: createdAt.toISOString() };
  };

  app.get('/v1/tenant', { schema: { tags: ['tenant'], summary: "The API key's tenant", response: { 200: Tenant } } }, view);

  app.patch(
    '/v1/tenant',
    { schema: { tags: ['tenant'], summary: "The tenant's defaults: the e-mail reminders' recipient", body: TenantUpdate, response: { 200: Tenant } } },
    async (request) => {
      await inTransaction(database, async (tx) => {
        await tx.db.update(tenants).set({ notificationEmail: sealEmail(app.deps.secrets, { tenantId: request.tenantId }, request.body.notification_email) }).where(eq(tenants.id, request.tenantId));
        // The field's name only: the address is personal data.
        await audit(tx.db, request, 'tenant.updated', { type: 'tenant', id: request.tenantId }, { fields: Object.keys(request.body) });
      });
      return view(request);
    },
  );
};
