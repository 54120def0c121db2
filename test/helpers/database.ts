import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../../db/client.js';

export type TestDatabase = DatabaseHandle & { url: string | undefined; drop(): Promise<void> };

/**
 * A migrated database of the test file's own: a fresh database on the shared Postgres server, or a
 * fresh in-memory PGlite. `drop()` removes it. A database, not a schema in a shared one: the
 * transaction feed's horizon skips what runs in other databases only, so other test files' long
 * imports would otherwise hold this file's feed back.
 */
export async function createTestDatabase(url = inject('databaseUrl')): Promise<TestDatabase> {
  if (!url) {
    const database = await openDatabase({ schemaName: `test_${randomBytes(6).toString('hex')}` });
    await database.migrate();
    return { ...database, url, drop: () => database.close() };
  }
  const name = `test_${randomBytes(6).toString('hex')}`;
  const server = postgres(url, { max: 1, onnotice: () => {} });
  await server.unsafe(`create database ${name}`);
  const ownUrl = new URL(url);
  ownUrl.pathname = `/${name}`;
  const database = await openDatabase({ url: ownUrl.href, schemaName: 'public', poolSize: 4 });
  await database.migrate();
  return {
    ...database,
    url: ownUrl.href,
    async drop() {
      await database.close();
      // A process of the test that just died may still be connected for a moment.
      await server.unsafe(`drop database ${name} with (force)`);
      await server.end();
    },
  };
}
