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

test("behind a trusted proxy the client is X-Forwarded-For's address; from anyone else the header counts for nothing", async () => {
  const limitOne = async (trustProxy: false | number | string[]) => {
    const app = await api.build({ settings: { rateLimitPerMinute: 1, trustProxy } });
    // One proxy at 10.1.2.3 in front, two clients behind it; and a client that forges the header.
    return (remoteAddress: string, client: string) => app.inject({ method: 'GET', url: '/health', remoteAddress, headers: { 'x-forwarded-for': client } });
  };
  for (const trusted of [1, ['10.0.0.0/8']]) {
    const through = await limitOne(trusted);
    expect((await through('10.1.2.3', '203.0.113.7')).statusCode).toBe(200);
    expect((await through('10.1.2.3', '203.0.113.8')).statusCode, `TRUST_PROXY ${JSON.stringify(trusted)}`).toBe(200);
    expect((await through('10.1.2.3', '203.0.113.7')).statusCode).toBe(429);
  }
  const direct = await limitOne(false);
  expect((await direct('10.1.2.3', '203.0.113.7')).statusCode).toBe(200);
  expect((await direct('10.1.2.3', '203.0.113.8')).statusCode).toBe(429);
  // A CIDR list trusts only those proxies: a client outside it cannot pick its own address.
  const listed = await limitOne(['10.0.0.0/8']);
  expect((await listed('198.51.100.9', '203.0.113.7')).statusCode).toBe(200);
  expect((await listed('198.51.100.9', '203.0.113.99')).statusCode).toBe(429);
});
