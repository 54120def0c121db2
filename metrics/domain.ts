import { sql, type SQL } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import type { Metrics } from './registry.js';

const DAY_MS = 86_400_000;
/** Days-left buckets of active consents, matching the reminder offsets (14, 7, 1 days). */
const DAYS_LEFT_BUCKETS = [1, 7, 14, 30] as const;

/**
 * What ops watch besides HTTP: syncs by outcome, transactions imported, connections by status,
 * consents by days left. Read from Postgres at scrape time (counts, grouped), so every API
 * process reports the same figures whichever worker did the work.
 */
export function registerDomainMetrics(metrics: Metrics, database: DatabaseHandle) {
  /** A gauge of row counts by label: `query` selects the labels as columns and the count as `n`. */
  const countsBy = (name: string, help: string, labelNames: string[], query: SQL) =>
    metrics.gaugeCollectedOnScrape({
      name,
      help,
      labelNames,
      collect: async (gauge) => {
        for (const { n, ...labels } of await database.rows<Record<string, string> & { n: number }>(query)) gauge.set(labels, n);
      },
    });

  countsBy(
    'bankfeed_syncs',
    'Syncs by trigger (scheduled, manual, initial, backfill) and outcome (completed, failed, joined, skipped, running, requested)',
    ['trigger', 'status'],
    sql`select trigger, status, count(*)::int as n from syncs group by 1, 2`,
  );
  countsBy('bankfeed_account_sync_runs', 'Per-account sync runs by outcome', ['status'], sql`select status, count(*)::int as n from sync_runs group by 1`);
  countsBy('bankfeed_transactions', 'Booked transactions stored, by where they came from (feed, file)', ['source'], sql`select source, count(*)::int as n from transactions group by 1`);
  countsBy('bankfeed_connections', 'Bank connections by status', ['status'], sql`select status, count(*)::int as n from bank_connections group by 1`);
  metrics.gaugeCollectedOnScrape({
    name: 'bankfeed_active_consents',
    help: 'Consents in force by days left until they expire (le: at most that many days; +Inf: more than 30)',
    labelNames: ['days_left_le'],
    collect: async (gauge) => {
      const rows = await database.rows<{ expires_at: Date | string }>(sql`select expires_at from consents where status = 'active' and expires_at > now()`);
      const counts = new Map<string, number>([...DAYS_LEFT_BUCKETS.map((d) => [String(d), 0] as const), ['+Inf', 0]]);
      for (const { expires_at: expiresAt } of rows) {
        const days = (new Date(expiresAt).getTime() - Date.now()) / DAY_MS;
        const bucket = DAYS_LEFT_BUCKETS.find((limit) => days <= limit);
        const label = bucket === undefined ? '+Inf' : String(bucket);
        counts.set(label, counts.get(label)! + 1);
      }
      for (const [label, n] of counts) gauge.set({ days_left_le: label }, n);
    },
  });
}
