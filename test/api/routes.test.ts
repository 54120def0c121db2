/**
 * The ledger API's product routes through inject(), on the whole stack: a Demo Bank, the worker,
 * a tenant with its key. A connection is linked through the API and the bank's login pages.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pendingTransactions, syncs, transactions } from '../../db/schema.js';
import { PSU_IP } from '../helpers/demobank.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;
let connectionId: string;
let accountId: string;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
});
afterAll(() => stack?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown, headers: Record<string, string> = {}) =>
  stack.app.inject({ method, url, payload: payload as object, headers: { ...stack.headers, ...headers } });

describe('institutions', () => {
  test('listed, and by country', async () => {
    expect((await call('GET', '/v1/institutions')).json()).toEqual({
      data: [{ id: 'DEMOBANK', name: 'Demo Bank (sandbox)', countries: ['DE', 'DK', 'SE'], bic: null, max_consent_days: 90, history_days: 730 }],
    });
    expect((await call('GET', '/v1/institutions?country=dk')).json().data).toHaveLength(1);
    expect((await call('GET', '/v1/institutions?country=US')).json().data).toHaveLength(0);
    expect((await call('GET', '/v1/institutions?country=DEU')).statusCode).toBe(400);
  });
});

describe('linking through the API', () => {
  test('a new connection answers with the URL where the user logs in; after the login it is active with its accounts', async () => {
    const created = await call('POST', '/v1/connections', { institution_id: 'DEMOBANK', history_days: 20, redirect_url: 'https://ledger.example/back' }, { 'psu-ip-address': PSU_IP });
    expect(created.statusCode).toBe(201);
    const body = created.json();
    connectionId = body.id;
    expect(created.headers.location).toBe(`/v1/connections/${connectionId}`);
    expect(body).toMatchObject({ status: 'awaiting_authorization', history_days: 20, until_last_midnight: true, consent: null, accounts: [] });
    expect(body.authorization_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sca\//);

    const callback = await stack.bank.authorise(body.authorization_url);
    expect((await fetch(callback, { redirect: 'manual' })).headers.get('location')).toBe(`https://ledger.example/back?connection_id=${connectionId}&status=authorized`);
    const active = await until(async () => {
      const connection = (await call('GET', `/v1/connections/${connectionId}`)).json();
      return connection.status === 'active' && connection.last_sync_at ? connection : undefined;
    }, 30_000, () => 'the connection did not become active');
    expect(active.consent).toMatchObject({ days_left: 90, expires_at: expect.any(String) });
    expect(active.authorization_url).toBeNull();
    expect(active.next_sync_at).not.toBeNull();
    expect(active.accounts.map((a: { currency: string }) => a.currency).sort()).toEqual(['DKK', 'EUR', 'SEK']);
    accountId = active.accounts[0].id;
  });

  test.each([
    [{ institution_id: 'NOBANK' }, /no institution NOBANK/],
    [{ institution_id: 'DEMOBANK', history_days: 0 }, /history_days/],
    [{ institution_id: 'DEMOBANK', redirect_url: 'javascript:alert(1)' }, /redirect_url/],
    [{}, /institution_id/],
  ])('a bad request is a 400 problem: %j', async (payload, detail) => {
    const response = await call('POST', '/v1/connections', payload);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(JSON.stringify(response.json())).toMatch(detail);
  });

  test('listed newest first, a page at a time', async () => {
    const second = (await call('POST', '/v1/connections', { institution_id: 'DEMOBANK' })).json().id;
    const first = (await call('GET', '/v1/connections?limit=1')).json();
    expect(first.data.map((c: { id: string }) => c.id)).toEqual([second]);
    const next = (await call('GET', `/v1/connections?limit=1&cursor=${first.next_cursor}`)).json();
    expect(next.data.map((c: { id: string }) => c.id)).toEqual([connectionId]);
    expect((await call('GET', '/v1/connections?cursor=garbage')).statusCode).toBe(400);
    await call('POST', `/v1/connections/${second}/disconnect`);
  });
});

describe('accounts and transactions', () => {
  test('an account is mapped to a ledger account, turned off and on', async () => {
    const patched = await call('PATCH', `/v1/accounts/${accountId}`, { ledger_account_code: '1910', enabled: false });
    expect(patched.json()).toMatchObject({ id: accountId, ledger_account_code: '1910', enabled: false });
    expect((await call('GET', `/v1/accounts/${accountId}`)).json().enabled).toBe(false);
    expect((await call('PATCH', `/v1/accounts/${accountId}`, { enabled: true, ledger_account_code: null })).json()).toMatchObject({ enabled: true, ledger_account_code: null });
    expect((await call('PATCH', `/v1/accounts/${accountId}`, {})).statusCode).toBe(400);
    expect((await call('PATCH', `/v1/accounts/${accountId}`, { import_start: '2026-02-30' })).statusCode).toBe(400);
    expect((await call('GET', `/v1/accounts?connection_id=${connectionId}`)).json().data).toHaveLength(3);
  });

  test('transactions are listed with exact amounts, filtered and paged', async () => {
    const all = await stack.database.db.select().from(transactions).where(eq(transactions.accountId, accountId));
    const seen = [];
    let cursor = '';
    do {
      const page = (await call('GET', `/v1/accounts/${accountId}/transactions?limit=7${cursor && `&cursor=${cursor}`}`)).json();
      seen.push(...page.data);
      cursor = page.next_cursor ?? '';
    } while (cursor);
    expect(seen.map((t) => t.id).sort()).toEqual(all.map((t) => t.id).sort());
    expect(seen.every((t) => /^-?\d+\.\d{2}$/.test(t.amount))).toBe(true);
    const dates = seen.map((t) => t.booking_date);
    expect(dates).toEqual([...dates].sort().reverse());

    const some = all[Math.floor(all.length / 2)]!;
    const byAmount = (await call('GET', `/v1/accounts/${accountId}/transactions?min_amount=${some.amount}&max_amount=${some.amount}`)).json().data;
    expect(byAmount.map((t: { id: string }) => t.id)).toContain(some.id);
    const byDate = (await call('GET', `/v1/accounts/${accountId}/transactions?from=${some.bookingDate}&to=${some.bookingDate}`)).json().data;
    expect(byDate.every((t: { booking_date: string }) => t.booking_date === some.bookingDate)).toBe(true);
    const word = (some.counterpartyName ?? some.remittanceInformation ?? '').split(' ')[0]!;
    const byText = (await call('GET', `/v1/accounts/${accountId}/transactions?q=${encodeURIComponent(word)}`)).json().data;
    expect(byText.map((t: { id: string }) => t.id)).toContain(some.id);
    const pending = await stack.database.db.select().from(pendingTransactions).where(eq(pendingTransactions.accountId, accountId));
    const listed = (await call('GET', `/v1/accounts/${accountId}/transactions?status=pending`)).json().data;
    expect(listed.map((t: { id: string }) => t.id).sort()).toEqual(pending.filter((p) => !p.removedAt).map((p) => p.id).sort());
    expect((await call('GET', `/v1/accounts/${accountId}/transactions?min_amount=12,50`)).statusCode).toBe(400);
  });

  test('balances as the bank reported them at the last sync', async () => {
    const { data } = (await call('GET', `/v1/accounts/${accountId}/balances`)).json();
    expect(data.map((b: { type: string }) => b.type)).toEqual(expect.arrayContaining(['closingBooked']));
    expect(data.every((b: { amount: string }) => /^-?\d+\.\d{2}$/.test(b.amount))).toBe(true);
  });
});

describe('syncs', () => {
  test('a sync asked for answers at once with its id; it runs per account and is listed', async () => {
    const requested = await call('POST', `/v1/connections/${connectionId}/sync`, undefined, { 'psu-ip-address': PSU_IP });
    expect(requested.statusCode).toBe(202);
    const { sync_id: syncId } = requested.json();
    expect(requested.headers.location).toBe(`/v1/syncs/${syncId}`);
    const done = await until(async () => {
      const sync = (await call('GET', `/v1/syncs/${syncId}`)).json();
      return sync.status === 'completed' ? sync : undefined;
    }, 30_000, () => 'the sync did not complete');
    expect(done).toMatchObject({ connection_id: connectionId, trigger: 'manual' });
    expect(done.runs).toHaveLength(3);
    expect(done.runs[0]).toMatchObject({ status: 'completed', errors: [], fetched: expect.any(Number) });
    const listed = (await call('GET', `/v1/connections/${connectionId}/syncs?limit=1`)).json();
    expect(listed.data[0].id).toBe(syncId);
    const older = (await call('GET', `/v1/connections/${connectionId}/syncs?limit=1&cursor=${listed.next_cursor}`)).json();
    expect(older.data[0]).toMatchObject({ trigger: 'initial', status: 'completed' });
    expect((await call('POST', `/v1/connections/${connectionId}/sync`, undefined, { 'psu-ip-address': 'not an ip' })).statusCode).toBe(400);
  });

  test('GET /metrics reports syncs by outcome, transactions imported, connections and consents by days left', async () => {
    const [{ n }] = (await stack.database.rows<{ n: number }>(sql`select count(*)::int as n from transactions`)) as [{ n: number }];
    const body = (await stack.app.inject({ method: 'GET', url: '/metrics' })).body;
    expect(body).toContain('bankfeed_syncs{trigger="initial",status="completed"} 1');
    expect(body).toContain('bankfeed_syncs{trigger="manual",status="completed"} 1');
    expect(body).toContain(`bankfeed_transactions{source="feed"} ${n}`);
    expect(body).toContain('bankfeed_connections{status="active"} 1');
    expect(body).toContain('bankfeed_active_consents{days_left_le="+Inf"} 1');
    expect(body).toContain('bankfeed_active_consents{days_left_le="14"} 0');
  });

  test('reads answer from Postgres while no worker runs', async () => {
    await stack.stopWorker();
    try {
      for (const url of [`/v1/connections/${connectionId}`, `/v1/accounts/${accountId}/transactions`, `/v1/connections/${connectionId}/syncs`, '/v1/transactions/sync']) {
        expect((await call('GET', url)).statusCode, url).toBe(200);
      }
    } finally {
      await stack.startWorker();
    }
  });
});

describe('the transactions feed', () => {
  test('pages through every transaction once, then says nothing is new', async () => {
    const booked = await stack.database.db.select({ id: transactions.id }).from(transactions).innerJoin(syncs, eq(syncs.connectionId, connectionId)).groupBy(transactions.id);
    const added = new Set<string>();
    let cursor = '';
    let more = true;
    while (more) {
      const page = (await call('GET', `/v1/transactions/sync?count=250${cursor && `&cursor=${cursor}`}`)).json();
      for (const t of page.added) added.add(t.id);
      cursor = page.next_cursor;
      more = page.has_more;
    }
    expect(added.size).toBeGreaterThanOrEqual(booked.length);
    const again = (await call('GET', `/v1/transactions/sync?cursor=${cursor}`)).json();
    expect(again).toMatchObject({ added: [], modified: [], removed: [], has_more: false, next_cursor: cursor });
    expect((await call('GET', `/v1/transactions/sync?cursor=${cursor}&account_id=${accountId}`)).statusCode).toBe(400);
  });
});

describe('renewal, consents and disconnect', () => {
  test('renewing gives a new URL while the old consent keeps working; consents are listed', async () => {
    const renewed = await call('POST', `/v1/connections/${connectionId}/renew`, undefined, { 'psu-ip-address': PSU_IP });
    expect(renewed.statusCode).toBe(201);
    expect(renewed.json().authorization_url).toMatch(/\/sca\//);
    const connection = (await call('GET', `/v1/connections/${connectionId}`)).json();
    expect(connection).toMatchObject({ status: 'renewing', authorization_url: renewed.json().authorization_url });
    expect(connection.consent).not.toBeNull();
    const consents = (await call('GET', `/v1/connections/${connectionId}/consents`)).json().data;
    expect(consents.map((c: { purpose: string; status: string }) => [c.purpose, c.status])).toEqual([['renewal', 'requested'], ['link', 'active']]);
  });

  test('disconnect keeps the data; a disconnected connection refuses syncs and renewals with 409', async () => {
    expect((await call('POST', `/v1/connections/${connectionId}/disconnect`)).statusCode).toBe(202);
    await until(async () => (await call('GET', `/v1/connections/${connectionId}`)).json().status === 'disconnected', 30_000, () => 'not disconnected');
    for (const action of ['sync', 'renew', 'disconnect']) {
      const response = await call('POST', `/v1/connections/${connectionId}/${action}`);
      expect(response.statusCode, action).toBe(409);
      expect(response.headers['content-type']).toContain('application/problem+json');
    }
    expect((await call('GET', `/v1/accounts/${accountId}/transactions`)).json().data.length).toBeGreaterThan(0);
  });

  test('unknown ids are 404 problems', async () => {
    const nobody = '00000000-0000-4000-8000-000000000000';
    for (const url of [`/v1/connections/${nobody}`, `/v1/accounts/${nobody}`, `/v1/syncs/${nobody}`, `/v1/connections/${nobody}/consents`]) {
      const response = await call('GET', url);
      expect(response.statusCode, url).toBe(404);
    }
  });
});
