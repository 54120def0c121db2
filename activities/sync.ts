import { Context } from '@temporalio/activity';
import { and, eq, isNull, sql } from 'drizzle-orm';
import { syncableAccountIds } from '../accounts/links.js';
import { accountLockKey } from '../accounts/lock.js';
import { earliestServed } from '../accounts/refetch.js';
import { balances, bankAccounts, connectionAccounts, consents, syncRuns, syncs, type SyncRunProblem } from '../db/schema.js';
import type { ProviderTransaction } from '../providers/provider.js';
import { addDays } from '../domain/dates.js';
import { FingerprintCounter } from '../transactions/identity.js';
import { replacePending } from '../transactions/pending.js';
import { openBatchStore, STORE_BATCH_SIZE, type BookedEntry } from '../transactions/store.js';
import type { SyncTrigger } from '../domain/sync-trigger.js';
import { connectionContext, loadConsent } from './connection-context.js';
import type { ActivityDeps } from './deps.js';
import { translatingFailures } from './failures.js';
import { toDeliver } from './deliveries.js';
import { writeNotice, type NoticeWritten } from './notifications.js';
import { mergeRanges, planFetch, watermark, withoutRange } from './sync-window.js';

/** What a sync of one account did: counts only, never data. */
export interface AccountSyncResult {
  fetched: number;
  inserted: number;
  updated: number;
  pending: number;
  unreadable: number;
  /** When the bank was first asked (ms since the epoch), for the workflow's budget; undefined if it was not asked. */
  accessedAt?: number;
}

const HEARTBEAT_EVERY_MS = 2000;

export function createSyncActivities(deps: ActivityDeps) {
  const { db } = deps.database;

  return {
    /**
     * Opens a sync (the API may have opened a manual one already) and names the accounts to fetch:
     * enabled ones attached to the connection and shared under its current consent. Syncs right after linking or renewal run on behalf
     * of the user who just came back from the bank (attended).
     */
    async startSync(input: { connectionId: string; syncId: string; trigger: SyncTrigger; consentId: string }): Promise<{ accountIds: string[] }> {
      const [consent] = await db.select({ ip: consents.psuIpAddress }).from(consents).where(eq(consents.id, input.consentId));
      const onBehalfOfUser = input.trigger === 'initial' || input.trigger === 'backfill';
      await db
        .insert(syncs)
        .values({
          id: input.syncId,
          connectionId: input.connectionId,
          trigger: input.trigger,
          status: 'running',
          startedAt: new Date(),
          psuIpAddress: onBehalfOfUser ? (consent?.ip ?? null) : null,
        })
        .onConflictDoUpdate({ target: syncs.id, set: { status: 'running', startedAt: sql`coalesce(${syncs.startedAt}, now())` } });
      // The person's IP moves from the consent to the sync it was given for, and leaves with it (finishSync).
      if (onBehalfOfUser) await db.update(consents).set({ psuIpAddress: null }).where(eq(consents.id, input.consentId));
      return { accountIds: await syncableAccountIds(db, input.connectionId) };
    },

    /**
     * Fetches one account's transactions and balances and stores them exactly once. One request
     * per sync covers the gaps and the overlap; pages are stored as they arrive; a retry starts
     * over and finds what it stored already.
     */
    async syncAccount(input: { connectionId: string; syncId: string; accountId: string; consentId: string; overlapDays: number }): Promise<AccountSyncResult> {
      return translatingFailures(() =>
        deps.database.withLock(accountLockKey(input.accountId), async () => {
          const [run] = await db
            .insert(syncRuns)
            .values({ syncId: input.syncId, connectionId: input.connectionId, accountId: input.accountId, status: 'running' })
            .onConflictDoUpdate({
              target: [syncRuns.syncId, syncRuns.accountId],
              set: { status: 'running', startedAt: new Date(), finishedAt: null, errors: [], warnings: [] },
            })
            .returning({ id: syncRuns.id });
          const heartbeat = setInterval(() => Context.current().heartbeat(), HEARTBEAT_EVERY_MS);
          const errors: SyncRunProblem[] = [];
          try {
            const result = await fetchAndStore(input, run!.id, errors);
            await db
              .update(syncRuns)
              .set({ status: 'completed', finishedAt: new Date(), fetched: result.fetched, inserted: result.inserted, updated: result.updated, pending: result.pending, errors })
              .where(eq(syncRuns.id, run!.id));
            return result;
          } catch (error) {
            errors.push({ message: error instanceof Error ? error.message : String(error) });
            await db.update(syncRuns).set({ status: 'failed', finishedAt: new Date(), errors }).where(eq(syncRuns.id, run!.id));
            throw error;
          } finally {
            clearInterval(heartbeat);
          }
        }),
      );
    },

    /** Closes a sync: its outcome, and a notice of the totals for the ledger app. */
    async finishSync({ syncId, status, reason }: { syncId: string; status: 'completed' | 'failed'; reason?: string }): Promise<NoticeWritten> {
      const [sync] = await db
        .update(syncs)
        // The bank needs the person's IP only while the sync they asked for runs: then it is erased.
        .set({ status, reason: reason ?? null, finishedAt: new Date(), psuIpAddress: null })
        .where(eq(syncs.id, syncId))
        .returning({ connectionId: syncs.connectionId, trigger: syncs.trigger });
      if (!sync) return {};
      const [totals] = await db
        .select({
          accounts: sql<number>`count(*)::int`,
          fetched: sql<number>`coalesce(sum(${syncRuns.fetched}), 0)::int`,
          inserted: sql<number>`coalesce(sum(${syncRuns.inserted}), 0)::int`,
          updated: sql<number>`coalesce(sum(${syncRuns.updated}), 0)::int`,
          pending: sql<number>`coalesce(sum(${syncRuns.pending}), 0)::int`,
        })
        .from(syncRuns)
        .where(eq(syncRuns.syncId, syncId));
      const noticeId = await writeNotice(db, {
        connectionId: sync.connectionId,
        event: 'sync.completed',
        payload: { sync_id: syncId, trigger: sync.trigger, status, ...totals },
        dedupKey: `sync:${syncId}:finished`,
      });
      return toDeliver(deps, noticeId);
    },

    /** A manual request that will not run on its own: it joined a running sync, or was skipped (and why). */
    async settleSyncRequest(input: { syncId: string; status: 'joined' | 'skipped'; joinedSyncId?: string; reason?: string }): Promise<void> {
      await db
        .update(syncs)
        .set({ status: input.status, joinedSyncId: input.joinedSyncId ?? null, reason: input.reason ?? null, finishedAt: new Date(), psuIpAddress: null })
        .where(eq(syncs.id, input.syncId));
    },
  };

  async function fetchAndStore(
    input: { connectionId: string; syncId: string; accountId: string; consentId: string; overlapDays: number },
    runId: string,
    errors: SyncRunProblem[],
  ): Promise<AccountSyncResult> {
    const { connection, institution, provider, bankToday } = await connectionContext(deps, input.connectionId);
    const { consentRef } = await loadConsent(deps, input.consentId);
    const [attached] = await db
      .select({ account: bankAccounts, providerAccountId: connectionAccounts.providerAccountId })
      .from(connectionAccounts)
      .innerJoin(bankAccounts, eq(bankAccounts.id, connectionAccounts.accountId))
      .where(and(eq(connectionAccounts.connectionId, input.connectionId), eq(connectionAccounts.accountId, input.accountId), isNull(connectionAccounts.detachedAt)));
    const [sync] = await db.select({ ip: syncs.psuIpAddress }).from(syncs).where(eq(syncs.id, input.syncId));
    if (!attached?.providerAccountId || !consentRef) return { fetched: 0, inserted: 0, updated: 0, pending: 0, unreadable: 0 };
    const { account, providerAccountId } = attached;

    const today = bankToday();
    const lastDay = connection.untilLastMidnight ? addDays(today, -1) : today;
    const importStart = account.importStart ?? lastDay;
    const earliestAvailable = earliestServed(institution, today);
    const plan = planFetch({ importStart, covered: account.coveredRanges, refetchFrom: account.refetchFrom ?? undefined, lastDay, earliestAvailable, overlapDays: input.overlapDays });
    const warnings: SyncRunProblem[] = [];
    if (plan?.unavailable) {
      warnings.push({
        message: `the bank serves ${institution.historyDays} days of history: ${plan.unavailable.from} to ${plan.unavailable.to} cannot be imported from it (a statement file can fill them)`,
        location: `${plan.unavailable.from}..${plan.unavailable.to}`,
      });
    }
    await db.update(syncRuns).set({ dateFrom: plan?.dateFrom ?? null, dateTo: plan?.dateTo ?? null, warnings }).where(eq(syncRuns.id, runId));
    if (!plan) return { fetched: 0, inserted: 0, updated: 0, pending: 0, unreadable: 0 };

    const access = { psuIpAddress: sync?.ip ?? undefined, signal: Context.current().cancellationSignal };
    const accessedAt = Date.now();
    const counter = new FingerprintCounter();
    const seenKeys = new Set<string>();
    const pending: ProviderTransaction[] = [];
    let batch: BookedEntry[] = [];
    const totals = { fetched: 0, inserted: 0, updated: 0 };
    // Batches are stored while the next pages are fetched and read: the bank and Postgres work at once.
    const store = await openBatchStore(deps.database, account.id, { source: 'feed', keyNamespace: institution.provider });
    try {
      // Pending entries carry today's date range too; booked ones of today wait for midnight when asked to.
      for await (const page of provider.transactions(consentRef, providerAccountId, { dateFrom: plan.dateFrom, dateTo: today }, access)) {
        for (const entry of page.booked) {
          if (entry.bookingDate < plan.dateFrom || entry.bookingDate > plan.dateTo) continue;
          totals.fetched++;
          // A bank that repeats a row (same key) within one answer sent one transaction, not two.
          if (entry.providerKey) {
            if (seenKeys.has(entry.providerKey)) continue;
            seenKeys.add(entry.providerKey);
          }
          batch.push({
            providerKey: entry.providerKey,
            fingerprint: counter.fingerprint(entry),
            bookingDate: entry.bookingDate,
            valueDate: entry.valueDate,
            amount: entry.amount,
            currency: entry.currency,
            counterpartyName: entry.counterpartyName,
            counterpartyIban: entry.counterpartyIban,
            remittanceInformation: entry.remittanceInformation,
            endToEndId: entry.endToEndId,
            mandateId: entry.mandateId,
            bankTransactionCode: entry.bankTransactionCode,
          });
          if (batch.length >= STORE_BATCH_SIZE) {
            await store.store(batch);
            batch = [];
          }
        }
        pending.push(...page.pending);
        errors.push(...page.unreadable.map((u) => ({ message: `unreadable entry: ${u.reason}`, raw: u.raw })));
      }
      await store.store(batch);
      Object.assign(totals, await store.finish());
    } catch (error) {
      await store.settle();
      throw error;
    }

    const pendingCounts = await replacePending(
      deps.database,
      account.id,
      pending.map((p) => ({ ...p, expectedDate: p.valueDate ?? p.bookingDate })),
      new Date(),
      today,
    );
    const reported = await provider.getBalances(consentRef, providerAccountId, access);
    if (reported.length > 0) {
      const fetchedAt = new Date();
      await db.insert(balances).values(reported.map((b) => ({ accountId: account.id, ...b, fetchedAt })));
    }

    // A range with an entry that could not be read is not complete, even where an earlier sync
    // covered it: it becomes a gap, and the next sync asks for it again.
    const fetched = { from: plan.dateFrom, to: plan.dateTo };
    const covered = errors.length === 0 ? mergeRanges([...account.coveredRanges, fetched]) : withoutRange(account.coveredRanges, fetched);
    await db
      .update(bankAccounts)
      .set({
        coveredRanges: covered,
        lastIntegrationDate: watermark(covered, importStart < earliestAvailable ? earliestAvailable : importStart) ?? null,
        // The re-fetch asked for is done, unless another was asked for meanwhile.
        refetchFrom: sql`case when ${bankAccounts.refetchFrom} = ${account.refetchFrom} then null else ${bankAccounts.refetchFrom} end`,
      })
      .where(eq(bankAccounts.id, account.id));
    return { ...totals, pending: pendingCounts.current, unreadable: errors.length, accessedAt };
  }
}
