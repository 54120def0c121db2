import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { transactions } from '../../db/schema.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;
beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
});
afterAll(() => stack?.close());

test('linking through the login pages imports the history of every shared account', async () => {
  const { connectionId, landing } = await stack.link({ historyDays: 30 });
  expect(landing.status).toBe(303);
  expect(landing.headers.get('location')).toBe(`https://ledger.example/banking/done?connection_id=${connectionId}&status=authorized`);
  const row = await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null);
  expect(row.consentExpiresAt).not.toBeNull();
  const accounts = await stack.accounts(connectionId);
  expect(accounts.length).toBeGreaterThan(0);
  for (const account of accounts) {
    const stored = await stack.database.db.select().from(transactions).where(eq(transactions.accountId, account.id));
    const truth = (await stack.bank.truth(account.providerAccountId!)).filter((t) => t.bookingDate! >= account.importStart! && t.bookingDate! <= account.lastIntegrationDate!);
    expect(stored.length, account.iban).toBe(truth.length);
  }
});
