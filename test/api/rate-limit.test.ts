import { afterAll, beforeAll, expect, test } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(async () => {
  await api?.close();
});

test('each API key has its own budget per minute; past it, 429 with Retry-After', async () => {
  const app = await api.build({ settings: { rateLimitPerMinute: 3 } });
  const other = await api.addTenant('Tenant B');
  const get = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/v1/tenant', headers });
  for (let i = 0; i < 3; i++) expect((await get(api.tenant.headers)).statusCode).toBe(200);
  const limited = await get(api.tenant.headers);
  expect(expectProblem(limited, 429, 'rate-limited').detail).toMatch(/^More than 3 requests per minute; try again in \d+ (seconds?|minute)\.$/);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
  expect(limited.headers['x-ratelimit-limit']).toBe('3');
  expect((await get(other.headers)).statusCode).toBe(200);
});

test('without a valid key the budget is per IP: public routes, failed authentication and unknown routes share it', async () => {
  const app = await api.build({ settings: { rateLimitPerMinute: 3 } });
  const from = (remoteAddress: string, url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, remoteAddress, headers });
  expect((await from('198.51.100.1', '/health')).statusCode).toBe(200);
  expect((await from('198.51.100.1', '/v1/tenant', { authorization: `Bearer bfk_${'x'.repeat(43)}` })).statusCode).toBe(401);
  expect((await from('198.51.100.1', '/no-such-route')).statusCode).toBe(404);
  expectProblem(await from('198.51.100.1', '/v1/tenant', { authorization: `Bearer bfk_${'y'.repeat(43)}` }), 429);
  expectProblem(await from('198.51.100.1', '/no-such-route'), 429);
  expect((await from('198.51.100.2', '/health')).statusCode).toBe(200);
  // A valid key from the exhausted IP counts against the key, not the IP.
  expect((await from('198.51.100.1', '/v1/tenant', api.tenant.headers)).statusCode).toBe(200);
});
