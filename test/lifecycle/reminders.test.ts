/**
 * A reminder falls due while the link is still being completed (a slow bank answering the account
 * list): it is sent, late, instead of being counted as already past. Only reminders already due
 * when the user authorised are skipped (a 10-day consent gets no 14-day reminder).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { notifications } from '../../db/schema.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';

// A bank day every 2 s. A consent ends at the end of a bank day counted from the day it was
// requested, so a 17-day consent's 14-day reminder falls due 2 to 3 bank days (4-6 s) after the
// request, wherever in its bank day the request fell: after the user's return (within the first
// 4 s even on a busy machine) and inside the 10 s the bank takes to list the accounts. (With 15
// days it fell due at the end of the request's own bank day, before the user's return whenever
// less of that day was left than the login took: the test failed now and then.)
const SCALE = 43_200;
let stack: LifecycleStack;
beforeAll(async () => {
  stack = await startLifecycleStack({ scale: SCALE, bank: { maxConsentDays: 17 }, timings: { linkTimeoutMs: 60_000 } });
});
afterAll(() => stack?.close());

test('the first reminder falls due while the bank is slow to list the accounts of the new consent: it is still sent', async () => {
  await stack.bank.faults.set({ faults: [{ kind: 'latency', endpoint: 'accounts', ms: 10_000, times: 1 }] });
  const { connectionId } = await stack.link({ historyDays: 3 });
  const reminder = await until(
    async () => {
      const rows = await stack.database.db.select().from(notifications).where(and(eq(notifications.connectionId, connectionId), eq(notifications.event, 'consent.expiring')));
      return rows.find((row) => (row.payload as { days_left?: number }).days_left === 14);
    },
    30_000,
    () => 'no 14-day reminder was sent',
  );
  expect(reminder.payload).toMatchObject({ days_left: 14 });
}, 60_000);
