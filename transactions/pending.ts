import { and, eq, gte, isNotNull, isNull, lte, notExists, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { DatabaseHandle } from '../db/client.js';
import { pendingTransactions, transactions } from '../db/schema.js';
import { addDays } from '../domain/dates.js';
import { compareAmounts } from '../domain/amount.js';
import { contentKey, counterpartyKey } from './identity.js';

export interface PendingEntry {
  providerKey?: string;
  expectedDate: string;
  amount: string;
  currency: string;
  counterpartyName?: string | null;
  counterpartyIban?: string | null;
  remittanceInformation?: string | null;
}

export interface PendingCounts {
  /** Pending entries the bank lists now. */
  current: number;
  /** Entries linked to the booked transaction that settled them, in this sync. */
  settled: number;
  /** Entries gone without a booked transaction to show for it yet (a cancelled hold, or a booking of today not imported until midnight). */
  vanished: number;
}

/** How far a booking may land from a pending entry's expected date and still settle it. */
const SETTLE_DAYS_BEFORE = 5;
const SETTLE_DAYS_AFTER = 10;

type PendingRow = typeof pendingTransactions.$inferSelect;

/**
 * Makes an account's pending entries what the bank lists now. Entries still listed keep their
 * row (and id), new ones are added, and the rest are removed: linked to the booked transaction
 * that settled them where one matches. One that has no match yet (it booked today, and today's
 * bookings wait for midnight) is linked by a later sync. Pending entries never take part in
 * recognising booked ones.
 *
 * @param today the bank's date: how far back removed entries may still find their booking
 */
export async function replacePending(
  database: DatabaseHandle,
  accountId: string,
  fetched: readonly PendingEntry[],
  now: Date,
  today: string,
): Promise<PendingCounts> {
  const { db } = database;
  const existing = await openPending(database, accountId);

  const { fresh, seen, unmatched } = matchListed(existing, fetched);

  if (fresh.length > 0) {
    await db.insert(pendingTransactions).values(
      fresh.map((entry) => pendingRow(accountId, entry, now)),
    );
  }
  for (const row of seen) await db.update(pendingTransactions).set({ lastSeenAt: now }).where(eq(pendingTransactions.id, row.id));

  let settledNow = 0;
  for (const row of unmatched) {
    const settledBy = await findSettlement(database, row);
    if (settledBy) settledNow++;
    await db.update(pendingTransactions).set({ removedAt: now, settledTransactionId: settledBy ?? null }).where(eq(pendingTransactions.id, row.id));
  }

  const justRemoved = new Set([...unmatched].map((row) => row.id));
  const waiting = await db
    .select()
    .from(pendingTransactions)
    .where(
      and(
        eq(pendingTransactions.accountId, accountId),
        isNotNull(pendingTransactions.removedAt),
        isNull(pendingTransactions.settledTransactionId),
        gte(pendingTransactions.expectedDate, addDays(today, -SETTLE_DAYS_AFTER)),
      ),
    );
  let settledLate = 0;
  for (const row of waiting.filter((r) => !justRemoved.has(r.id))) {
    const settledBy = await findSettlement(database, row);
    if (!settledBy) continue;
    settledLate++;
    await db.update(pendingTransactions).set({ settledTransactionId: settledBy }).where(eq(pendingTransactions.id, row.id));
  }
  return { current: fetched.length, settled: settledNow + settledLate, vanished: unmatched.size - settledNow };
}

/** The listed entries that are rows already (by provider key, else by payment), the new ones, and the rows no longer listed. */
function matchListed(existing: readonly PendingRow[], listed: readonly PendingEntry[]) {
  const unmatched = new Set(existing);
  const fresh: PendingEntry[] = [];
  const seen: PendingRow[] = [];
  for (const entry of listed) {
    const row =
      [...unmatched].find((r) => entry.providerKey && r.providerKey === entry.providerKey) ??
      [...unmatched].find((r) => samePayment(r, entry));
    if (row) {
      unmatched.delete(row);
      seen.push(row);
    } else fresh.push(entry);
  }
  return { fresh, seen, unmatched };
}

/**
 * Records the pending entries a statement file lists (a camt.052 intraday report's). A file
 * covers only its own report, not all the bank has pending, so nothing is removed here: an entry
 * pending already (from the feed or an earlier file) is seen again; a new one is added, and
 * recorded as settled at once when its booking is stored already (the end-of-day statement or
 * the feed came first). Returns how many were new.
 */
export async function recordFilePending(database: DatabaseHandle, accountId: string, listed: readonly PendingEntry[], now: Date): Promise<number> {
  if (listed.length === 0) return 0;
  const { db } = database;
  const existing = await openPending(database, accountId);
  const { fresh, seen } = matchListed(existing, listed);
  for (const row of seen) await db.update(pendingTransactions).set({ lastSeenAt: now }).where(eq(pendingTransactions.id, row.id));
  if (fresh.length === 0) return 0;
  const added = await db
    .insert(pendingTransactions)
    .values(fresh.map((entry) => pendingRow(accountId, entry, now)))
    .returning();
  for (const row of added) {
    const settledBy = await findSettlement(database, row);
    if (settledBy) await db.update(pendingTransactions).set({ removedAt: now, settledTransactionId: settledBy }).where(eq(pendingTransactions.id, row.id));
  }
  return fresh.length;
}

/**
 * Settles the account's pending entries whose booking is stored now (a statement file brought
 * it): each is removed and points to its booked transaction. Returns how many were settled.
 */
export async function settleBookedPending(database: DatabaseHandle, accountId: string, now: Date): Promise<number> {
  const { db } = database;
  const open = await openPending(database, accountId);
  let settled = 0;
  for (const row of open) {
    const settledBy = await findSettlement(database, row);
    if (!settledBy) continue;
    settled++;
    await db.update(pendingTransactions).set({ removedAt: now, settledTransactionId: settledBy }).where(eq(pendingTransactions.id, row.id));
  }
  return settled;
}

function openPending(database: DatabaseHandle, accountId: string): Promise<PendingRow[]> {
  return database.db
    .select()
    .from(pendingTransactions)
    .where(and(eq(pendingTransactions.accountId, accountId), isNull(pendingTransactions.removedAt)));
}

function pendingRow(accountId: string, entry: PendingEntry, now: Date) {
  return { accountId, ...entry, providerKey: entry.providerKey ?? null, firstSeenAt: now, lastSeenAt: now };
}

function samePayment(row: PendingRow, entry: PendingEntry): boolean {
  const key = (e: PendingEntry | PendingRow) => contentKey({ ...e, bookingDate: '' });
  return key(row) === key(entry);
}

/**
 * The booked transaction that settled a pending entry: the same provider key if the bank kept
 * it, else the same amount and counterparty near the expected date, not settling another entry.
 */
async function findSettlement(database: DatabaseHandle, row: PendingRow): Promise<string | undefined> {
  const other = alias(pendingTransactions, 'other');
  const candidates = await database.db
    .select()
    .from(transactions)
    .where(
      and(
        eq(transactions.accountId, row.accountId),
        eq(transactions.currency, row.currency),
        gte(transactions.bookingDate, addDays(row.expectedDate, -SETTLE_DAYS_BEFORE)),
        lte(transactions.bookingDate, addDays(row.expectedDate, SETTLE_DAYS_AFTER)),
        notExists(database.db.select({ one: sql`1` }).from(other).where(eq(other.settledTransactionId, transactions.id))),
      ),
    );
  const byKey = row.providerKey ? candidates.find((c) => c.providerKey === row.providerKey) : undefined;
  if (byKey) return byKey.id;
  const party = counterpartyKey(row.counterpartyName, row.counterpartyIban);
  const match = candidates
    .filter((c) => compareAmounts(c.amount, row.amount) === 0 && counterpartyKey(c.counterpartyName, c.counterpartyIban) === party)
    .sort((a, b) => Math.abs(Date.parse(a.bookingDate) - Date.parse(row.expectedDate)) - Math.abs(Date.parse(b.bookingDate) - Date.parse(row.expectedDate)))[0];
  return match?.id;
}
