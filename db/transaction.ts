import type { SQL } from 'drizzle-orm';
import type { Database, DatabaseHandle } from './client.js';

/**
 * Runs `work` in one database transaction, handing it a DatabaseHandle whose `db` and `rows` run
 * inside it: everything it writes commits together, or nothing does when it throws.
 */
export async function inTransaction<T>(database: DatabaseHandle, work: (transaction: DatabaseHandle) => Promise<T>): Promise<T> {
  return database.db.transaction(async (tx) =>
    work({
      ...database,
      db: tx as unknown as Database,
      rows: async <R>(query: SQL) => {
        const result = await tx.execute(query);
        // postgres.js answers the rows themselves, PGlite a result object holding them.
        return (database.driver === 'pglite' ? (result as unknown as { rows: R[] }).rows : result) as unknown as R[];
      },
    }),
  );
}
