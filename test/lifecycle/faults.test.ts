/**
 * Whatever the bank does wrong, bankfeed ends up with exactly the bank's booked transactions:
 * each fault runs through a link and scheduled syncs (a bank day every 2 s), is switched off,
 * and the stored transactions must then equal the Demo Bank's ground truth.
 */
import { and, desc, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { syncRuns } from '../../db/schema.js';
import { addDays, dateInZone } from '../../domain/dates.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { storedAndTruth } from '../helpers/truth.js';

const SCALE = 43_200;
const BANK_DAY_MS = 86_400_000 / SCALE;
let stack: LifecycleStack;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: SCALE, timings: { linkTimeoutMs: 30_000 } });
});
afterAll(() => stack?.close());
// One connection syncs at a time: each scenario's connection stops when the scenario ends.
let connectionId: string | undefined;
afterEach(async () => {
  await stack.bank.faults.reset();
  if (connectionId) await stack.connections.disconnect(connectionId);
  connectionId = undefined;
});

/** Waits until every account is imported up to the bank's yesterday in one unbroken range. */
async function converged(connectionId: string) {
  await until(async () => {
    const yesterday = addDays(dateInZone(stack.clock.bankNow(), 'UTC'), -1);
    const accounts = await stack.accounts(connectionId);
    return accounts.every((a) => a.coveredRanges.length === 1 && a.lastIntegrationDate! >= addDays(yesterday, -1));
  }, 60_000, () => `connection ${connectionId} did not catch up`);
}

async function expectTruth(connectionId: string) {
  for (const account of await stack.accounts(connectionId)) {
    const { stored, truth, from, to } = await storedAndTruth(stack.database, stack.bank, account);
    expect(stored.length).toBeGreaterThan(0);
    expect(stored, `${account.iban} ${from}..${to}`).toEqual(truth);
  }
}

type Fault = Record<string, unknown>;
const scenarios: { name: string; user: string; faults: Fault[]; from: 'link' | 'after link' }[] = [
  { name: '30 % 5xx answers with latency', user: 'anna', faults: [{ kind: 'serverError', rate: 0.3 }, { kind: 'latency', ms: 40 }], from: 'link' },
  { name: 'ACCESS_EXCEEDED', user: 'jonas', faults: [{ kind: 'rateLimit', endpoint: 'transactions', after: 0 }], from: 'after link' },
  { name: 'ids that change when a pending entry books', user: 'embedded', faults: [{ kind: 'changeIdOnBooking' }], from: 'link' },
  { name: 'every id at the bank re-keyed', user: 'firma', faults: [{ kind: 'rekey' }], from: 'after link' },
  { name: 'entries without ids', user: 'anna', faults: [{ kind: 'omitIds' }], from: 'link' },
  { name: 'entryReference "0"', user: 'jonas', faults: [{ kind: 'zeroEntryReference' }], from: 'link' },
  { name: 'rows repeated within a page', user: 'embedded', faults: [{ kind: 'duplicateRows', count: 5 }], from: 'link' },
];

describe.each(scenarios)('$name', ({ user, faults, from }) => {
  test('converges to the ground truth exactly', async () => {
    if (from === 'link') await stack.bank.faults.set({ seed: 7, faults });
    ({ connectionId } = await stack.link({ login: { username: user }, historyDays: 20 }));
    await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null, 60_000);
    if (from === 'after link') await stack.bank.faults.set({ seed: 7, faults });
    await new Promise((resolve) => setTimeout(resolve, 3 * BANK_DAY_MS));
    await stack.bank.faults.reset();
    await converged(connectionId!);
    await expectTruth(connectionId!);
  });
});

test('an entry the bank sends unreadable is recorded on the sync run, and its days are fetched again', async () => {
  ({ connectionId } = await stack.link({ login: { username: 'firma' }, historyDays: 10 }));
  await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null, 60_000);
  await stack.bank.faults.set({ seed: 3, faults: [{ kind: 'malformedEntry', field: 'amount', times: 1 }] });
  const spoiled = await until(async () => {
    const runs = await stack.database.db.select().from(syncRuns).where(eq(syncRuns.connectionId, connectionId!)).orderBy(desc(syncRuns.startedAt));
    return runs.find((run) => run.errors.length > 0);
  }, 20_000, () => 'no sync run recorded the unreadable entry');
  expect(spoiled.errors[0]).toMatchObject({ message: 'unreadable entry: transactionAmount.amount is not a decimal amount', raw: expect.any(Object) });
  const later = await until(async () => {
    const [run] = await stack.database.db
      .select()
      .from(syncRuns)
      .where(and(eq(syncRuns.accountId, spoiled.accountId), eq(syncRuns.status, 'completed')))
      .orderBy(desc(syncRuns.startedAt))
      .limit(1);
    return run && run.startedAt > spoiled.startedAt && run.errors.length === 0 ? run : undefined;
  }, 20_000, () => 'no clean sync after the spoiled one');
  expect(later.dateFrom! <= spoiled.dateFrom!).toBe(true);
  await converged(connectionId!);
  await expectTruth(connectionId!);
});
