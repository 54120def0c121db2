import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';

const CHECK_TIMEOUT_MS = 2000;

const Check = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  error: Type.Optional(Type.String()),
});
const Health = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  checks: Type.Object({ database: Check, temporal: Check }),
});

/**
 * GET /health (liveness, a landed contract) and GET /ready (readiness, for load balancers): can
 * bankfeed reach its database and Temporal? 503 naming the failing check when either is down.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const probes = [
    { url: '/health', summary: 'Liveness: the database and Temporal answer' },
    { url: '/ready', summary: 'Readiness: the database and Temporal answer, so this process can take requests' },
  ];
  for (const { url, summary } of probes) {
    app.get(url, { config: { public: true }, schema: { tags: ['operations'], summary, response: { 200: Health, 503: Health } } }, async (_request, reply) => {
      const { database, temporal } = app.deps;
      const [db, tmp] = await Promise.all([
        check(() => database.rows(sql`select 1`)),
        check(() => temporal.workflowService.getSystemInfo({})),
      ]);
      const up = db.status === 'up' && tmp.status === 'up';
      return reply.code(up ? 200 : 503).send({ status: up ? 'up' : 'down', checks: { database: db, temporal: tmp } });
    });
  }
};

async function check(probe: () => Promise<unknown>) {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: 'up' as const };
  } catch (error) {
    return { status: 'down' as const, error: error instanceof Error ? error.message : String(error) };
  } finally {
    clearTimeout(timer);
  }
}
