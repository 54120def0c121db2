/** The matching-rule routes through inject(): shapes and order, tenant scoping, the audit trail, and every refusal a client can cause. */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auditEvents, matchingRules, parties } from '../../db/schema.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';
import { createAccount } from '../helpers/statement-accounts.js';

let api: TestApi;
let other: TestTenant;
let accountId: string;

beforeAll(async () => {
  api = await startTestApi();
  other = await api.addTenant('Other');
  accountId = (await createAccount(api.database, api.tenant.id, 'DK5000400440116243')).id;
  await api.database.db.insert(parties).values({ tenantId: api.tenant.id, externalId: 'landlord-1', kind: 'supplier', name: 'Ejendomsselskabet Nørrebro ApS' });
});
afterAll(() => api?.close());

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = api.tenant.headers) =>
  api.app.inject({ method, url, headers, ...(payload !== undefined && { payload: payload as object }) });

const ruleCount = async () => (await api.database.db.select().from(matchingRules)).length;

test('create, list in the order they are tried, delete; audited without the texts', async () => {
  const rent = await call('POST', '/v1/matching-rules', {
    priority: 10,
    condition: { field: 'text', operator: 'regex', value: '^husleje\\s\\w+' },
    amount_min: '-5000',
    amount_max: '-4000.5',
    account_id: accountId,
    party_id: 'landlord-1',
    ledger_account_code: '3400',
  });
  expect(rent.statusCode, rent.body).toBe(201);
  expect(rent.json()).toEqual({
    id: expect.any(String),
    priority: 10,
    condition: { field: 'text', operator: 'regex', value: '^husleje\\s\\w+' },
    amount_min: '-5000.00',
    amount_max: '-4000.50',
    account_id: accountId,
    party_id: 'landlord-1',
    ledger_account_code: '3400',
    created_at: expect.any(String),
  });
  expect(rent.headers.location).toBe(`/v1/matching-rules/${rent.json().id}`);
  const fees = await call('POST', '/v1/matching-rules', { condition: { field: 'counterparty', operator: 'equals', value: 'Nets' }, ledger_account_code: '7220' });
  expect(fees.statusCode, fees.body).toBe(201);
  expect(fees.json()).toMatchObject({ priority: 0, amount_min: null, amount_max: null, account_id: null, party_id: null });
  const urgent = await call('POST', '/v1/matching-rules', { priority: 10, amount_max: '-100000', ledger_account_code: '0001' });

  const listed = await call('GET', '/v1/matching-rules');
  expect(listed.statusCode).toBe(200);
  expect(listed.json().data.map((rule: { id: string }) => rule.id)).toEqual([rent.json().id, urgent.json().id, fees.json().id]);
  expect((await call('GET', '/v1/matching-rules', undefined, other.headers)).json().data).toEqual([]);

  expectProblem(await call('DELETE', `/v1/matching-rules/${fees.json().id}`, undefined, other.headers), 404, 'not-found');
  expect((await call('DELETE', `/v1/matching-rules/${fees.json().id}`)).statusCode).toBe(204);
  expectProblem(await call('DELETE', `/v1/matching-rules/${fees.json().id}`), 404, 'not-found');
  expect((await call('GET', '/v1/matching-rules')).json().data).toHaveLength(2);

  const events = await api.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, fees.json().id));
  expect(events.map((event) => [event.action, event.details])).toEqual([
    ['matching_rule.created', { priority: 0, field: 'counterparty', operator: 'equals' }],
    ['matching_rule.deleted', {}],
  ]);
  expect(JSON.stringify(events)).not.toContain('Nets');
});

test('a rule whose party the ledger deletes goes with it', async () => {
  const [party] = await api.database.db.insert(parties).values({ tenantId: api.tenant.id, externalId: 'gone', kind: 'customer', name: 'Gone A/S' }).returning();
  const created = await call('POST', '/v1/matching-rules', { account_id: accountId, party_id: 'gone' });
  expect(created.statusCode, created.body).toBe(201);
  await api.database.db.delete(parties).where(eq(parties.id, party!.id));
  expect((await call('GET', '/v1/matching-rules')).json().data.map((rule: { id: string }) => rule.id)).not.toContain(created.json().id);
});

test('an unsafe regular expression is a 422 unsafe-regex problem and stores nothing', async () => {
  const before = await ruleCount();
  for (const value of ['(a+)+$', '(x)\\1', 'a*', '[', '\\d*\\d*\\d*\\d*x']) {
    const problem = expectProblem(await call('POST', '/v1/matching-rules', { condition: { field: 'text', operator: 'regex', value }, ledger_account_code: '1' }), 422, 'unsafe-regex');
    expect(problem.errors).toEqual([{ location: 'body/condition/value', message: expect.stringMatching(/^the regular expression /) }]);
  }
  // The same text as a plain condition is fine: only regex is compiled.
  expect((await call('POST', '/v1/matching-rules', { condition: { field: 'text', operator: 'contains', value: '(a+)+$' }, ledger_account_code: '1' })).statusCode).toBe(201);
  expect(await ruleCount()).toBe(before + 1);
});

test('a rule without a condition or a result, with crossed or too fine bounds, or naming what the tenant does not have, is a 422 and stores nothing', async () => {
  const before = await ruleCount();
  const refused = [
    [{ ledger_account_code: '1' }, /at least one condition/],
    [{ priority: 3, amount_min: '1' }, /at least one result/],
    [{ amount_min: '10', amount_max: '9.99', ledger_account_code: '1' }, /amount_min is greater than amount_max/],
    [{ amount_min: '0.00001', ledger_account_code: '1' }, /more than 4 decimals/],
    [{ amount_max: '12345678901234567', ledger_account_code: '1' }, /too large/],
    [{ account_id: randomUUID(), ledger_account_code: '1' }, /no bank account with id/],
    [{ amount_min: '1', party_id: 'nobody' }, /no party with id nobody/],
  ] as const;
  for (const [body, detail] of refused) {
    const problem = expectProblem(await call('POST', '/v1/matching-rules', body), 422, 'invalid-matching-rule');
    expect(problem.detail).toMatch(detail);
  }
  // Another tenant's account and party are unknown here.
  expectProblem(await call('POST', '/v1/matching-rules', { account_id: accountId, ledger_account_code: '1' }, other.headers), 422, 'invalid-matching-rule');
  expectProblem(await call('POST', '/v1/matching-rules', { amount_min: '1', party_id: 'landlord-1' }, other.headers), 422, 'invalid-matching-rule');
  // Shapes the schema refuses.
  for (const body of [
    { condition: { field: 'text', operator: 'contains' }, ledger_account_code: '1' },
    { condition: { field: 'memo', operator: 'contains', value: 'x' }, ledger_account_code: '1' },
    { condition: { field: 'text', operator: 'like', value: 'x' }, ledger_account_code: '1' },
    { condition: { field: 'text', operator: 'contains', value: '' }, ledger_account_code: '1' },
    { amount_min: '1,5', ledger_account_code: '1' },
    { amount_min: '1', ledger_account_code: '1', colour: 'red' },
    { priority: 1.5, amount_min: '1', ledger_account_code: '1' },
  ]) {
    expectProblem(await call('POST', '/v1/matching-rules', body), 400);
  }
  expect(await ruleCount()).toBe(before);
});
