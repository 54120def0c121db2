import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { bankAccounts, transactions } from '../../db/schema.js';
import { isUnreadable, readTransaction } from '../../providers/nextgenpsd2/mapping.js';
import { addDays } from '../../domain/dates.js';
import { camtEntryOf, camtText } from '../helpers/camt.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { storedAndTruth } from '../helpers/truth.js';

let stack: LifecycleStack;
beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
});
afterAll(() => stack?.close());

const rowsOf = async (accountId: string) => (await stack.database.db.select({ n: count() }).from(transactions).where(eq(transactions.accountId, accountId)))[0]!.n;

test("a statement file of the Demo Bank's own transactions and the bank feed store each transaction once, whichever comes first", async () => {
  // The feed imports the last 10 days; the file holds 40 days: 10 the feed has, 30 it has not (yet).
  const { connectionId } = await stack.link({ historyDays: 10 });
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  const [account] = await stack.accounts(connectionId);
  const lastDay = account!.lastIntegrationDate!;
  const from = addDays(lastDay, -39);
  const fromFeed = await rowsOf(account!.id);
  expect(fromFeed).toBeGreaterThan(0);

  const truth = (await stack.bank.truth(account!.providerAccountId!))
    .map((entry) => readTransaction(entry, 'booked', lastDay))
    .flatMap((entry) => (isUnreadable(entry) || entry.bookingDate < from || entry.bookingDate > lastDay || entry.currency !== account!.currency ? [] : [entry]));
  // No bank references in the file: only the content can recognise what the feed stored.
  const entries = truth.map(camtEntryOf);
  const file = camtText({ iban: account!.iban, currency: account!.currency, messageId: `DEMO-${from}`, statements: [{ id: `DEMO-${from}-${lastDay}`, opening: '0', entries }] });
  // Over real HTTP, as curl --data-binary sends it: the body streams into the import.
  const uploaded = await fetch(`${stack.apiUrl}/v1/accounts/${account!.id}/statements`, {
    method: 'POST',
    headers: { ...stack.headers, 'content-type': 'application/x-www-form-urlencoded' },
    body: file,
  });
  const body = await uploaded.text();
  expect(uploaded.status, body.slice(0, 500)).toBe(201);
  const result = JSON.parse(body) as { counts: { booked: number; inserted: number; duplicates: number } };
  expect(result.counts.booked).toBe(truth.length);
  // File after feed: what the feed stored is recognised, the rest is new.
  expect(result.counts.duplicates).toBe(fromFeed);
  expect(result.counts.inserted).toBe(truth.length - fromFeed);
  const afterFile = await rowsOf(account!.id);
  expect(afterFile).toBe(truth.length);

  // Refused at its first statement while the client is still sending the rest: a clear 422 all the same.
  const foreign = camtText({ iban: 'NL91ABNA0417164300', currency: 'EUR', messageId: 'FOREIGN', statements: [{ id: 'FOREIGN-1', opening: '0', entries: Array.from({ length: 50 }, () => entries).flat() }] });
  expect(foreign.length).toBeGreaterThan(1024 * 1024);
  const refused = await fetch(`${stack.apiUrl}/v1/accounts/${account!.id}/statements`, { method: 'POST', headers: { ...stack.headers, 'content-type': 'application/xml' }, body: foreign });
  expect(refused.status).toBe(422);
  expect(await refused.json()).toMatchObject({ type: 'urn:bankfeed:problem:account-mismatch', location: expect.stringMatching(/^statement 1/) });
  expect(await rowsOf(account!.id)).toBe(afterFile);

  // Feed after file: the bank backfills the 30 days the file brought, and adds nothing already there.
  const patched = await stack.app.inject({ method: 'PATCH', url: `/v1/accounts/${account!.id}`, headers: stack.headers, payload: { import_start: from } });
  expect(patched.statusCode, patched.body).toBe(200);
  const sync = await stack.app.inject({ method: 'POST', url: `/v1/connections/${connectionId}/sync`, headers: stack.headers });
  expect(sync.statusCode, sync.body).toBeLessThan(300);
  const synced = await until(
    async () => {
      const [row] = await stack.database.db.select().from(bankAccounts).where(eq(bankAccounts.id, account!.id));
      return row && row.coveredRanges.length === 1 && row.coveredRanges[0]!.from <= from && row.lastIntegrationDate! >= lastDay ? row : undefined;
    },
    60_000,
    () => 'the backfill did not cover the file period',
  );
  expect(await rowsOf(account!.id)).toBe(afterFile);
  const { stored, truth: expected } = await storedAndTruth(stack.database, stack.bank, { ...synced, providerAccountId: account!.providerAccountId, lastIntegrationDate: lastDay });
  expect(stored).toEqual(expected);
}, 180_000);
