/**
 * `npm run db:generate -- --name <what>`: drizzle-kit's migration, made schema-neutral.
 *
 * drizzle-kit writes foreign keys as REFERENCES "public"."table"; bankfeed's tables may live in
 * any schema (DATABASE_SCHEMA, and one schema per test file), so the qualifier is dropped and
 * every statement runs against the connection's search_path.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const folder = 'db/migrations';
execFileSync('npx', ['drizzle-kit', 'generate', ...process.argv.slice(2)], { stdio: 'inherit' });
for (const file of readdirSync(folder).filter((name) => name.endsWith('.sql'))) {
  const path = join(folder, file);
  const text = readFileSync(path, 'utf8');
  const neutral = text.replaceAll('"public".', '');
  if (neutral !== text) writeFileSync(path, neutral);
}
