/**
 * Once per `npm test`: one Temporal dev server for every test file, and the choice of database
 * (real Postgres when TEST_DATABASE_URL or DATABASE_URL answers, else PGlite in each file).
 */
import type { TestProject } from 'vitest/node';
import postgres from 'postgres';
import { resolveTemporalCli } from '../temporal/cli.js';
import { startDevServer } from '../temporal/dev-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    databaseUrl: string | undefined;
  }
}

export default async function setup(project: TestProject) {
  const databaseUrl = await reachablePostgres(process.env.TEST_DATABASE_URL || process.env.DATABASE_URL);
  project.provide('databaseUrl', databaseUrl);
  console.log(databaseUrl ? 'tests use Postgres' : 'tests use PGlite (set TEST_DATABASE_URL to use Postgres)');

  const server = await startDevServer({
    executable: await resolveTemporalCli(),
    // A low threshold makes continue-as-new happen within a test's lifetime.
    extraArgs: ['--dynamic-config-value', 'limit.historyCount.suggestContinueAsNew=200'],
  });
  project.provide('temporalAddress', server.address);
  return () => server.stop();
}

async function reachablePostgres(url: string | undefined): Promise<string | undefined> {
  if (!url) return undefined;
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  try {
    await sql`select 1`;
    return url;
  } catch (error) {
    console.warn(`${url.replace(/:[^:@/]*@/, ':***@')} is not reachable (${String(error)}); tests use PGlite`);
    return undefined;
  } finally {
    await sql.end({ timeout: 1 });
  }
}
