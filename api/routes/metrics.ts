import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import type { Metrics } from '../../metrics/registry.js';
import { hasBearerToken } from '../bearer.js';
import { HttpProblem } from '../problems.js';

/**
 * GET /metrics: Prometheus exposition. With a token it needs `Authorization: Bearer <token>`;
 * without one it is open, so it must not be reachable from the internet.
 */
export const metricsRoutes: FastifyPluginAsyncTypebox<{ metrics: Metrics; token: string | undefined }> = async (app, { metrics, token }) => {
  app.get(
    '/metrics',
    {
      config: { public: true },
      schema: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        description: 'Needs `Authorization: Bearer <METRICS_TOKEN>` when METRICS_TOKEN is set.',
        response: { 200: { description: 'Prometheus text exposition format', content: { 'text/plain': { schema: Type.String() } } } },
      },
    },
    async (request, reply) => {
      if (token !== undefined && !hasBearerToken(request, token))
        throw new HttpProblem(401, 'Metrics need "Authorization: Bearer <METRICS_TOKEN>".', {
          headers: { 'www-authenticate': 'Bearer realm="bankfeed-metrics"' },
        });
      return reply.type(metrics.contentType).send(await metrics.exposition());
    },
  );
};
