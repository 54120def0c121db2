import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Metrics } from '../../metrics/registry.js';
import { exampleRoutes } from '../fixtures/example-routes.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({ routes: exampleRoutes });
});

afterAll(async () => {
  await api?.close();
});

describe('request ids', () => {
  test('a sane incoming X-Request-Id is kept and echoed; a missing or odd one is replaced by a UUID', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    const idFor = async (headers: Record<string, string>) => (await api.app.inject({ method: 'GET', url: '/health', headers })).headers['x-request-id'];
    expect(await idFor({ 'x-request-id': 'lb-1234.abc:9_Z-' })).toBe('lb-1234.abc:9_Z-');
    expect(await idFor({})).toMatch(uuid);
    for (const odd of ['has space', 'x'.repeat(129), '<script>', 'ü']) expect(await idFor({ 'x-request-id': odd }), odd).toMatch(uuid);
  });

  test('the request id is on every log line of the request', async () => {
    const lines: { reqId?: string; msg: string }[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(JSON.parse(chunk.toString()))) });
    const app = await api.build({ settings: { loggerInstance: pino(sink) } });
    await app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'follow-me' } });
    expect(lines.filter((line) => line.reqId === 'follow-me').map((line) => line.msg)).toEqual(['incoming request', 'request completed']);
  });

  test("log lines keep the client's network, never its full address", async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(chunk.toString())) });
    const app = await api.build({ settings: { loggerInstance: pino(sink) } });
    await app.inject({ method: 'GET', url: '/health', remoteAddress: '203.0.113.77' });
    await app.inject({ method: 'GET', url: '/health', remoteAddress: '2001:db8:85a3:8d3:1319:8a2e:370:7348' });
    const text = lines.join('');
    expect(text).toContain('"remoteAddress":"203.0.113.0/24"');
    expect(text).toContain('"remoteAddress":"2001:db8:85a3::/48"');
    expect(text).not.toMatch(/203\.0\.113\.77|8a2e|7348/);
  });
});

describe('GET /metrics', () => {
  test('serves process metrics and HTTP counts and durations by route pattern, method and status', async () => {
    const app = await api.build({ routes: exampleRoutes });
    await app.inject({ method: 'GET', url: '/v1/examples/connections/00000000-0000-4000-8000-000000000000', headers: api.tenant.headers });
    await app.inject({ method: 'GET', url: '/v1/not/a/route' });
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(response.body).toContain('process_cpu_seconds_total');
    expect(response.body).toContain('bankfeed_http_requests_total{method="GET",route="/v1/examples/connections/:connectionId",status="404"} 1');
    expect(response.body).toContain('bankfeed_http_requests_total{method="GET",route="unmatched",status="404"} 1');
    expect(response.body).toMatch(/bankfeed_http_request_duration_seconds_count\{method="GET",route="\/v1\/examples\/connections\/:connectionId",status="404"\} 1/);
  });

  test('asks for METRICS_TOKEN when one is set', async () => {
    const app = await api.build({ settings: { metricsToken: 'scrape-token-0123456789' } });
    for (const authorization of [undefined, 'Bearer wrong-token-0123456789', api.tenant.headers.authorization]) {
      const response = await app.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });
      expectProblem(response, 401, 'unauthorized');
      expect(response.headers['www-authenticate']).toBe('Bearer realm="bankfeed-metrics"');
    }
    expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer scrape-token-0123456789' } })).statusCode).toBe(200);
  });

  test('domain metrics can be computed from Postgres at scrape time; label sets that vanish leave the output', async () => {
    const metrics = new Metrics();
    let statuses = ['active', 'expired'];
    metrics.gaugeCollectedOnScrape({
      name: 'bankfeed_example_connections',
      help: 'Connections by status',
      labelNames: ['status'],
      collect: async (gauge) => {
        const rows = await api.database.rows<{ status: string; count: number }>(
          sql`select s as status, 1 as count from unnest(${`{${statuses.join(',')}}`}::text[]) as s`,
        );
        for (const { status, count } of rows) gauge.set({ status }, Number(count));
      },
    });
    const app = await api.build({ deps: { metrics } });
    const scrape = async () => (await app.inject({ method: 'GET', url: '/metrics' })).body.split('\n').filter((line) => line.startsWith('bankfeed_example'));
    expect(await scrape()).toEqual(['bankfeed_example_connections{status="active"} 1', 'bankfeed_example_connections{status="expired"} 1']);
    statuses = ['active'];
    expect(await scrape()).toEqual(['bankfeed_example_connections{status="active"} 1']);
  });
});

describe('OpenAPI', () => {
  test('/docs/json documents every route with its schemas, the bearer scheme, public routes and problem answers', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    expect(document.openapi).toBe('3.1.0');
    expect(document.components.securitySchemes).toEqual({ apiKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }) });
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(Object.keys(document.paths)).toEqual(
      expect.arrayContaining([
        '/codec/decode',
        '/codec/encode',
        '/health',
        '/metrics',
        '/ready',
        '/v1/examples/connections',
        '/v1/examples/connections/{connectionId}',
        '/v1/examples/connections/{connectionId}/sync',
        '/v1/tenant',
      ]),
    );
    for (const url of ['/health', '/ready', '/metrics', '/codec/decode']) expect(document.paths[url].get?.security ?? document.paths[url].post?.security, url).toEqual([]);
    const read = document.paths['/v1/examples/connections/{connectionId}'].get;
    expect(read.security).toBeUndefined();
    expect(read.parameters).toEqual([expect.objectContaining({ in: 'path', name: 'connectionId', required: true, schema: { type: 'string', format: 'uuid' } })]);
    expect(read.responses['4XX'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
    expect(document.components.schemas.Problem.required).toEqual(['type', 'title', 'status', 'detail', 'instance', 'requestId']);
    expect(document.paths['/v1/examples/connections'].post.requestBody.content['application/json'].schema.required).toEqual(['institutionId']);
  });

  test('/docs serves Swagger UI', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/docs' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('swagger-ui');
  });
});
