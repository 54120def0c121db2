/**
 * The webhook routes and the renewal link through inject(): shapes, the secret shown once and
 * sealed at rest, tenant scoping, and every error a client can cause.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bankConnections, notificationDeliveries, notifications, webhookEndpoints } from '../../db/schema.js';
import { renewLink } from '../../notifications/renew-link.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';

let api: TestApi;
let other: TestTenant;

beforeAll(async () => {
  api = await startTestApi();
  other = await api.addTenant('Other');
});
afterAll(() => api?.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = api.tenant.headers) =>
  api.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as object }) });

test('create shows the signing secret once; it is sealed at rest; list and delete', async () => {
  const created = await call('POST', '/v1/webhooks', { url: 'https://ledger.example/hooks', events: ['consent.expiring', 'consent.expired'] });
  expect(created.statusCode, created.body).toBe(201);
  const body = created.json();
  expect(body).toEqual({
    id: expect.any(String),
    url: 'https://ledger.example/hooks',
    events: ['consent.expiring', 'consent.expired'],
    disabled_at: null,
    created_at: expect.any(String),
    secret: expect.stringMatching(/^whsec_/),
  });
  expect(created.headers.location).toBe(`/v1/webhooks/${body.id}`);
  const [row] = await api.database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, body.id));
  expect(row!.secret).not.toContain(body.secret);
  expect(api.temporal.keyring.decrypt(row!.secret, `webhook:${body.id}`)).toBe(body.secret);

  const all = await call('POST', '/v1/webhooks', { url: 'https://ledger.example/all' });
  expect(all.json().events).toBeNull();
  const listed = await call('GET', '/v1/webhooks');
  expect(listed.statusCode).toBe(200);
  expect(listed.json().data.map((w: { id: string }) => w.id)).toEqual([all.json().id, body.id]);
  expect(listed.body).not.toContain('whsec_');
  expect((await call('GET', '/v1/webhooks', undefined, other.headers)).json().data).toEqual([]);

  expect((await call('DELETE', `/v1/webhooks/${all.json().id}`)).statusCode).toBe(204);
  expectProblem(await call('DELETE', `/v1/webhooks/${all.json().id}`), 404, 'not-found');
  expect((await call('GET', '/v1/webhooks')).json().data).toHaveLength(1);
});

test('the delivery log lists the attempts, newest first, page by page', async () => {
  const endpoint = (await call('POST', '/v1/webhooks', { url: 'https://ledger.example/log' })).json();
  const [connection] = await api.database.db.insert(bankConnections).values({ tenantId: api.tenant.id, institutionId: 'DEMOBANK', status: 'active' }).returning();
  const [notice] = await api.database.db
    .insert(notifications)
    .values({ tenantId: api.tenant.id, connectionId: connection!.id, event: 'consent.expiring', payload: { days_left: 7 }, dedupKey: randomUUID() })
    .returning();
  const base = Date.now() - 10_000;
  await api.database.db.insert(notificationDeliveries).values([
    { notificationId: notice!.id, target: `webhook:${endpoint.id}`, endpointId: endpoint.id, attempt: 1, error: 'ECONNREFUSED', startedAt: new Date(base), finishedAt: new Date(base + 5) },
    { notificationId: notice!.id, target: `webhook:${endpoint.id}`, endpointId: endpoint.id, attempt: 2, statusCode: 500, startedAt: new Date(base + 1000), finishedAt: new Date(base + 1005) },
    { notificationId: notice!.id, target: `webhook:${endpoint.id}`, endpointId: endpoint.id, attempt: 3, statusCode: 204, succeeded: true, startedAt: new Date(base + 2000), finishedAt: new Date(base + 2005) },
  ]);
  const first = await call('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=2`);
  expect(first.statusCode, first.body).toBe(200);
  expect(first.json().data).toMatchObject([
    { notification_id: notice!.id, event: 'consent.expiring', attempt: 3, status_code: 204, error: null, succeeded: true },
    { attempt: 2, status_code: 500, succeeded: false },
  ]);
  const second = await call('GET', `/v1/webhooks/${endpoint.id}/deliveries?limit=2&cursor=${first.json().next_cursor}`);
  expect(second.json()).toMatchObject({ data: [{ attempt: 1, status_code: null, error: 'ECONNREFUSED' }], next_cursor: null });
  expectProblem(await call('GET', `/v1/webhooks/${endpoint.id}/deliveries`, undefined, other.headers), 404, 'not-found');
});

test('malformed input is a 400 problem and creates nothing', async () => {
  const before = (await call('GET', '/v1/webhooks')).json().data.length;
  for (const payload of [
    {},
    { url: 'ftp://ledger.example/hooks' },
    { url: 'not a url' },
    { url: 'https://ledger.example/hooks', events: [] },
    { url: 'https://ledger.example/hooks', events: ['consent.renewed'] },
    { url: 'https://ledger.example/hooks', events: ['consent.expired', 'consent.expired'] },
    { url: 'https://ledger.example/hooks', secret: 'mine' },
    { url: 7 },
  ]) {
    expectProblem(await call('POST', '/v1/webhooks', payload), 400, 'validation-failed');
  }
  expectProblem(await api.app.inject({ method: 'POST', url: '/v1/webhooks', headers: { ...api.tenant.headers, 'content-type': 'application/json' }, payload: '{"url":' }), 400);
  expectProblem(await call('DELETE', '/v1/webhooks/not-a-uuid'), 400, 'validation-failed');
  expectProblem(await call('GET', '/v1/webhooks/not-a-uuid/deliveries'), 400, 'validation-failed');
  expectProblem(await call('GET', `/v1/webhooks/${randomUUID()}/deliveries?cursor=bm9wZQ`), 404);
  const own = (await call('GET', '/v1/webhooks')).json().data[0].id;
  expectProblem(await call('GET', `/v1/webhooks/${own}/deliveries?cursor=bm9wZQ`), 400, 'invalid-cursor');
  const forged = Buffer.from(JSON.stringify(['not a date', randomUUID()])).toString('base64url');
  expectProblem(await call('GET', `/v1/webhooks/${own}/deliveries?cursor=${forged}`), 400, 'invalid-cursor');
  expect((await call('GET', '/v1/webhooks')).json().data).toHaveLength(before);
});

test('an http URL or an internal IP address is refused (422) naming why; in development http to loopback is allowed', async () => {
  const before = (await call('GET', '/v1/webhooks')).json().data.length;
  for (const [url, why] of <[string, string][]>[
    ['http://ledger.example/hooks', 'plain http is refused: https only'],
    ['http://127.0.0.1:8080/hooks', 'plain http is refused: https only'],
    ['https://127.0.0.1:8443/hooks', '127.0.0.1 is a loopback address'],
    ['https://localhost/hooks', 'localhost is a loopback host'],
    ['https://10.0.0.5/hooks', '10.0.0.5 is a private address'],
    ['https://169.254.169.254/latest/meta-data', '169.254.169.254 is the cloud metadata address'],
    ['https://[fd00:ec2::254]/', 'fd00:ec2::254 is the cloud metadata address'],
    ['https://[::ffff:192.168.0.1]/', '::ffff:c0a8:1 is a private address'],
    ['https://[fe80::1]/', 'fe80::1 is a link-local address'],
    ['https://0x0a.0.0.5/', '10.0.0.5 is a private address'],
  ]) {
    const problem = expectProblem(await call('POST', '/v1/webhooks', { url }), 422, 'webhook-url-refused');
    expect(problem.detail, url).toBe(`The webhook URL is refused: ${why}.`);
  }
  expect((await call('GET', '/v1/webhooks')).json().data).toHaveLength(before);

  const development = await api.build({ settings: { allowInsecureWebhooks: true } });
  const create = (url: string) => development.inject({ method: 'POST', url: '/v1/webhooks', headers: api.tenant.headers, payload: { url } });
  for (const url of ['http://127.0.0.1:8080/hooks', 'http://localhost:3001/hooks', 'http://[::1]:8080/', 'https://ledger.example/hooks'])
    expect((await create(url)).statusCode, url).toBe(201);
  for (const [url, why] of <[string, string][]>[
    ['http://ledger.example/hooks', 'plain http reaches loopback hosts only, and ledger.example is not one'],
    ['http://10.0.0.5/hooks', 'plain http reaches loopback hosts only, and 10.0.0.5 is not one'],
    ['https://192.168.1.10/hooks', '192.168.1.10 is a private address'],
  ]) {
    expect(expectProblem(await create(url), 422, 'webhook-url-refused').detail, url).toBe(`The webhook URL is refused: ${why}.`);
  }
});

test("another tenant's endpoint and an unknown id are the same 404; no key is a 401", async () => {
  const mine = (await call('POST', '/v1/webhooks', { url: 'https://ledger.example/mine' })).json();
  expectProblem(await call('DELETE', `/v1/webhooks/${mine.id}`, undefined, other.headers), 404, 'not-found');
  expectProblem(await call('DELETE', `/v1/webhooks/${randomUUID()}`), 404, 'not-found');
  expect((await call('GET', '/v1/webhooks')).json().data.map((w: { id: string }) => w.id)).toContain(mine.id);
  for (const [method, url] of [
    ['GET', '/v1/webhooks'],
    ['POST', '/v1/webhooks'],
    ['DELETE', `/v1/webhooks/${mine.id}`],
    ['GET', `/v1/webhooks/${mine.id}/deliveries`],
  ] as const) {
    expectProblem(await call(method, url, method === 'POST' ? { url: 'https://x.example' } : undefined, {}), 401, 'unauthorized');
  }
});

test('the OpenAPI document has the webhook operations', async () => {
  const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
  expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/v1/webhooks', '/v1/webhooks/{webhookId}', '/v1/webhooks/{webhookId}/deliveries', '/v1/connections/{connectionId}/renew-link']));
});

test('a renewal link that is forged, for another connection, or expired answers a problem and starts nothing', async () => {
  const [connection] = await api.database.db.insert(bankConnections).values({ tenantId: api.tenant.id, institutionId: 'DEMOBANK', status: 'expiring' }).returning();
  const [another] = await api.database.db.insert(bankConnections).values({ tenantId: api.tenant.id, institutionId: 'DEMOBANK', status: 'expiring' }).returning();
  const keyring = api.temporal.keyring;
  const link = (connectionId: string, now?: number) => new URL(renewLink(keyring, 'http://x', connectionId, now));
  const open = (url: string) => api.app.inject({ method: 'GET', url });
  const valid = link(connection!.id);
  // The token of another connection, swapped in.
  expectProblem(await open(`/v1/connections/${connection!.id}/renew-link${link(another!.id).search}`), 404, 'not-found');
  expectProblem(await open(`/v1/connections/${connection!.id}/renew-link?token=v1.k1.AAAA`), 404, 'not-found');
  expectProblem(await open(`/v1/connections/${connection!.id}/renew-link?token=${valid.searchParams.get('token')!.slice(0, -2)}`), 404, 'not-found');
  expectProblem(await open(`/v1/connections/${connection!.id}/renew-link${link(connection!.id, Date.now() - 31 * 86_400_000).search}`), 400, 'renew-link-expired');
  expectProblem(await open(`/v1/connections/${connection!.id}/renew-link`), 400, 'validation-failed');
  expectProblem(await open(`/v1/connections/nope/renew-link${valid.search}`), 400, 'validation-failed');
  await api.database.db.update(bankConnections).set({ status: 'disconnected' }).where(eq(bankConnections.id, connection!.id));
  expectProblem(await open(`${valid.pathname}${valid.search}`), 409, 'connection-disconnected');
});

test("the tenant's default reminder recipient: set, shown, cleared; malformed is a 400", async () => {
  const patch = (payload: unknown, headers = api.tenant.headers) => api.app.inject({ method: 'PATCH', url: '/v1/tenant', headers, payload: payload as object });
  expect((await call('GET', '/v1/tenant')).json().notification_email).toBeNull();
  const set = await patch({ notification_email: 'books@firma.example' });
  expect(set.statusCode, set.body).toBe(200);
  expect(set.json()).toMatchObject({ id: api.tenant.id, notification_email: 'books@firma.example' });
  expect((await call('GET', '/v1/tenant', undefined, other.headers)).json().notification_email).toBeNull();
  for (const payload of [{}, { notification_email: 'not an address' }, { notification_email: 7 }, { notification_email: 'a@b.example', name: 'x' }]) {
    expectProblem(await patch(payload), 400, 'validation-failed');
  }
  expectProblem(await patch({ notification_email: null }, {} as typeof api.tenant.headers), 401, 'unauthorized');
  expect((await patch({ notification_email: null })).json().notification_email).toBeNull();
});
