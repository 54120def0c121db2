import { and, eq, type Column, type SQL } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';

/**
 * The where clause of a query over a table with a tenant_id: the caller's tenant, and the given
 * conditions. It takes the request, not a tenant id, so the scope can only come from the API key.
 *
 *   .where(tenantScoped(bankConnections, request, eq(bankConnections.id, id)))
 */
export function tenantScoped(table: { tenantId: Column }, request: FastifyRequest, ...conditions: (SQL | undefined)[]): SQL {
  return and(eq(table.tenantId, request.tenantId), ...conditions)!;
}
