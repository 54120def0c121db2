import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { randomBytes } from 'node:crypto';
import { getTableName, is, sql } from 'drizzle-orm';
import { toSnakeCase } from 'drizzle-orm/casing';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, inject, test } from 'vitest';
import { openDatabase, type DatabaseOptions } from '../../db/client.js';
import * as schema from '../../db/schema.js';

const tables: PgTable[] = Object.values(schema).filter((value) => is(value, PgTable));
const postgresUrl = inject('databaseUrl');

const drivers: [string, DatabaseOptions['url']][] = [['PGlite', undefined]];
if (postgresUrl) drivers.push(['Postgres', postgresUrl]);

describe.each(drivers)('migrations on %s', (_driver, url) => {
  test('create every table and column of db/schema.ts in the chosen schema, and a second run changes nothing', async () => {
    const schemaName = `migrate_${randomBytes(4).toString('hex')}`;
    const database = await openDatabase({ url, schemaName });
    try {
      await database.migrate();
      await database.migrate();
      const columns = await database.rows<{ table_name: string; column_name: string }>(
        sql`select table_name, column_name from information_schema.columns where table_schema = ${schemaName}`,
      );
      for (const table of tables) {
        const actual = columns.filter((c) => c.table_name === getTableName(table)).map((c) => c.column_name);
        expect(actual.sort(), getTableName(table)).toEqual(getTableConfig(table).columns.map((c) => toSnakeCase(c.name)).sort());
      }
      const applied = await database.rows<{ n: number }>(sql`select count(*)::int as n from ${sql.identifier(schemaName)}.drizzle_migrations`);
      const files = (await readdir('db/migrations')).filter((f) => f.endsWith('.sql'));
      expect(applied[0]!.n).toBe(files.length);
    } finally {
      if (url) await database.db.execute(sql`drop schema ${sql.identifier(schemaName)} cascade`);
      await database.close();
    }
  });
});

test.runIf(postgresUrl)('processes that start together migrate once, one after the other', async () => {
  const schemaName = `migrate_${randomBytes(4).toString('hex')}`;
  const processes = await Promise.all([1, 2, 3].map(() => openDatabase({ url: postgresUrl, schemaName, poolSize: 1 })));
  try {
    await Promise.all(processes.map((database) => database.migrate()));
    const [{ n }] = (await processes[0]!.rows<{ n: number }>(sql`select count(*)::int as n from tenants`)) as [{ n: number }];
    expect(n).toBe(0);
  } finally {
    await processes[0]!.db.execute(sql`drop schema ${sql.identifier(schemaName)} cascade`);
    await Promise.all(processes.map((database) => database.close()));
  }
});

test('committed migrations are schema-neutral and match db/schema.ts', async () => {
  for (const file of (await readdir('db/migrations')).filter((f) => f.endsWith('.sql'))) {
    expect(await readFile(join('db/migrations', file), 'utf8'), file).not.toContain('"public".');
  }
  // drizzle-kit compares the schema with the last snapshot: any difference would be a new migration.
  const out = await mkdtemp(join(tmpdir(), 'bankfeed-migrations-'));
  await cp('db/migrations', out, { recursive: true });
  // drizzle-kit reads --out relative to the working folder, even when it is absolute.
  const { stdout } = await promisify(execFile)('npx', [
    'drizzle-kit', 'generate', '--dialect', 'postgresql', '--schema', 'db/schema.ts', '--casing', 'snake_case', '--out', relative(process.cwd(), out),
  ]);
  expect(stdout).toContain('No schema changes');
});
