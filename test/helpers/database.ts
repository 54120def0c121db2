import { randomBytes } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';

export type TestDatabase = DatabaseHandle & { url: string | undefined; drop(): Promise<void> };

/**
 * A migrated database of the test file's own: a fresh schema in the shared Postgres, or a
 * fresh in-memory PGlite. `drop()` removes it.
 */
export async function createTestDatabase(url = inject('databaseUrl')): Promise<TestDatabase> {
  const schemaName = `test_${randomBytes(6).toString('hex')}`;
  const database = await openDatabase({ url, schemaName, poolSize: 4 });
  await database.migrate();
  return {
    ...database,
    url,
    async drop() {
      if (database.driver === 'postgres') await dropSchema(database, schemaName);
      await database.close();
    },
  };
}

/** A process that just died may still hold locks in the schema for a moment: a deadlock there is retried. */
async function dropSchema(database: DatabaseHandle, schemaName: string) {
  for (let attempt = 1; ; attempt++) {
    try {
      await database.db.execute(sql`drop schema ${sql.identifier(schemaName)} cascade`);
      return;
    } catch (error) {
      const code = (error as { cause?: { code?: string } }).cause?.code;
      if (code !== '40P01' || attempt === 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    }
  }
}
