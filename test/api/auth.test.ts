import { Type } from '@fastify/type-provider-typebox';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { revokeApiKey } from '../../tenants/store.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi({
    routes: async (scope) => {
      scope.get('/v1/whoami', async (request) => ({ tenantId: request.tenantId }));
      scope.post('/v1/echo', { schema: { body: Type.Object({ a: Type.String() }) } }, async (request) => request.body);
      scope.get('/v1/open', { config: { public: true } }, async () => ({ open: true }));
      scope.get('/v1/open-but-reads-tenant', { config: { public: true } }, async (request) => ({ tenantId: request.tenantId }));
    },
  });
});

afterAll(async () => {
  await api?.close();
});

describe('401', () => {
  test('without a key, with a Bearer challenge', async () => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/tenant' });
    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="bankfeed"');
  });

  test.each([
    ['another scheme', 'Basic YWxhZGRpbjpvcGVuc2VzYW1l'],
    ['an empty bearer', 'Bearer '],
    ['two tokens', `Bearer bfk_${'a'.repeat(43)} extra`],
    ['a token of another shape', 'Bearer not-a-bankfeed-key'],
    ['a well-shaped unknown key', `Bearer bfk_${'a'.repeat(43)}`],
  ])('for %s, as invalid_token', async (_name, authorization) => {
    const response = await api.app.inject({ method: 'GET', url: '/v1/tenant', headers: { authorization } });
    expectProblem(response, 401, 'unauthorized');
    expect(response.headers['www-authenticate']).toBe('Bearer realm="bankfeed", error="invalid_token"');
  });

  test('for a revoked key', async () => {
    const tenant = await api.addTenant('Soon Revoked');
    expect((await api.app.inject({ method: 'GET', url: '/v1/tenant', headers: tenant.headers })).statusCode).toBe(200);
    await revokeApiKey(api.database.db, tenant.keyId);
    expectProblem(await api.app.inject({ method: 'GET', url: '/v1/tenant', headers: tenant.headers }), 401);
  });

  test('comes before parsing: an unauthenticated request with a bad body or content type gets 401, not 400 or 415', async () => {
    for (const contentType of ['application/json', 'application/xml']) {
      const request = { method: 'POST', url: '/v1/echo', payload: '{oops' } as const;
      expectProblem(await api.app.inject({ ...request, headers: { 'content-type': contentType } }), 401);
      expectProblem(await api.app.inject({ ...request, headers: { ...api.tenant.headers, 'content-type': contentType } }), contentType === 'application/json' ? 400 : 415);
    }
  });
});

test('a key authenticates as its tenant: request.tenantId is the key\'s', async () => {
  const other = await api.addTenant('Tenant B');
  for (const tenant of [api.tenant, other]) {
    expect((await api.app.inject({ method: 'GET', url: '/v1/whoami', headers: tenant.headers })).json()).toEqual({ tenantId: tenant.id });
    expect((await api.app.inject({ method: 'GET', url: '/v1/tenant', headers: tenant.headers })).json()).toMatchObject({ id: tenant.id });
  }
  expect((await api.app.inject({ method: 'GET', url: '/v1/tenant', headers: { authorization: `bearer  ${api.tenant.key}` } })).statusCode).toBe(200);
});

test('public routes answer without a key: health, readiness, docs, metrics and routes marked public', async () => {
  for (const url of ['/health', '/ready', '/docs', '/docs/json', '/docs/static/swagger-ui.css', '/metrics', '/v1/open'])
    expect((await api.app.inject({ method: 'GET', url })).statusCode, url).toBe(200);
});

test('reading request.tenantId on a public route is a programming error (500), never an empty scope', async () => {
  expectProblem(await api.app.inject({ method: 'GET', url: '/v1/open-but-reads-tenant', headers: api.tenant.headers }), 500);
});
