/**
 * A reminder falls due while the link is still being completed (a slow bank answering the account
 * list): it is sent, late, instead of being counted as already past. Only reminders already due
 * when the user authorised are skipped (a 10-day consent gets no 14-day reminder).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { notifications } from '../../db/schema.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';

// A bank day every 2 s: a 15-day consent's 14-day reminder is due within 2 s of the user's return.
const SCALE = 43_200;
let stack: LifecycleStack;
beforeAll(async () => {
  stack = await startLifecycleStack({ scale: SCALE, bank: { maxConsentDays: 15 }, timings: { linkTimeoutMs: 60_000 } });
});
afterAll(() => stack?.close());

test('the first reminder falls due while the bank is slow to list the accounts of the new consent: it is still sent', async () => {
  await stack.bank.faults.set({ faults: [{ kind: 'latency', endpoint: 'accounts', ms: 5_000, times: 1 }] });
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
