import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { bankAccounts, pendingTransactions, tenants, transactions } from '../../db/schema.js';
import { FingerprintCounter, type TransactionContent } from '../../transactions/identity.js';
import { replacePending } from '../../transactions/pending.js';
import { FILE_ORIGIN, storeBooked, type BookedEntry, type StoreOrigin } from '../../transactions/store.js';

const FEED: StoreOrigin = { source: 'feed', keyNamespace: 'nextgenpsd2' };
import { createTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
let accountId: string;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

beforeEach(async () => {
  const { db } = database;
  const [tenant] = await db.insert(tenants).values({ name: 't' }).returning();
  const [account] = await db.insert(bankAccounts).values({ tenantId: tenant!.id, iban: 'DE89370400440532013000', currency: 'EUR' }).returning();
  accountId = account!.id;
});

const day = (n: number) => `2026-11-${String(n).padStart(2, '0')}`;
const content = (n: number, extra: Partial<TransactionContent> = {}): TransactionContent => ({
  bookingDate: day(10 + (n % 5)),
  amount: `-${n}.25`,
  currency: 'EUR',
  counterpartyName: `Shop ${n}`,
  remittanceInformation: `Order ${n}`,
  ...extra,
});

/** A fetch as the sync activity makes it: one fingerprint counter and one claim set for the whole answer. */
async function fetchOnce(entries: (TransactionContent & Pick<BookedEntry, 'providerKey' | 'mandateId' | 'valueDate' | 'endToEndId' | 'bankTransactionCode'>)[]) {
  const counter = new FingerprintCounter();
  const booked: BookedEntry[] = entries.map((e) => ({ ...e, fingerprint: counter.fingerprint(e) }));
  return storeBooked(database, accountId, booked, FEED, new Set());
}

const stored = () => database.db.select().from(transactions).where(eq(transactions.accountId, accountId));

describe('storeBooked', () => {
  test('stores each transaction once: the same answer twice adds nothing', async () => {
    const answer = Array.from({ length: 50 }, (_, i) => ({ ...content(i), providerKey: `K${i}` }));
    expect(await fetchOnce(answer)).toEqual({ inserted: 50, updated: 0 });
    expect(await fetchOnce(answer)).toEqual({ inserted: 0, updated: 0 });
    expect(await stored()).toHaveLength(50);
  });

  test('a bank that re-keys every id: recognised by fingerprint, rows take the new keys', async () => {
    const answer = Array.from({ length: 20 }, (_, i) => ({ ...content(i), providerKey: `K${i}` }));
    await fetchOnce(answer);
    expect(await fetchOnce(answer.map((e, i) => ({ ...e, providerKey: `NEW-${i}` })))).toEqual({ inserted: 0, updated: 20 });
    const rows = await stored();
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.providerKey!.startsWith('NEW-'))).toBe(true);
  });

  test('entries without ids are recognised by fingerprint; genuine identical payments stay separate', async () => {
    const twin = content(7);
    expect(await fetchOnce([twin, twin, content(8)])).toEqual({ inserted: 3, updated: 0 });
    expect(await fetchOnce([twin, content(8), twin])).toEqual({ inserted: 0, updated: 0 });
    // A third identical payment booked later that day is new.
    expect(await fetchOnce([twin, twin, twin, content(8)])).toEqual({ inserted: 1, updated: 0 });
    expect(await stored()).toHaveLength(4);
  });

  test('an id appearing for an entry first stored without one is attached to it', async () => {
    await fetchOnce([content(3)]);
    expect(await fetchOnce([{ ...content(3), providerKey: 'LATE' }])).toEqual({ inserted: 0, updated: 1 });
    expect((await stored())[0]!.providerKey).toBe('LATE');
  });

  test('twins fetched in a different order with keys keep one row each', async () => {
    const twin = content(9);
    await fetchOnce([{ ...twin, providerKey: 'A' }, { ...twin, providerKey: 'B' }]);
    expect(await fetchOnce([{ ...twin, providerKey: 'B' }, { ...twin, providerKey: 'A' }])).toEqual({ inserted: 0, updated: 0 });
    expect((await stored()).map((r) => r.providerKey).sort()).toEqual(['A', 'B']);
  });

  test('a first import (no ON CONFLICT) into an account that is not empty after all fails whole, never half', async () => {
    await fetchOnce([{ ...content(1), providerKey: 'A' }]);
    const counter = new FingerprintCounter();
    const batch: BookedEntry[] = [content(2), { ...content(1), providerKey: 'A' }].map((e) => ({ ...e, fingerprint: counter.fingerprint(e) }));
    await expect(storeBooked(database, accountId, batch, FEED, new Set(), { accountIsEmpty: true })).rejects.toThrow();
    expect(await database.db.select().from(transactions).where(eq(transactions.accountId, accountId))).toHaveLength(1);
    // The retry takes the usual path and stores what was missing.
    expect(await storeBooked(database, accountId, batch, FEED, new Set())).toEqual({ inserted: 1, updated: 0 });
  });

  test('a mandate the bank adds or corrects later is taken over by the row (an update); the same again, or none, changes nothing', async () => {
    const debit = { ...content(7), providerKey: 'K7' };
    expect(await fetchOnce([debit])).toEqual({ inserted: 1, updated: 0 });
    expect(await fetchOnce([{ ...debit, mandateId: 'MNDT-1' }])).toEqual({ inserted: 0, updated: 1 });
    expect(await fetchOnce([{ ...debit, mandateId: 'MNDT-2' }])).toEqual({ inserted: 0, updated: 1 });
    expect(await fetchOnce([{ ...debit, mandateId: 'MNDT-2' }])).toEqual({ inserted: 0, updated: 0 });
    // A source without the mandate (a feed that does not give it) does not take it away.
    expect(await fetchOnce([debit])).toEqual({ inserted: 0, updated: 0 });
    expect((await stored()).map((row) => row.mandateId)).toEqual(['MNDT-2']);
    // Another change to the row (a value date) keeps the mandate too.
    expect(await fetchOnce([{ ...debit, valueDate: day(20) }])).toEqual({ inserted: 0, updated: 1 });
    expect(await fetchOnce([{ ...content(8), providerKey: 'K8', mandateId: 'MNDT-8' }])).toEqual({ inserted: 1, updated: 0 });
    expect((await stored()).map((row) => row.mandateId).sort()).toEqual(['MNDT-2', 'MNDT-8']);
  });

  test('a file without the details of the feed (a CSV: no value date, IBAN, end-to-end id, code) takes none of them away, nor reports a change', async () => {
    const detailed = { ...content(7), providerKey: 'K7', valueDate: day(9), endToEndId: 'E2E-7', bankTransactionCode: 'PMNT-ICDT-ESCT', counterpartyIban: 'DK5000400440116243' };
    expect(await fetchOnce([detailed])).toEqual({ inserted: 1, updated: 0 });
    const counter = new FingerprintCounter();
    const fromFile = { ...content(7), fingerprint: counter.fingerprint(content(7)) };
    expect(await storeBooked(database, accountId, [fromFile], FILE_ORIGIN, new Set())).toEqual({ inserted: 0, updated: 0 });
    const [row] = await stored();
    expect(row).toMatchObject({ valueDate: day(9), endToEndId: 'E2E-7', bankTransactionCode: 'PMNT-ICDT-ESCT', counterpartyIban: 'DK5000400440116243', providerKey: 'K7' });
    // A correction is still taken over, and keeps the rest.
    expect(await fetchOnce([{ ...detailed, valueDate: day(8) }])).toEqual({ inserted: 0, updated: 1 });
    expect((await stored())[0]).toMatchObject({ valueDate: day(8), endToEndId: 'E2E-7', counterpartyIban: 'DK5000400440116243' });
  });

  test('amounts are stored exactly', async () => {
    await fetchOnce([{ ...content(1), amount: '-0.1' }, { ...content(2), amount: '99999999999999.999' }]);
    expect((await stored()).map((r) => r.amount).sort()).toEqual(['-0.1000', '99999999999999.9990']);
  });
});

describe('replacePending', () => {
  const hold = { expectedDate: day(20), amount: '-30', currency: 'EUR', counterpartyName: 'Fuel Station', remittanceInformation: 'Card 1234' };
  const active = () => database.db.select().from(pendingTransactions).where(eq(pendingTransactions.accountId, accountId));

  test('pending entries keep their rows while listed, and link to the booked transaction that settles them', async () => {
    expect(await replacePending(database, accountId, [hold, { ...hold, amount: '-5' }], new Date(), day(22))).toEqual({ current: 2, settled: 0, vanished: 0 });
    const [first] = await active();
    expect(await replacePending(database, accountId, [hold, { ...hold, amount: '-5' }], new Date(), day(22))).toEqual({ current: 2, settled: 0, vanished: 0 });
    expect((await active()).map((r) => r.id)).toContain(first!.id);

    // The -30 hold books (with a different text and a new id); the -5 one is cancelled.
    await fetchOnce([{ bookingDate: day(21), amount: '-30', currency: 'EUR', counterpartyName: 'FUEL STATION', remittanceInformation: 'POS 1234 20.11', providerKey: 'B-1' }]);
    expect(await replacePending(database, accountId, [], new Date(), day(22))).toEqual({ current: 0, settled: 1, vanished: 1 });
    const rows = await active();
    const booked = (await stored())[0]!;
    expect(rows.find((r) => r.amount === '-30.0000')?.settledTransactionId).toBe(booked.id);
    expect(rows.find((r) => r.amount === '-5.0000')?.settledTransactionId).toBeNull();
    expect(rows.every((r) => r.removedAt)).toBe(true);
    // Pending entries never became transactions of their own.
    expect(await stored()).toHaveLength(1);
  });

  test('an entry that booked today (not imported until midnight) is linked by the next sync', async () => {
    await replacePending(database, accountId, [hold], new Date(), day(20));
    expect(await replacePending(database, accountId, [], new Date(), day(21))).toEqual({ current: 0, settled: 0, vanished: 1 });
    await fetchOnce([{ bookingDate: day(21), amount: '-30', currency: 'EUR', counterpartyName: 'Fuel Station', remittanceInformation: 'POS', providerKey: 'B-2' }]);
    expect(await replacePending(database, accountId, [], new Date(), day(22))).toEqual({ current: 0, settled: 1, vanished: 0 });
    expect((await active())[0]!.settledTransactionId).toBe((await stored())[0]!.id);
  });
});
