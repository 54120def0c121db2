import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bankAccounts, bankConnections, connectionAccounts } from '../db/schema.js';
import { SYNCABLE_STATUSES } from '../domain/connection-status.js';
import { addDays, dateInZone } from '../domain/dates.js';
import type { Institution } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { BankClock } from '../time/bank-clock.js';

/** The first day an institution still serves: its history window, counted back from the bank's today. */
export function earliestServed(institution: Pick<Institution, 'historyDays'>, bankToday: string): string {
  return addDays(bankToday, -(institution.historyDays - 1));
}

export type RefetchPlan =
  | { ok: true; connectionId: string }
  | { ok: false; reason: 'no-consent' }
  | { ok: false; reason: 'too-early'; earliest: string }
  | { ok: false; reason: 'in-the-future'; latest: string };

/**
 * Which connection can read an account again from `from` (ALYF's "Last Integration Date" moved
 * back): one that shares the account under a consent the bank honours and whose bank still
 * serves that day; of several, the most recently attached. Refused with the earliest day allowed
 * when no bank serves that far back, or when no connection holds a valid consent.
 */
export async function planRefetch(db: Database, deps: { providers: ProviderRegistry; clock: BankClock }, accountId: string, from: string): Promise<RefetchPlan> {
  const feeds = await db
    .select({ connectionId: connectionAccounts.connectionId, institutionId: bankConnections.institutionId })
    .from(connectionAccounts)
    .innerJoin(bankConnections, eq(bankConnections.id, connectionAccounts.connectionId))
    .where(
      and(
        eq(connectionAccounts.accountId, accountId),
        isNull(connectionAccounts.detachedAt),
        sql`${connectionAccounts.providerAccountId} is not null`,
        inArray(bankConnections.status, [...SYNCABLE_STATUSES]),
      ),
    )
    .orderBy(desc(connectionAccounts.attachedAt));
  let earliest: string | undefined;
  let latest: string | undefined;
  for (const feed of feeds) {
    const institution = deps.providers.institution(feed.institutionId);
    if (!institution) continue;
    const today = dateInZone(deps.clock.bankNow(), institution.timeZone);
    const first = earliestServed(institution, today);
    if (from >= first && from <= today) return { ok: true, connectionId: feed.connectionId };
    if (earliest === undefined || first < earliest) earliest = first;
    if (latest === undefined || today > latest) latest = today;
  }
  if (earliest === undefined || latest === undefined) return { ok: false, reason: 'no-consent' };
  return from > latest ? { ok: false, reason: 'in-the-future', latest } : { ok: false, reason: 'too-early', earliest };
}

/** Marks the account for a re-read from `from` at its next sync, reaching back its import start if needed. */
export async function markRefetch(db: Database, accountId: string, from: string): Promise<void> {
  await db
    .update(bankAccounts)
    .set({
      refetchFrom: sql`least(${bankAccounts.refetchFrom}, ${from}::date)`,
      importStart: sql`least(${bankAccounts.importStart}, ${from}::date)`,
    })
    .where(eq(bankAccounts.id, accountId));
}
