/**
 * The request shapes that reached a 500 when probed from outside (issue "Security hardening"),
 * each now refused with a 400 problem before any query: NUL text, dates Postgres cannot hold,
 * tampered cursors, PATCH bodies without a known field, unknown fields and parameters, and URLs
 * that only look like URLs.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectProblem } from '../helpers/problem.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;
let connectionId: string;
let accountId: string;
let webhookId: string;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
  ({ connectionId } = await stack.link());
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  accountId = (await stack.accounts(connectionId))[0]!.id;
  webhookId = (await call('POST', '/v1/webhooks', { url: 'https://ledger.example/hooks' })).json<{ id: string }>().id;
});
afterAll(() => stack?.close());

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) =>
  stack.app.inject({ method, url, payload: payload as object, headers: stack.headers });
const cursor = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

describe('text Postgres cannot store', () => {
  test.each([
    ['PATCH', '/v1/accounts/{account}', { ledger_account_code: 'a\u0000b' }],
    ['POST', '/v1/csv-presets', { name: 'x\u0000', preset: { encoding: 'utf-8', delimiter: ';', header: true, dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', currency: 'EUR', columns: { bookingDate: 'Date', amount: 'Amount' } } }],
    ['PATCH', '/v1/accounts/{account}', { ledger_account_code: 'lone \ud800 surrogate' }],
    ['GET', '/v1/accounts/{account}/statements?preset=%00', undefined],
    ['GET', '/v1/accounts/{account}/transactions?q=%00', undefined],
    ['GET', '/v1/connections?status=%00', undefined],
  ] as const)('%s %s', async (method, url, payload) => {
    expectProblem(await call(method, url.replace('{account}', accountId), payload), 400);
  });

  test('a preset name with NUL sent as an upload parameter', async () => {
    const response = await stack.app.inject({ method: 'POST', url: `/v1/accounts/${accountId}/statements?format=csv&preset=%00`, payload: 'a;b\n', headers: { ...stack.headers, 'content-type': 'text/csv' } });
    expectProblem(response, 400);
  });
});

describe('dates Postgres cannot hold', () => {
  test.each([
    ['PATCH', '/v1/accounts/{account}', { import_start: '0000-01-01' }],
    ['POST', '/v1/accounts', { iban: 'DE89370400440532013000', currency: 'EUR', import_start: '0000-01-01' }],
    ['GET', '/v1/accounts/{account}/transactions?from=0000-01-01', undefined],
    ['GET', '/v1/accounts/{account}/transactions?to=0000-01-01', undefined],
    ['GET', '/v1/accounts/{account}/transactions?from=9999999-01-01', undefined],
    ['POST', '/v1/accounts/{account}/refetch', { from: '0000-01-01' }],
  ] as const)('%s %s %j', async (method, url, payload) => {
    expectProblem(await call(method, url.replace('{account}', accountId), payload), 400);
  });

  test('the first and last storable years pass validation', async () => {
    expect((await call('GET', `/v1/accounts/${accountId}/transactions?from=1000-01-01&to=9999-12-31`)).statusCode).toBe(200);
  });
});

describe('tampered cursors', () => {
  const lists = () => [
    '/v1/accounts',
    '/v1/connections',
    `/v1/connections/${connectionId}/syncs`,
    `/v1/accounts/${accountId}/transactions`,
    `/v1/accounts/${accountId}/statements`,
    `/v1/webhooks/${webhookId}/deliveries`,
    '/v1/transactions/sync',
  ];
  const tampered = [
    ['x'],
    ['x', 'y'],
    ['x', 'y', 'z'],
    ['2026-01-01', 'not-a-uuid'],
    ['2026-01-01T00:00:00.000Z', 'not-a-uuid'],
    ['9999999-01-01', '00000000-0000-4000-8000-000000000000'],
    ['+275760-09-13T00:00:00.000Z', '00000000-0000-4000-8000-000000000000'],
    ['1', 1.5, ''],
    ['1', 1e300, ''],
    ['1', -1, ''],
    ['99999999999999999999999', 0, ''],
    ['not-a-date', '00000000-0000-4000-8000-000000000000'],
  ];

  test('every list answers 400 to every tampered cursor', async () => {
    for (const url of lists()) {
      for (const key of tampered) {
        const response = await call('GET', `${url}?cursor=${cursor(key)}`);
        expect(response.statusCode, `${url} with cursor ${JSON.stringify(key)}: ${response.body}`).toBe(400);
        expectProblem(response, 400, 'invalid-cursor');
      }
    }
  });

  test('a cursor the API handed out still works', async () => {
    const first = (await call('GET', `/v1/accounts/${accountId}/transactions?limit=1`)).json<{ next_cursor: string | null }>();
    expect(first.next_cursor).not.toBeNull();
    expect((await call('GET', `/v1/accounts/${accountId}/transactions?limit=1&cursor=${first.next_cursor}`)).statusCode).toBe(200);
  });
});

describe('closed schemas', () => {
  test('a PATCH whose body has no known field is a 400, and a known field beside an unknown one too', async () => {
    expectProblem(await call('PATCH', `/v1/accounts/${accountId}`, { unknown: 1 }), 400);
    expectProblem(await call('PATCH', `/v1/accounts/${accountId}`, { unknown: 1, enabled: true }), 400);
    expectProblem(await call('PATCH', `/v1/accounts/${accountId}`, {}), 400);
  });

  test('an unknown body field on create is a 400', async () => {
    expectProblem(await call('POST', '/v1/connections', { institution_id: 'DEMOBANK', extra: 1 }), 400);
  });

  test('an unknown query parameter is a 400, on routes with and without query parameters', async () => {
    expectProblem(await call('GET', '/v1/connections?form=2026-01-01'), 400);
    expectProblem(await call('GET', `/v1/connections/${connectionId}?verbose=1`), 400);
  });

  test("the bank's callback stays open to parameters the bank adds", async () => {
    // An unknown state gets the callback's own page, not a validation problem about `code`.
    const response = await stack.app.inject({ method: 'GET', url: `/v1/callback?state=${'a'.repeat(32)}&code=x&error_description=y` });
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('This link is no longer valid');
  });
});

describe('URLs that only look like URLs', () => {
  test.each(['http://', 'https://', 'https://ledger.example:99999/hooks', 'https://user:secret@ledger.example/hooks', 'ftp://ledger.example/hooks'])('webhook url %s', async (url) => {
    expectProblem(await call('POST', '/v1/webhooks', { url }), 400);
  });

  test('a redirect_url with credentials or no host is refused', async () => {
    expectProblem(await call('POST', '/v1/connections', { institution_id: 'DEMOBANK', redirect_url: 'https://' }), 400);
  });
});
