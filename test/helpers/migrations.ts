import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import type { PgliteDatabase } from 'drizzle-orm/pglite';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { expect } from 'vitest';
import type { DatabaseHandle } from '../../db/client.js';

/**
 * Migrates `database` with the committed migrations up to (not including) `tag`: the state an
 * upgrade test fills with what the old code wrote, before `database.migrate()` runs the rest.
 */
export async function migrateUpTo(database: DatabaseHandle, tag: string): Promise<void> {
  const folder = await mkdtemp(join(tmpdir(), 'bankfeed-migrations-'));
  try {
    await cp('db/migrations', folder, { recursive: true });
    const journalPath = join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalPath, 'utf8')) as { entries: { tag: string }[] };
    const end = journal.entries.findIndex((entry) => entry.tag === tag);
    expect(end).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, end);
    await writeFile(journalPath, JSON.stringify(journal));
    const config = { migrationsFolder: folder, migrationsSchema: database.schemaName, migrationsTable: 'drizzle_migrations' };
    if (database.driver === 'pglite') await migratePglite(database.db as unknown as PgliteDatabase, config);
    else await migratePostgres(database.db as unknown as PostgresJsDatabase, config);
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
