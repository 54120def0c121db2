import { Type, type Static } from '@fastify/type-provider-typebox';
import type { syncRuns, syncs } from '../../db/schema.js';
import { Instant, IsoDate, Nullable, iso, Uuid } from './common.js';

const Problem = Type.Object({ message: Type.String(), location: Nullable(Type.String()) });

export const SyncRun = Type.Object({
  account_id: Uuid,
  status: Type.String(),
  date_from: Nullable(IsoDate),
  date_to: Nullable(IsoDate),
  fetched: Type.Integer(),
  inserted: Type.Integer(),
  updated: Type.Integer(),
  pending: Type.Integer(),
  errors: Type.Array(Problem, { description: 'entries the bank sent that could not be read, and failures' }),
  warnings: Type.Array(Problem),
  started_at: Instant,
  finished_at: Nullable(Instant),
});

export const Sync = Type.Object({
  id: Uuid,
  connection_id: Uuid,
  trigger: Type.String({ description: 'scheduled, manual, initial or backfill' }),
  status: Type.String({ description: 'requested, running, completed, failed, joined (a running sync did the work) or skipped' }),
  reason: Nullable(Type.String()),
  joined_sync_id: Nullable(Uuid),
  requested_at: Instant,
  started_at: Nullable(Instant),
  finished_at: Nullable(Instant),
  runs: Type.Array(SyncRun, { description: 'one per account' }),
});

const problems = (list: { message: string; location?: string }[]) => list.map((p) => ({ message: p.message, location: p.location ?? null }));

export function syncView(sync: typeof syncs.$inferSelect, runs: (typeof syncRuns.$inferSelect)[]): Static<typeof Sync> {
  return {
    id: sync.id,
    connection_id: sync.connectionId,
    trigger: sync.trigger,
    status: sync.status,
    reason: sync.reason,
    joined_sync_id: sync.joinedSyncId,
    requested_at: sync.requestedAt.toISOString(),
    started_at: iso(sync.startedAt),
    finished_at: iso(sync.finishedAt),
    runs: runs.map((run) => ({
      account_id: run.accountId,
      status: run.status,
      date_from: run.dateFrom,
      date_to: run.dateTo,
      fetched: run.fetched,
      inserted: run.inserted,
      updated: run.updated,
      pending: run.pending,
      errors: problems(run.errors),
      warnings: problems(run.warnings),
      started_at: run.startedAt.toISOString(),
      finished_at: iso(run.finishedAt),
    })),
  };
}
