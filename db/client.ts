import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { sql, type SQL } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';
import * as schema from './schema.js';

const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));
/** Any constant both API and worker agree on; serialises migrations of processes starting together. */
const MIGRATION_LOCK_KEY = 0x6261_6e6b;

export type Database = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface DatabaseHandle {
  db: Database;
  driver: 'postgres' | 'pglite';
  /** The Postgres schema that holds bankfeed's tables (search_path of every connection). */
  schemaName: string;
  /** Runs raw SQL and returns its rows, whichever the driver. */
  rows<T>(query: SQL): Promise<T[]>;
  /** Applies the committed migrations in db/migrations that this database has not seen yet. */
  migrate(): Promise<void>;
  /**
   * Runs `work` while holding an exclusive lock named `key` across every process sharing the
   * database; throws LockBusyError at once when another holder has it.
   */
  withLock<T>(key: string, work: () => Promise<T>): Promise<T>;
  /**
   * Takes the lock `withLock` names `key` for the database transaction `transaction` (a handle
   * from inTransaction), waiting up to `waitMs` for another holder to let go (LockBusyError
   * after that). The caller calls the answer once the transaction has ended.
   */
  lockForTransaction(transaction: DatabaseHandle, key: string, waitMs: number): Promise<() => void>;
  close(): Promise<void>;
}

export class LockBusyError extends Error {
  constructor(key: string) {
    super(`${key} is locked by another process`);
    this.name = 'LockBusyError';
  }
}

export interface DatabaseOptions {
  /** postgres:// URL; without one, PGlite is used. */
  url?: string;
  /** PGlite data folder; without one, PGlite keeps everything in memory. */
  dataDir?: string;
  schemaName?: string;
  /** Connections in the postgres.js pool. */
  poolSize?: number;
}

/** postgres.js when a URL is given, else PGlite (in `dataDir`, or in memory). */
export async function openDatabase(options: DatabaseOptions): Promise<DatabaseHandle> {
  const schemaName = options.schemaName ?? 'public';
  const url = options.url;
  if (url) {
    const client = postgres(url, {
      max: options.poolSize ?? 10,
      connection: { search_path: schemaName, application_name: 'bankfeed' },
      onnotice: () => {},
    });
    const db = drizzlePostgres({ client, schema, casing: 'snake_case' });
    return {
      db,
      driver: 'postgres',
      schemaName,
      rows: async <T>(query: SQL) => (await db.execute(query)) as unknown as T[],
      migrate: async () => {
        // API and worker processes may start at once: one migrates (creating the schema too; a
        // concurrent "create schema if not exists" can fail) while the others wait on the lock,
        // then find nothing left to do. The lock needs one session, hence a client of its own.
        const session = postgres(url, { max: 1, connection: { search_path: schemaName }, onnotice: () => {} });
        try {
          await session`select pg_advisory_lock(${MIGRATION_LOCK_KEY})`;
          await migratePostgres(drizzlePostgres({ client: session, casing: 'snake_case' }), migrationConfig(schemaName));
        } finally {
          await session.end({ timeout: 5 });
        }
      },
      withLock: async (key, work) => {
        const session = await client.reserve();
        try {
          const [{ locked }] = (await session`select pg_try_advisory_lock(hashtextextended(${key}, 0)) as locked`) as unknown as [{ locked: boolean }];
          if (!locked) throw new LockBusyError(key);
          try {
            return await work();
          } finally {
            await session`select pg_advisory_unlock(hashtextextended(${key}, 0))`;
          }
        } finally {
          session.release();
        }
      },
      lockForTransaction: async (transaction, key, waitMs) => {
        // Held by the transaction's own session until it ends: no connection of its own, so an
        // import of a file with many accounts cannot drain the pool.
        await transaction.rows(sql`select set_config('lock_timeout', ${`${Math.max(1, Math.round(waitMs))}ms`}, true)`);
        try {
          await transaction.rows(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
        } catch (error) {
          // lock_not_available, or a deadlock with another transaction taking the same locks in another order.
          const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
          if (code === '55P03' || code === '40P01') throw new LockBusyError(key);
          throw error;
        }
        await transaction.rows(sql`select set_config('lock_timeout', '0', true)`);
        return () => {};
      },
      close: () => client.end({ timeout: 5 }),
    };
  }

  if (options.dataDir) await mkdir(options.dataDir, { recursive: true });
  // pg_trgm: the similar-name lookup of party matching (migration 0008 creates it).
  const client = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), extensions: { pg_trgm } });
  // PGlite is one session, so a plain SET holds for every later query.
  await client.exec(`create schema if not exists "${schemaName}"; set search_path to "${schemaName}"`);
  const db = drizzlePglite({ client, schema, casing: 'snake_case' });
  const held = new Set<string>();
  return {
    db,
    driver: 'pglite',
    schemaName,
    rows: async <T>(query: SQL) => (await db.execute(query)).rows as T[],
    migrate: () => migratePglite(db, migrationConfig(schemaName)),
    // One process owns a PGlite database, so an in-process set of held keys is the whole truth.
    withLock: async (key, work) => {
      if (held.has(key)) throw new LockBusyError(key);
      held.add(key);
      try {
        return await work();
      } finally {
        held.delete(key);
      }
    },
    lockForTransaction: async (_transaction, key, waitMs) => {
      const deadline = Date.now() + waitMs;
      while (held.has(key)) {
        if (Date.now() >= deadline) throw new LockBusyError(key);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      held.add(key);
      return () => held.delete(key);
    },
    close: () => client.close(),
  };
}

function migrationConfig(schemaName: string) {
  return { migrationsFolder: MIGRATIONS_FOLDER, migrationsSchema: schemaName, migrationsTable: 'drizzle_migrations' };
}
