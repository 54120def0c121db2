import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { eq } from 'drizzle-orm';
import { tenants } from '../../db/schema.js';
import { orNotFound } from '../problems.js';

const Tenant = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
});

/** GET /v1/tenant: the tenant the API key belongs to, so a ledger app can check its key. */
export const tenantRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/tenant', { schema: { tags: ['tenant'], summary: "The API key's tenant", response: { 200: Tenant } } }, async (request) => {
    const [tenant] = await app.deps.database.db.select().from(tenants).where(eq(tenants.id, request.tenantId));
    const { id, name, createdAt } = orNotFound(tenant, 'tenant', request.tenantId);
    return { id, name, created_at: createdAt.toISOString() };
  });
};
