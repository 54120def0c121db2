import { readFileSync } from 'node:fs';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { auditEvents, consents } from '../../db/schema.js';
import { renewLink } from '../../notifications/renew-link.js';
import { BUILT_IN_CSV_PRESETS } from '../../statements/index.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';
import { expectProblem } from '../helpers/problem.js';

const DE_IBAN = 'DE89370400440532013000';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/statements/${name}`, import.meta.url));

interface Event {
  id: string;
  occurred_at: string;
  actor: { key_id: string; key_prefix: string } | null;
  request_id: string | null;
  action: string;
  target: { type: string; id: string };
  details: Record<string, unknown>;
}

/** Every event the tenant sees, newest first, page by page. */
async function trail(app: TestApi['app'], headers: Record<string, string>, query = ''): Promise<Event[]> {
  const events: Event[] = [];
  let cursor: string | null = null;
  do {
    const url: string = `/v1/audit-events?limit=3${query}${cursor ? `&cursor=${cursor}` : ''}`;
    const response = await app.inject({ method: 'GET', url, headers });
    expect(response.statusCode, response.body).toBe(200);
    const body: { data: Event[]; next_cursor: string | null } = response.json();
    events.push(...body.data);
    cursor = body.next_cursor;
  } while (cursor);
  return events;
}

const countByAction = (events: Event[]) => Object.fromEntries([...new Set(events.map((e) => e.action))].map((action) => [action, events.filter((e) => e.action === action).length]));

describe('on the API', () => {
  let api: TestApi;
  let tenant: TestTenant;
  const requestIds = new Map<string, string>();

  beforeAll(async () => {
    api = await startTestApi();
    tenant = await api.addTenant('Audited');
  });
  afterAll(async () => {
    await api?.close();
  });

  async function call(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, payload?: unknown, contentType?: string) {
    const response = await api.app.inject({
      method,
      url,
      headers: { ...tenant.headers, ...(contentType && { 'content-type': contentType }) },
      ...(payload !== undefined && { payload: payload as string }),
    });
    return response;
  }

  test('each change is recorded exactly once, with its key, request and target; failed requests record nothing', async () => {
    const ok = async (label: string, response: Awaited<ReturnType<typeof call>>) => {
      expect(response.statusCode, `${label}: ${response.body}`).toBeLessThan(300);
      requestIds.set(label, response.headers['x-request-id'] as string);
      return response.body ? response.json() : undefined;
    };
    const key = await ok('key', await call('POST', '/v1/tenant/keys', { label: 'second', scope: 'read_only' }));
    await ok('revoke', await call('DELETE', `/v1/tenant/keys/${key.id}`));
    const webhook = await ok('webhook', await call('POST', '/v1/webhooks', { url: 'https://ledger.example/hooks?token=secret-token' }));
    await ok('unhook', await call('DELETE', `/v1/webhooks/${webhook.id}`));
    const preset = await ok('preset', await call('POST', '/v1/csv-presets', { name: 'chase', preset: BUILT_IN_CSV_PRESETS.chase }));
    await ok('unpreset', await call('DELETE', `/v1/csv-presets/${preset.id}`));
    const account = await ok('account', await call('POST', '/v1/accounts', { iban: DE_IBAN, currency: 'EUR', name: 'Jane Doe' }));
    await ok('map', await call('PATCH', `/v1/accounts/${account.id}`, { ledger_account_code: '1200' }));
    const imported = await ok('import', await call('POST', `/v1/accounts/${account.id}/statements`, fixture('camt053-v02-german-bank.xml'), 'application/xml'));
    const routed = await ok('route', await call('POST', '/v1/statements?create_accounts=true', fixture('camt053-v08-prefixed.xml'), 'application/xml'));
    const empty = await ok('empty', await call('POST', '/v1/accounts', { iban: 'GB82WEST12345698765432', currency: 'GBP' }));
    await ok('drop', await call('DELETE', `/v1/accounts/${empty.id}`));
    await ok('settings', await call('PATCH', '/v1/tenant', { notification_email: 'jane.doe@firma.example' }));
    const customers = [{ id: 'C-1', kind: 'customer', name: 'Jane Doe', ibans: [DE_IBAN] }, { id: 'C-2', kind: 'customer', name: 'Erika Mustermann' }];
    await ok('parties', await call('PUT', '/v1/parties', { parties: customers }));
    await ok('unparty', await call('DELETE', '/v1/parties/C-2'));

    // Refused requests change nothing, and record nothing.
    await ok('preset again', await call('POST', '/v1/csv-presets', { name: 'chase', preset: BUILT_IN_CSV_PRESETS.chase }));
    expectProblem(await call('POST', '/v1/csv-presets', { name: 'chase', preset: BUILT_IN_CSV_PRESETS.chase }), 409);
    expectProblem(await call('POST', '/v1/accounts', { iban: DE_IBAN, currency: 'EUR' }), 409);
    expectProblem(await call('DELETE', `/v1/accounts/${account.id}`), 409);
    expectProblem(await call('POST', `/v1/accounts/${account.id}/statements`, 'not a statement file', 'text/plain'), 422);
    expectProblem(await call('DELETE', `/v1/tenant/keys/${tenant.keyId}`), 409);
    expectProblem(await call('PUT', '/v1/parties', { parties: [{ id: 'C-3', kind: 'customer', name: 'Max', ibans: ['DE00370400440532013000'] }] }), 400);
    expectProblem(await call('DELETE', '/v1/parties/C-2'), 404);

    const events = await trail(api.app, tenant.headers);
    expect(countByAction(events)).toEqual({
      'api_key.created': 1,
      'api_key.revoked': 1,
      'webhook.created': 1,
      'webhook.deleted': 1,
      'csv_preset.created': 2,
      'csv_preset.deleted': 1,
      'account.created': 3,
      'account.updated': 1,
      'account.deleted': 1,
      'statement.imported': 2,
      'tenant.updated': 1,
      'parties.upserted': 1,
      'party.deleted': 1,
    });
    for (const event of events) expect(event.actor).toEqual({ key_id: tenant.keyId, key_prefix: tenant.key.slice(0, 12) });
    const find = (action: string, targetId: string) => events.find((e) => e.action === action && e.target.id === targetId);
    expect(find('api_key.created', key.id)).toMatchObject({ request_id: requestIds.get('key'), target: { type: 'api_key' }, details: { scope: 'read_only', prefix: key.prefix } });
    expect(find('api_key.revoked', key.id)).toMatchObject({ request_id: requestIds.get('revoke') });
    expect(find('webhook.created', webhook.id)).toMatchObject({ details: { host: 'ledger.example' } });
    expect(find('statement.imported', imported.id)).toMatchObject({ request_id: requestIds.get('import'), details: { account_id: account.id, inserted: 6, already_imported: false } });
    const created = routed.created_accounts as string[];
    expect(created).toHaveLength(1);
    expect(find('account.created', created[0]!)).toMatchObject({ request_id: requestIds.get('route'), details: { via: 'statement import' } });
    expect(find('account.updated', account.id)).toMatchObject({ details: { fields: ['ledger_account_code'] } });
    expect(find('tenant.updated', tenant.id)).toMatchObject({ request_id: requestIds.get('settings'), details: { fields: ['notification_email'] } });
    expect(find('parties.upserted', tenant.id)).toMatchObject({ request_id: requestIds.get('parties'), details: { created: 2, updated: 0 } });
    expect(events.find((e) => e.action === 'party.deleted')).toMatchObject({ request_id: requestIds.get('unparty'), target: { type: 'party' }, details: { unmatched: 0 } });
    // No personal data and no secrets: not the e-mail, the IBAN, the account's holder, a party's name or the webhook's query.
    const text = JSON.stringify(events);
    for (const secret of ['jane.doe@firma.example', DE_IBAN, 'Jane Doe', 'Erika', 'secret-token', key.key, webhook.secret]) expect(text).not.toContain(secret);
  });

  test('newest first, filtered by action, target and time', async () => {
    const all = await trail(api.app, tenant.headers);
    const sorted = [...all].sort((a, b) => b.occurred_at.localeCompare(a.occurred_at) || b.id.localeCompare(a.id));
    expect(all.map((e) => e.id)).toEqual(sorted.map((e) => e.id));
    expect((await trail(api.app, tenant.headers, '&action=account.created')).map((e) => e.action)).toEqual(['account.created', 'account.created', 'account.created']);
    const target = all.find((e) => e.action === 'webhook.created')!.target.id;
    expect((await trail(api.app, tenant.headers, `&target_id=${target}`)).map((e) => e.action).sort()).toEqual(['webhook.created', 'webhook.deleted']);
    const middle = all[Math.floor(all.length / 2)]!.occurred_at;
    const from = await trail(api.app, tenant.headers, `&from=${middle}`);
    const before = await trail(api.app, tenant.headers, `&to=${middle}`);
    expect(from.every((e) => e.occurred_at >= middle) && before.every((e) => e.occurred_at < middle)).toBe(true);
    expect(from.length + before.length).toBe(all.length);
    expectProblem(await api.app.inject({ method: 'GET', url: '/v1/audit-events?action=tenant.deleted', headers: tenant.headers }), 400);
  });

  test('tenant-scoped: another tenant sees none of it', async () => {
    const other = await api.addTenant('Other');
    expect(await trail(api.app, other.headers)).toEqual([]);
    const ids = (await trail(api.app, tenant.headers)).map((e) => e.target.id);
    expect(await trail(api.app, other.headers, `&target_id=${ids[0]}`)).toEqual([]);
  });

  test('append-only: Postgres refuses to update, delete or truncate an event, and the API has no route to', async () => {
    const { db } = api.database;
    const before = await db.select().from(auditEvents);
    expect(before.length).toBeGreaterThan(0);
    for (const statement of [
      sql`update audit_events set action = 'tenant.updated'`,
      sql`delete from audit_events where id = ${before[0]!.id}`,
      sql`truncate audit_events`,
    ]) {
      await expect(db.execute(statement)).rejects.toThrow();
    }
    expect(await db.select().from(auditEvents)).toEqual(before);
    const id = before[0]!.id;
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await api.app.inject({ method, url: `/v1/audit-events/${id}`, headers: tenant.headers })).statusCode).toBe(404);
      expect((await api.app.inject({ method, url: '/v1/audit-events', headers: tenant.headers })).statusCode).toBe(405);
    }
  });
});

describe('connections, on the lifecycle stack', () => {
  let stack: LifecycleStack;

  beforeAll(async () => {
    stack = await startLifecycleStack({ scale: 1 });
  });
  afterAll(async () => {
    await stack?.close();
  });

  test('a connection created, re-fetched, changed, renewed (by key, and by the e-mail link, which has no actor) and disconnected: each once', async () => {
    const post = (url: string, payload?: unknown) =>
      stack.app.inject({ method: 'POST', url, headers: { ...stack.headers, 'psu-ip-address': '203.0.113.7' }, ...(payload !== undefined && { payload: payload as object }) });
    const created = await post('/v1/connections', { institution_id: 'DEMOBANK', history_days: 10 });
    expect(created.statusCode, created.body).toBeLessThan(300);
    const connectionId = created.json<{ id: string }>().id;
    const [consent] = await stack.database.db.select({ id: consents.id }).from(consents).where(eq(consents.connectionId, connectionId));
    await stack.authorize(consent!.id);
    await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
    const [account] = await stack.accounts(connectionId);
    const refetch = await post(`/v1/accounts/${account!.id}/refetch`, { from: account!.importStart });
    expect(refetch.statusCode, refetch.body).toBe(202);
    const changed = await stack.app.inject({ method: 'PATCH', url: `/v1/connections/${connectionId}`, headers: stack.headers, payload: { notification_email: 'anna@ledger.example' } });
    expect(changed.statusCode, changed.body).toBe(200);
    const link = new URL(renewLink(stack.secrets, 'http://x', connectionId));
    const opened = await stack.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` });
    expect(opened.statusCode, opened.body).toBe(303);
    // A second click goes to the renewal already waiting: no second one, nothing more recorded.
    expect((await stack.app.inject({ method: 'GET', url: `${link.pathname}${link.search}` })).statusCode).toBe(303);
    expect((await post(`/v1/connections/${connectionId}/renew`)).statusCode).toBeLessThan(300);
    expect((await post(`/v1/connections/${connectionId}/disconnect`)).statusCode).toBe(202);
    expectProblem(await post(`/v1/accounts/${account!.id}/refetch`, { from: '2000-01-01' }), 422);

    const events = await trail(stack.app, stack.headers);
    expect(countByAction(events)).toEqual({
      'connection.created': 1,
      'account.refetch_requested': 1,
      'connection.updated': 1,
      'connection.renewal_started': 2,
      'connection.disconnect_requested': 1,
    });
    expect(events.find((e) => e.action === 'connection.created')).toMatchObject({
      target: { type: 'connection', id: connectionId },
      request_id: created.headers['x-request-id'],
      details: { institution_id: 'DEMOBANK', consent_id: consent!.id },
    });
    expect(events.find((e) => e.action === 'account.refetch_requested')).toMatchObject({ target: { type: 'account', id: account!.id }, details: { from: account!.importStart, connection_id: connectionId } });
    expect(events.filter((e) => e.action === 'connection.renewal_started').map((e) => [e.actor === null, e.details.via])).toEqual(
      expect.arrayContaining([
        [false, undefined],
        [true, 'renewal link'],
      ]),
    );
    expect(events.find((e) => e.actor === null)).toMatchObject({ request_id: opened.headers['x-request-id'] });
    expect(events.find((e) => e.action === 'connection.updated')).toMatchObject({ target: { type: 'connection', id: connectionId }, details: { fields: ['notification_email'] } });
    expect(JSON.stringify(events)).not.toContain('203.0.113.7');
    expect(JSON.stringify(events)).not.toContain('anna@ledger.example');
  }, 120_000);
});
