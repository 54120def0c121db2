import fp from 'fastify-plugin';
import type { Metrics } from '../../metrics/registry.js';

/** Counts every answered request and its duration, by method, route pattern (not URL: bounded) and status. */
export const httpMetricsPlugin = fp<{ metrics: Metrics }>(
  async (app, { metrics }) => {
    const labelNames = ['method', 'route', 'status'] as const;
    const requests = metrics.counter({ name: 'bankfeed_http_requests_total', help: 'HTTP requests answered by the API', labelNames });
    const duration = metrics.histogram({
      name: 'bankfeed_http_request_duration_seconds',
      help: 'Time from receiving an HTTP request to finishing its answer',
      labelNames,
    });
    app.addHook('onResponse', async (request, reply) => {
      const labels = { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) };
      requests.inc(labels);
      duration.observe(labels, reply.elapsedTime / 1000);
    });
  },
  { name: 'http-metrics' },
);
