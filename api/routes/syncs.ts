import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, desc, eq, inArray, lt, or } from 'drizzle-orm';
import { bankConnections, syncRuns, syncs } from '../../db/schema.js';
import { decodeCursor, page } from '../pagination.js';
import { orNotFound } from '../problems.js';
import { Page, PageQuery, Uuid } from '../schemas/common.js';
import { Sync, syncView } from '../schemas/syncs.js';
import { tenantScoped } from '../tenant-scope.js';

/** Syncs and their per-account runs: what was fetched, stored, and what went wrong. */
export const syncRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps.database;

  const withRuns = async (rows: (typeof syncs.$inferSelect)[]) => {
    const runs = rows.length > 0 ? await db.select().from(syncRuns).where(inArray(syncRuns.syncId, rows.map((r) => r.id))).orderBy(syncRuns.startedAt) : [];
    return rows.map((row) => syncView(row, runs.filter((run) => run.syncId === row.id)));
  };

  app.get(
    '/v1/syncs/:syncId',
    { schema: { tags: ['syncs'], summary: 'A sync and its runs', params: Type.Object({ syncId: Uuid }), response: { 200: Sync } } },
    async (request) => {
      const [row] = await db
        .select({ sync: syncs })
        .from(syncs)
        .innerJoin(bankConnections, eq(bankConnections.id, syncs.connectionId))
        .where(tenantScoped(bankConnections, request, eq(syncs.id, request.params.syncId)));
      const [view] = await withRuns([orNotFound(row, 'sync', request.params.syncId).sync]);
      return view!;
    },
  );

  app.get(
    '/v1/connections/:connectionId/syncs',
    {
      schema: {
        tags: ['syncs'],
        summary: "A connection's syncs, newest first",
        params: Type.Object({ connectionId: Uuid }),
        querystring: Type.Object(PageQuery),
        response: { 200: Page(Sync) },
      },
    },
    async (request) => {
      const [connection] = await db
        .select({ id: bankConnections.id })
        .from(bankConnections)
        .where(tenantScoped(bankConnections, request, eq(bankConnections.id, request.params.connectionId)));
      orNotFound(connection, 'connection', request.params.connectionId);
      const { limit = 100, cursor } = request.query;
      const after = cursor ? decodeCursor(cursor, ['instant', 'uuid']) : undefined;
      const rows = await db
        .select()
        .from(syncs)
        .where(
          and(
            eq(syncs.connectionId, request.params.connectionId),
            after ? or(lt(syncs.requestedAt, new Date(after[0])), and(eq(syncs.requestedAt, new Date(after[0])), lt(syncs.id, after[1]))) : undefined,
          ),
        )
        .orderBy(desc(syncs.requestedAt), desc(syncs.id))
        .limit(limit + 1);
      const views = await withRuns(rows.slice(0, limit));
      return page(rows, limit, (row) => views.find((v) => v.id === row.id)!, (row) => [row.requestedAt.toISOString(), row.id]);
    },
  );
};
