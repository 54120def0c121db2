import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';

const CHECK_TIMEOUT_MS = 2000;

const Check = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  error: Type.Optional(Type.String()),
});
const Ready = Type.Object({
  status: Type.Union([Type.Literal('up'), Type.Literal('down')]),
  checks: Type.Object({ database: Check, temporal: Check }),
});
const Live = Type.Object({ status: Type.Literal('up') });

/**
 * GET /health (liveness: the process answers, so it need not be restarted) and GET /ready
 * (readiness, for load balancers: it can reach its database and Temporal; 503 naming the failing
 * check). Liveness does not look at the dependencies: a Postgres outage must not make an
 * orchestrator restart every healthy bankfeed process.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/health', { config: { public: true }, schema: { tags: ['operations'], summary: 'Liveness: the process answers', response: { 200: Live } } }, async () => ({ status: 'up' as const }));

  app.get(
    '/ready',
    { config: { public: true }, schema: { tags: ['operations'], summary: 'Readiness: the database and Temporal answer, so this process can take requests', response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const { database, temporal } = app.deps;
      const [db, tmp] = await Promise.all([check(() => database.rows(sql`select 1`)), check(() => temporal.workflowService.getSystemInfo({}))]);
      const up = db.status === 'up' && tmp.status === 'up';
      return reply.code(up ? 200 : 503).send({ status: up ? 'up' : 'down', checks: { database: db, temporal: tmp } });
    },
  );
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
