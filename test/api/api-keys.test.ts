import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { apiKeys } from '../../db/schema.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { validRequest } from '../helpers/isolation.js';
import { loadOperations } from '../helpers/openapi.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

async function issue(tenant: TestTenant, payload: Record<string, unknown> = {}) {
  const response = await api.app.inject({ method: 'POST', url: '/v1/tenant/keys', headers: tenant.headers, payload });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ id: string; key: string; prefix: string; scope: string; expires_at: string | null }>();
}

const remove = (tenant: { headers: Record<string, string> }, keyId: string) => api.app.inject({ method: 'DELETE', url: `/v1/tenant/keys/${keyId}`, headers: tenant.headers });
const whoAmI = (key: string) => api.app.inject({ method: 'GET', url: '/v1/tenant', headers: bearer(key) });

test('a new key is shown once; the listing shows its prefix, label, scope and times, never the key or its hash', async () => {
  const tenant = await api.addTenant('Listing');
  const created = await issue(tenant, { label: 'ledger production', scope: 'read_only' });
  expect(created).toMatchObject({ prefix: created.key.slice(0, 12), scope: 'read_only', expires_at: null, last_used_at: null, label: 'ledger production' });
  expect((await whoAmI(created.key)).json()).toMatchObject({ id: tenant.id });

  const listing = await api.app.inject({ method: 'GET', url: '/v1/tenant/keys', headers: tenant.headers });
  expect(listing.statusCode).toBe(200);
  expect(listing.json().data.map((key: { id: string }) => key.id).sort()).toEqual([tenant.keyId, created.id].sort());
  const [row] = await api.database.db.select().from(apiKeys).where(eq(apiKeys.id, created.id));
  expect(listing.body).not.toContain(created.key.slice(12));
  expect(listing.body).not.toContain(row!.keyHash);
  expect(Object.keys(listing.json().data[0]).sort()).toEqual(['created_at', 'expires_at', 'id', 'label', 'last_used_at', 'prefix', 'scope']);
});

test('a revoked key fails on the very next request, with the same 401 as an unknown key', async () => {
  const tenant = await api.addTenant('Rotating');
  const next = await issue(tenant);
  expect((await whoAmI(tenant.key)).statusCode).toBe(200);
  expect((await remove({ headers: bearer(next.key) }, tenant.keyId)).statusCode).toBe(204);
  expectProblem(await whoAmI(tenant.key), 401, 'unauthorized');
  expect((await whoAmI(next.key)).statusCode).toBe(200);
  // Gone from the listing, and a second revocation finds nothing.
  const listing = await api.app.inject({ method: 'GET', url: '/v1/tenant/keys', headers: bearer(next.key) });
  expect(listing.json().data.map((key: { id: string }) => key.id)).toEqual([next.id]);
  expectProblem(await remove({ headers: bearer(next.key) }, tenant.keyId), 404);
});

test("the tenant's last usable full key cannot be revoked; read-only and expired keys do not count", async () => {
  const tenant = await api.addTenant('Last key');
  const readOnly = await issue(tenant, { scope: 'read_only' });
  const soonExpired = await issue(tenant, { expires_at: new Date(Date.now() + 3_600_000).toISOString() });
  await api.database.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, soonExpired.id));
  expectProblem(await remove(tenant, tenant.keyId), 409, 'last-api-key');
  expect((await whoAmI(tenant.key)).statusCode).toBe(200);
  // The others go: an expired key can be removed, a read-only one too.
  expect((await remove(tenant, soonExpired.id)).statusCode).toBe(204);
  expect((await remove(tenant, readOnly.id)).statusCode).toBe(204);
  // Another full key first, then the old one goes.
  const next = await issue(tenant);
  expect((await remove(tenant, tenant.keyId)).statusCode).toBe(204);
  expectProblem(await remove({ headers: bearer(next.key) }, next.id), 409, 'last-api-key');
});

test("another tenant's key id is a 404, and the key stays usable", async () => {
  const owner = await api.addTenant('Owner');
  const other = await api.addTenant('Other');
  await issue(owner);
  expectProblem(await remove(other, owner.keyId), 404);
  expect((await whoAmI(owner.key)).statusCode).toBe(200);
});

describe('expiry', () => {
  test('an expired key is refused like a revoked one, and shows in the listing with its expiry', async () => {
    const tenant = await api.addTenant('Expiring');
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const expiring = await issue(tenant, { expires_at: expiresAt });
    expect(expiring.expires_at).toBe(expiresAt);
    expect((await whoAmI(expiring.key)).statusCode).toBe(200);
    // The database's clock decides; moving the expiry into the past stands in for waiting.
    await api.database.db.update(apiKeys).set({ expiresAt: sql`now() - interval '1 second'` }).where(eq(apiKeys.id, expiring.id));
    expectProblem(await whoAmI(expiring.key), 401, 'unauthorized');
    const listing = await api.app.inject({ method: 'GET', url: '/v1/tenant/keys', headers: tenant.headers });
    expect(listing.json().data.find((key: { id: string }) => key.id === expiring.id)).toMatchObject({ expires_at: expect.any(String) });
  });

  test('an expiry that is not in the future is refused', async () => {
    const tenant = await api.addTenant('Past expiry');
    const response = await api.app.inject({ method: 'POST', url: '/v1/tenant/keys', headers: tenant.headers, payload: { expires_at: '2020-01-01T00:00:00Z' } });
    expectProblem(response, 400);
    expect((await api.app.inject({ method: 'GET', url: '/v1/tenant/keys', headers: tenant.headers })).json().data).toHaveLength(1);
  });
});

test('last_used_at is written at most once a minute per key, not on every request', async () => {
  const tenant = await api.addTenant('Busy');
  const lastUsed = async () => (await api.database.db.select({ at: apiKeys.lastUsedAt }).from(apiKeys).where(eq(apiKeys.id, tenant.keyId)))[0]!.at;
  expect(await lastUsed()).toBeNull();
  await whoAmI(tenant.key);
  const first = await lastUsed();
  expect(first).toBeInstanceOf(Date);
  // Within the minute: no write, whatever the number of requests.
  const recent = new Date(first!.getTime() - 30_000);
  await api.database.db.update(apiKeys).set({ lastUsedAt: recent }).where(eq(apiKeys.id, tenant.keyId));
  for (let i = 0; i < 3; i++) await whoAmI(tenant.key);
  expect(await lastUsed()).toEqual(recent);
  // Older than a minute: the next request notes it.
  const stale = new Date(first!.getTime() - 120_000);
  await api.database.db.update(apiKeys).set({ lastUsedAt: stale }).where(eq(apiKeys.id, tenant.keyId));
  await whoAmI(tenant.key);
  expect((await lastUsed())!.getTime()).toBeGreaterThan(stale.getTime() + 60_000);
});

test('a read-only key reads, and gets 403 on every write operation of the OpenAPI document but the POSTs that change nothing', async () => {
  const tenant = await api.addTenant('Read only');
  const readOnly = await issue(tenant, { scope: 'read_only' });
  expect((await whoAmI(readOnly.key)).statusCode).toBe(200);
  expect((await api.app.inject({ method: 'HEAD', url: '/v1/tenant', headers: bearer(readOnly.key) })).statusCode).toBe(200);

  // Statement previews read a file sent as the body, so they are POSTs; they write nothing.
  const changesNothing = ['POST /v1/accounts/{accountId}/statements/preview', 'POST /v1/statements/preview'];
  const posts = (await loadOperations(api.app)).filter((operation) => !operation.public && !['GET', 'HEAD'].includes(operation.method));
  expect(posts.map((operation) => operation.id)).toEqual(expect.arrayContaining(changesNothing));
  const writes = posts.filter((operation) => !changesNothing.includes(operation.id));
  expect(writes.map((operation) => operation.id)).toEqual(
    expect.arrayContaining(['POST /v1/tenant/keys', 'DELETE /v1/tenant/keys/{keyId}', 'PATCH /v1/tenant', 'POST /v1/webhooks', 'POST /v1/accounts/{accountId}/statements', 'DELETE /v1/accounts/{accountId}']),
  );
  const fixtures = Object.fromEntries(writes.flatMap((operation) => operation.parameters.filter((p) => p.in === 'path').map((p) => [p.name, randomUUID()])));
  for (const operation of writes) {
    const request = validRequest(operation, { fixtures });
    const refused = await api.app.inject({ ...request, headers: { ...request.headers, ...bearer(readOnly.key) } });
    expectProblem(refused, 403, 'read-only-key');
    // The same request with a full key is no 403: the refusal is the scope's, not the request's.
    const allowed = await api.app.inject({ ...request, headers: { ...request.headers, ...tenant.headers } });
    expect(allowed.statusCode, `${operation.id}: ${allowed.body}`).not.toBe(403);
  }
  // Nothing was written with it.
  const events = await api.app.inject({ method: 'GET', url: '/v1/audit-events', headers: tenant.headers });
  expect(events.json().data.filter((event: { actor: { key_id: string } | null }) => event.actor?.key_id === readOnly.id)).toEqual([]);
});
