import { sql } from 'drizzle-orm';

/**
 * The transaction feed's horizon (api/routes/transaction-feed.ts says why), as the CTEs `snapshot`
 * and `horizon(xid)`: read in the statement that reads the rows, so from the snapshot they are read
 * with. xids of the snapshot are 64 bits, a backend's are the low 32 of them. A transaction that
 * ended after the snapshot is no longer listed anywhere, so it counts: it may have written here.
 */
export const changeHorizon = sql.raw(`
  snapshot as materialized (select pg_current_snapshot() as s),
  horizon as materialized (
    select coalesce(
      (select min(x) from snapshot, pg_snapshot_xip(snapshot.s) x
       where (x::text::numeric % 4294967296)::text not in (
         select backend_xid::text from pg_stat_activity where datname is distinct from current_database() and backend_xid is not null)),
      (select pg_snapshot_xmax(s) from snapshot)) as xid)`);
