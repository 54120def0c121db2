/**
 * The adversarial API fuzz (issue "Security hardening"): boundary values in every parameter and
 * body field of every documented operation, on a whole stack with a linked connection, so the
 * values reach handlers and Postgres. Nothing a client sends may be answered with a 5xx.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { syncs, transactions } from '../../db/schema.js';
import { boundaryFuzz, type BoundaryFuzzOptions } from '../helpers/boundary-fuzz.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;
let options: BoundaryFuzzOptions;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
  const { connectionId } = await stack.link();
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  const post = async (url: string, payload: object) => (await stack.app.inject({ method: 'POST', url, headers: stack.headers, payload })).json<{ id: string }>();
  const get = async (url: string) => (await stack.app.inject({ method: 'GET', url, headers: stack.headers })).json<{ next_cursor: string | null }>();
  const [account] = await stack.accounts(connectionId);
  const [sync] = await stack.database.db.select().from(syncs).where(eq(syncs.connectionId, connectionId));
  const webhook = await post('/v1/webhooks', { url: 'https://ledger.example/hooks' });
  const preset = await post('/v1/csv-presets', {
    name: 'fuzzed',
    preset: { encoding: 'utf-8', delimiter: ';', header: true, dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', currency: 'EUR', columns: { bookingDate: 'Date', amount: 'Amount' } },
  });
  const key = await post('/v1/tenant/keys', { label: 'fuzzed' });
  const rule = await post('/v1/matching-rules', { account_id: account!.id, ledger_account_code: '1000' });
  const [transaction] = await stack.database.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.accountId, account!.id)).limit(1);
  // Cursors each list really handed out, for the other lists.
  const foreignCursors = [
    (await get(`/v1/accounts/${account!.id}/transactions?limit=1`)).next_cursor,
    (await get('/v1/accounts?limit=1')).next_cursor,
    (await get('/v1/audit-events?limit=1')).next_cursor,
  ].filter((cursor): cursor is string => cursor !== null);
  options = {
    key: stack.apiKey,
    fixtures: { connectionId, accountId: account!.id, syncId: sync!.id, webhookId: webhook.id, presetId: preset.id, keyId: key.id, ruleId: rule.id, transactionId: transaction!.id },
    foreignCursors,
    minRequests: 20_000,
    seed: 20_261_203,
  };
});
afterAll(() => stack?.close());

test('at least 20,000 boundary-value requests across every documented operation: no 5xx', async () => {
  expect(options.foreignCursors.length).toBeGreaterThanOrEqual(2);
  const report = await boundaryFuzz(stack.app, options);
  console.log(`adversarial fuzz: ${report.requests} requests, by status ${JSON.stringify(report.byStatus)}`);
  expect(report.failures).toEqual([]);
  expect(report.requests).toBeGreaterThanOrEqual(20_000);
  // The values got past validation too: handlers answered.
  for (const status of [200, 400, 404]) expect(report.byStatus[status], `status ${status}`).toBeGreaterThan(0);
}, 900_000);
