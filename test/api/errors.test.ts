import { Writable } from 'node:stream';
import type { InjectOptions } from 'fastify';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bankConnections } from '../../db/schema.js';
import { exampleRoutes } from '../fixtures/example-routes.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';
import { unreachableTemporalClient } from '../helpers/temporal.js';

let api: TestApi;
let tenant: TestTenant;
let json: Record<string, string>;

beforeAll(async () => {
  api = await startTestApi({ routes: exampleRoutes });
  tenant = api.tenant;
  json = { ...tenant.headers, 'content-type': 'application/json' };
});

afterAll(async () => {
  await api?.close();
});

async function createConnection(status: 'active' | 'disconnected' = 'active', tenantId = tenant.id) {
  const [row] = await api.database.db.insert(bankConnections).values({ tenantId, institutionId: 'DEMOBANK_DE', status }).returning();
  return row!.id;
}

describe('400 for malformed input, with the failing location', () => {
  const cases: [string, InjectOptions & { headers?: Record<string, string> }, string, string][] = [
    ['a body field of the wrong type', { method: 'POST', url: '/v1/examples/connections', payload: { institutionId: 7 } }, 'body/institutionId', 'must be string'],
    ['a one-element array for a string', { method: 'POST', url: '/v1/examples/connections', payload: { institutionId: ['X'] } }, 'body/institutionId', 'must be string'],
    ['a missing required field', { method: 'POST', url: '/v1/examples/connections', payload: {} }, 'body/institutionId', 'is required'],
    ['an unknown field', { method: 'POST', url: '/v1/examples/connections', payload: { institutionId: 'X', histroyDays: 3 } }, 'body/histroyDays', 'is not allowed'],
    ['a number out of range', { method: 'POST', url: '/v1/examples/connections', payload: { institutionId: 'X', historyDays: 0 } }, 'body/historyDays', 'must be >= 1'],
    ['a bad query value', { method: 'GET', url: '/v1/examples/connections?limit=lots' }, 'query/limit', 'must be integer'],
    ['a query value not in the enum', { method: 'GET', url: '/v1/examples/connections?status=happy' }, 'query/status', 'must be equal to one of the allowed values'],
    ['an invalid UUID', { method: 'GET', url: '/v1/examples/connections/42' }, 'params/connectionId', 'must match format "uuid"'],
    ['a urn:uuid: id, which Postgres would refuse', { method: 'GET', url: '/v1/examples/connections/urn:uuid:00000000-0000-4000-8000-000000000000' }, 'params/connectionId', 'must match format "uuid"'],
    ['a bad header', { method: 'POST', url: '/v1/examples/connections/00000000-0000-4000-8000-000000000000/sync', headers: { 'psu-ip-address': 'my laptop' } }, 'headers/psu-ip-address', 'must match format "ipv4"'],
  ];
  test.each(cases)('%s', async (_name, request, location, message) => {
    const response = await api.app.inject({ ...request, headers: { ...tenant.headers, ...request.headers } });
    const problem = expectProblem(response, 400, 'validation-failed');
    expect(problem.errors![0]).toEqual({ location, message });
    expect(problem.detail).toBe(`The request's ${location.split('/')[0]} is not valid: ${location} ${message}.`);
  });

  test('malformed JSON', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: json, payload: '{"institutionId": "X",' });
    expect(expectProblem(response, 400, 'bad-request').detail).toMatch(/not valid JSON/);
  });

  test('an empty body where one is required, with or without a JSON content type', async () => {
    expectProblem(await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: json, payload: '' }), 400, 'bad-request');
    expect(expectProblem(await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: tenant.headers }), 400).errors).toEqual([
      { location: 'body', message: 'must be object' },
    ]);
  });

  test('a JSON body that is not an object', async () => {
    const response = await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: json, payload: '"text"' });
    expect(expectProblem(response, 400, 'validation-failed').errors).toEqual([{ location: 'body', message: 'must be object' }]);
  });

  test('a URL that does not decode', async () => {
    expectProblem(await api.app.inject({ method: 'GET', url: '/v1/examples/connections/%E0%A4%A', headers: tenant.headers }), 400, 'bad-request');
  });

  test('a path parameter longer than the router takes (414)', async () => {
    expectProblem(await api.app.inject({ method: 'GET', url: `/v1/examples/connections/${'a'.repeat(200)}`, headers: tenant.headers }), 414, 'uri-too-long');
  });
});

describe('404', () => {
  test('for unknown routes, with or without a key', async () => {
    for (const headers of [{}, tenant.headers])
      expect(expectProblem(await api.app.inject({ method: 'GET', url: '/v1/nothing-here?x=1', headers }), 404, 'not-found').detail).toBe(
        'There is no route GET /v1/nothing-here.',
      );
  });

  test("for unknown ids and another tenant's ids alike, so neither tells the other apart", async () => {
    const other = await api.addTenant('Tenant B');
    const foreign = await createConnection('active', other.id);
    const unknown = '00000000-0000-4000-8000-000000000000';
    const answers = [];
    for (const id of [foreign, unknown]) {
      const problem = expectProblem(await api.app.inject({ method: 'GET', url: `/v1/examples/connections/${id}`, headers: tenant.headers }), 404, 'not-found');
      answers.push(problem.detail.replace(id, '<id>'));
    }
    expect(answers).toEqual(['There is no connection with id <id>.', 'There is no connection with id <id>.']);
    expect((await api.app.inject({ method: 'GET', url: `/v1/examples/connections/${foreign}`, headers: other.headers })).statusCode).toBe(200);
  });
});

test('405 with Allow for a method a path does not answer', async () => {
  const response = await api.app.inject({ method: 'DELETE', url: '/v1/examples/connections', headers: tenant.headers });
  expect(expectProblem(response, 405, 'method-not-allowed').detail).toBe('DELETE is not allowed on /v1/examples/connections; it answers GET, HEAD, POST.');
  expect(response.headers.allow).toBe('GET, HEAD, POST');
});

test('409 for a state conflict, with the route\'s own problem type', async () => {
  const id = await createConnection('disconnected');
  const response = await api.app.inject({ method: 'POST', url: `/v1/examples/connections/${id}/sync`, headers: tenant.headers });
  expect(expectProblem(response, 409, 'connection-disconnected').detail).toMatch(/disconnected/);
});

test('413 for a body over the limit', async () => {
  const payload = JSON.stringify({ institutionId: 'x'.repeat(1024 * 1024) });
  expectProblem(await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: json, payload }), 413, 'payload-too-large');
});

test('415 for a content type no route parses', async () => {
  const response = await api.app.inject({ method: 'POST', url: '/v1/examples/connections', headers: { ...tenant.headers, 'content-type': 'application/xml' }, payload: '<x/>' });
  expectProblem(response, 415, 'unsupported-media-type');
});

test('503 with Retry-After when a route needs Temporal and it cannot be reached', async () => {
  const nowhere = unreachableTemporalClient();
  const app = await api.build({ routes: exampleRoutes, deps: { temporal: nowhere } });
  const id = await createConnection();
  const response = await app.inject({ method: 'POST', url: `/v1/examples/connections/${id}/sync`, headers: tenant.headers });
  expect(expectProblem(response, 503, 'service-unavailable').detail).toBe('Temporal cannot be reached right now; try again shortly.');
  expect(response.headers['retry-after']).toBe('5');
  await nowhere.connection.close();
});

test('500 without internals for a failing route; the error is logged with the request id', async () => {
  const lines: { level: number; reqId?: string; err?: { message: string } }[] = [];
  const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => done(void lines.push(JSON.parse(chunk.toString()))) });
  const app = await api.build({
    settings: { loggerInstance: pino(sink) },
    routes: async (scope) => {
      scope.get('/v1/broken', async () => {
        throw new Error('connection to 10.0.0.7 refused, password=hunter2');
      });
    },
  });
  const response = await app.inject({ method: 'GET', url: '/v1/broken', headers: { ...tenant.headers, 'x-request-id': 'trace-me-1' } });
  const problem = expectProblem(response, 500, 'internal-error');
  expect(problem.requestId).toBe('trace-me-1');
  expect(response.body).not.toMatch(/10\.0\.0\.7|hunter2|Error:/);
  expect(lines).toContainEqual(expect.objectContaining({ level: 50, reqId: 'trace-me-1', err: expect.objectContaining({ message: expect.stringContaining('hunter2') }) }));
});
