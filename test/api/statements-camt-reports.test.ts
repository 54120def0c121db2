import { readFileSync } from 'node:fs';
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pendingTransactions, transactions } from '../../db/schema.js';
import { parseStatementFile, type StatementEntry } from '../../statements/index.js';
import { replacePending } from '../../transactions/pending.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { camtText, type CamtEntry } from '../helpers/camt.js';
import { accountOfNewTenant, accountRows, storeAsFeed } from '../helpers/statement-accounts.js';

const CH_IBAN = 'CH9300762011623852957';
const NL_IBAN = 'NL91ABNA0417164300';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/statements/${name}`, import.meta.url));
const INTRADAY = fixture('camt052-v08-intraday.xml');
const NOTIFICATION = fixture('camt054-v08-batch.xml');

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

type Account = Awaited<ReturnType<typeof accountOfNewTenant>>;

function upload(account: Account, body: string | Buffer, query = '') {
  return api.app.inject({ method: 'POST', url: `/v1/accounts/${account.id}/statements${query}`, headers: { ...account.headers, 'content-type': 'application/xml' }, payload: body });
}

async function entriesOf(file: Buffer, status: StatementEntry['status']): Promise<StatementEntry[]> {
  const entries: StatementEntry[] = [];
  for await (const event of parseStatementFile(file)) if (event.kind === 'entry' && event.entry.status === status) entries.push(event.entry);
  return entries;
}

/** The account's pending entries still open, and those settled, with the booked transaction's amount and date. */
async function pendingOf(accountId: string) {
  const open = await api.database.db
    .select({ amount: pendingTransactions.amount, name: pendingTransactions.counterpartyName })
    .from(pendingTransactions)
    .where(and(eq(pendingTransactions.accountId, accountId), isNull(pendingTransactions.removedAt)));
  const settled = await api.database.db
    .select({ name: pendingTransactions.counterpartyName, bookedOn: transactions.bookingDate, booked: transactions.amount })
    .from(pendingTransactions)
    .innerJoin(transactions, eq(transactions.id, pendingTransactions.settledTransactionId))
    .where(eq(pendingTransactions.accountId, accountId));
  return { open: open.map((row) => row.name).sort(), settled: settled.map((row) => [row.name, row.bookedOn, Number(row.booked)]) };
}

/** The end-of-day camt.053 of the intraday report's day: its two bookings (same bank references), and the card payment, booked a day later. */
const endOfDay = camtText({
  iban: CH_IBAN,
  currency: 'CHF',
  messageId: 'STMT-20250313',
  statements: [
    {
      id: 'STMT-20250313-1',
      opening: '12000',
      date: '2025-03-13',
      entries: [
        { bookingDate: '2025-03-12', amount: '2500.00', reference: 'CH-20250312-000101', counterpartyName: 'Bergbahnen Engelberg AG', remittanceInformation: 'Rechnung 2025-0311' },
        { bookingDate: '2025-03-12', amount: '-650.00', reference: 'CH-20250312-000102', counterpartyName: 'Elektrizitätswerk Zürich', remittanceInformation: 'Strom Februar' },
        { bookingDate: '2025-03-13', amount: '-45.90', reference: 'CH-20250313-000007', counterpartyName: 'Migros Zürich', remittanceInformation: 'Debitkarte 4321 Migros Zürich 12.03.' },
      ],
    },
  ],
});

describe('camt.052 intraday reports', () => {
  test('booked entries are stored, pending ones kept pending; the balances are not checked (no closing balance) and the import says so', async () => {
    const account = await accountOfNewTenant(api, CH_IBAN, 'CHF');
    const response = await upload(account, INTRADAY);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ format: 'camt.052', counts: { entries: 4, booked: 2, inserted: 2, pending_skipped: 2 } });
    expect(response.json().statements[0]).toMatchObject({ balance_checked: false, balance_ok: true, opening: '12000' });
    expect(response.json().warnings).toEqual([expect.stringMatching(/balances not checked: no closing balance/)]);
    expect(await pendingOf(account.id)).toEqual({ open: ['Hotel Titlis', 'Migros Zürich'], settled: [] });
    const listed = await api.app.inject({ method: 'GET', url: `/v1/accounts/${account.id}/transactions?status=pending`, headers: account.headers });
    expect(listed.json().data).toHaveLength(2);

    // The next report lists the same pending entries again: still two.
    expect((await upload(account, INTRADAY)).statusCode).toBe(200);
    expect(await pendingOf(account.id)).toEqual({ open: ['Hotel Titlis', 'Migros Zürich'], settled: [] });
  });

  test('then the camt.053: the booked entries land once, and the pending card payment is replaced by its booking', async () => {
    const account = await accountOfNewTenant(api, CH_IBAN, 'CHF');
    expect((await upload(account, INTRADAY)).statusCode).toBe(201);
    const statement = await upload(account, endOfDay);
    expect(statement.statusCode, statement.body).toBe(201);
    expect(statement.json()).toMatchObject({ format: 'camt.053', counts: { booked: 3, inserted: 1, duplicates: 2 } });
    expect((await accountRows(api.database, account.id)).transactions).toBe(3);
    expect(await pendingOf(account.id)).toEqual({ open: ['Hotel Titlis'], settled: [['Migros Zürich', '2025-03-13', -45.9]] });
  });

  test('the camt.053 first: the report adds no booked entry, and its pending card payment is settled at once', async () => {
    const account = await accountOfNewTenant(api, CH_IBAN, 'CHF');
    expect((await upload(account, endOfDay)).statusCode).toBe(201);
    const report = await upload(account, INTRADAY);
    expect(report.statusCode, report.body).toBe(201);
    expect(report.json()).toMatchObject({ counts: { booked: 2, inserted: 0, duplicates: 2 } });
    expect((await accountRows(api.database, account.id)).transactions).toBe(3);
    expect(await pendingOf(account.id)).toEqual({ open: ['Hotel Titlis'], settled: [['Migros Zürich', '2025-03-13', -45.9]] });
  });

  test('and the feed both ways: its bookings are not stored again, and its pending list is the pending entries the report recorded', async () => {
    const fedFirst = await accountOfNewTenant(api, CH_IBAN, 'CHF');
    await storeAsFeed(api.database, fedFirst.id, await entriesOf(INTRADAY, 'booked'));
    expect((await upload(fedFirst, INTRADAY)).json()).toMatchObject({ counts: { booked: 2, inserted: 0, duplicates: 2 } });

    const fileFirst = await accountOfNewTenant(api, CH_IBAN, 'CHF');
    expect((await upload(fileFirst, INTRADAY)).statusCode).toBe(201);
    expect(await storeAsFeed(api.database, fileFirst.id, await entriesOf(INTRADAY, 'booked'))).toMatchObject({ inserted: 0 });
    // The bank's pending list now holds the card payment only (the incoming payment was cancelled): one row, the file's, kept.
    const [migros] = await entriesOf(INTRADAY, 'pending');
    const counts = await replacePending(api.database, fileFirst.id, [{ providerKey: 'feed-pending-1', expectedDate: migros!.bookingDate, amount: migros!.amount, currency: 'CHF', counterpartyName: migros!.counterpartyName, remittanceInformation: migros!.remittanceInformation }], new Date(), '2025-03-12');
    expect(counts).toMatchObject({ current: 1, vanished: 1 });
    expect(await pendingOf(fileFirst.id)).toEqual({ open: ['Migros Zürich'], settled: [] });
  });
});

describe('camt.054 notifications', () => {
  const booked: CamtEntry[] = [
    { bookingDate: '2025-03-20', amount: '60.00', counterpartyName: 'J. de Vries', remittanceInformation: 'Lidmaatschap maart' },
    { bookingDate: '2025-03-20', amount: '60.00', counterpartyName: 'A. Jansen', remittanceInformation: 'Lidmaatschap maart' },
    { bookingDate: '2025-03-20', amount: '60.00', counterpartyName: 'P. Bakker', remittanceInformation: 'Lidmaatschap maart' },
    { bookingDate: '2025-03-20', amount: '420.00', counterpartyName: 'Sportschool Utrecht B.V.', remittanceInformation: 'Factuur 2025-117 zaalhuur' },
    { bookingDate: '2025-03-20', amount: '-15.00', counterpartyName: 'Bank', remittanceInformation: 'Kosten maart' },
  ];
  // The day's camt.053: the batch's transactions one by one, the transfer, and a fee the notifications did not report.
  const statement = camtText({ iban: NL_IBAN, currency: 'EUR', messageId: 'STMT-20250320', statements: [{ id: 'STMT-20250320-1', opening: '1000', entries: booked }] });

  test('the batch split into its transactions, booked, no balances to check; then the camt.053 adds only what the notification did not hold', async () => {
    const account = await accountOfNewTenant(api, NL_IBAN);
    const notified = await upload(account, NOTIFICATION);
    expect(notified.statusCode, notified.body).toBe(201);
    expect(notified.json()).toMatchObject({ format: 'camt.054', counts: { entries: 4, booked: 4, inserted: 4, pending_skipped: 0 } });
    expect(notified.json().statements[0]).toMatchObject({ balance_checked: false, opening: null, closing: null });
    const stated = await upload(account, statement);
    expect(stated.json()).toMatchObject({ counts: { booked: 5, inserted: 1, duplicates: 4 } });
    expect((await accountRows(api.database, account.id)).transactions).toBe(5);
  });

  test('the camt.053 first: the notification adds nothing', async () => {
    const account = await accountOfNewTenant(api, NL_IBAN);
    expect((await upload(account, statement)).statusCode).toBe(201);
    const notified = await upload(account, NOTIFICATION, '?format=camt054');
    expect(notified.json()).toMatchObject({ format: 'camt.054', counts: { booked: 4, inserted: 0, duplicates: 4 } });
    expect((await accountRows(api.database, account.id)).transactions).toBe(5);
  });

  test('a named format that is not the file\'s is refused, naming both', async () => {
    const account = await accountOfNewTenant(api, NL_IBAN);
    const response = await upload(account, NOTIFICATION, '?format=camt053');
    expect(response.statusCode).toBe(422);
    expect(response.json().detail).toMatch(/the file is camt\.054 \(debit\/credit notification\), not camt\.053/);
  });
});
