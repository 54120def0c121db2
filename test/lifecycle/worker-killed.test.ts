/**
 * The worker process killed (SIGKILL) in the middle of an initial import, restarted, several
 * times: the import resumes through Temporal's retries and ends with every transaction exactly
 * once. Needs Postgres, which the test and the worker process share (PGlite is one process's).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { syncRuns, transactions } from '../../db/schema.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { storedAndTruth } from '../helpers/truth.js';

const KILLS = 3;
let stack: LifecycleStack;
let worker: ChildProcess | undefined;

beforeAll(async () => {
  if (!inject('databaseUrl')) return;
  stack = await startLifecycleStack({ scale: 1, inProcessWorker: false, timings: { linkTimeoutMs: 60_000 } });
});
afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    worker.kill('SIGKILL');
    await once(worker, 'exit');
  }
  await stack?.close();
});

function startWorker() {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/worker-process.ts'], {
    env: { PATH: process.env.PATH, ...stack.workerEnv() },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return child;
}

const stored = async () => (await stack.database.db.select({ n: count() }).from(transactions))[0]!.n;

test.runIf(inject('databaseUrl'))(`an initial import survives its worker being killed ${KILLS} times`, async () => {
  worker = startWorker();
  // All of the bulk account's history (100,000 entries, ten batches), so that every attempt has batches left to store.
  const { connectionId } = await stack.link({ login: { username: 'bulk' }, historyDays: 730 });
  for (let kill = 1; kill <= KILLS; kill++) {
    // Let it store some rows (more than before this attempt), then kill it without warning.
    const before = await stored();
    await until(async () => (await stored()) > before + 500, 120_000, () => `attempt ${kill} stored nothing`);
    worker.kill('SIGKILL');
    await once(worker, 'exit');
    worker = startWorker();
  }
  await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null, 180_000);
  const [account] = await stack.accounts(connectionId);
  const { stored: rows, truth } = await storedAndTruth(stack.database, stack.bank, account!);
  expect(rows.length).toBeGreaterThan(20_000);
  expect(rows).toEqual(truth);
  // The interrupted attempts are visible: the one run row of the initial sync was restarted.
  const runs = await stack.database.db.select().from(syncRuns).where(eq(syncRuns.accountId, account!.id));
  expect(runs.map((r) => r.status)).toEqual(['completed']);
}, 600_000);
