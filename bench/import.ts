/**
 * `npm run bench:import`: the bank feed's import path against the database's fastest, side by
 * side in one run on real Postgres (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test),
 * a Temporal dev server of its own and the Demo Bank.
 *
 * 1. The initial import of a 100,000-transaction account through the workflow (link, callback,
 *    initial sync), its tenant with 1,000 parties registered (the Demo Bank's counterparties among
 *    them) so every transaction is matched and its references found, vs a raw COPY of the same
 *    rows into the same table, in several rounds (the median round counts): `import/copy ratio` (target >= 0.5).
 * 2. An unchanged re-sync of that account (the next sync, nothing new at the bank) vs the
 *    initial import: `resync/import time ratio` (target <= 0.3). Also a full re-read with the
 *    fetched ranges forgotten (every page again, nothing new to store): `full re-read/import
 *    time ratio`, whose floor is the bank's own time to serve the pages.
 * 3. History events per connection per simulated day, and per continue-as-new run.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { and, count, eq, sql } from 'drizzle-orm';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { bankAccounts, consents, syncs, transactions } from '../db/schema.js';
import type { DemoBankOptions } from '../demobank/server.js';
import { demoUsers } from '../demobank/users.js';
import { resolveTemporalCli } from '../temporal/cli.js';
import { startDevServer } from '../temporal/dev-server.js';
import { createTenant } from '../tenants/store.js';
import { bankConnectionWorkflowId } from '../workflows/bank-connection.js';
import { defaultTimings } from '../workflows/timings.js';
import { PSU_IP, testBankAt } from '../test/helpers/demobank.js';
import { allRuns } from '../test/helpers/history.js';
import { startLifecycleStack, until } from '../test/helpers/lifecycle.js';
import { measureCopy } from './copy.js';
import { benchParties } from './parties.js';

const ROWS = 100_000;
/** Parties registered by each round's tenant: the import matches every new transaction against them. */
const PARTIES = 1_000;
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';
const bulk = demoUsers().find((user) => user.username === 'bulk')!.accounts[0]!;

Runtime.install({ logger: new DefaultLogger('WARN') });
const server = await startDevServer({ executable: await resolveTemporalCli() });
try {
  const { rounds, resyncSeconds, rereadSeconds, fetchSeconds, fetched } = await measureImports();
  const events = await measureEvents();

  // The median round: this machine's speed drifts, so one side-by-side pair is noisy and several are not.
  const median = [...rounds].sort((a, b) => b.copySeconds / b.importSeconds - a.copySeconds / a.importSeconds)[Math.floor(rounds.length / 2)]!;
  console.log(`initial import through the workflow: ${median.rows} rows in ${median.importSeconds.toFixed(2)} s: ${Math.round(median.rows / median.importSeconds)} rows/s`);
  console.log(`raw COPY of the same rows into the same table: ${median.copySeconds.toFixed(2)} s: ${Math.round(median.rows / median.copySeconds)} rows/s`);
  console.log(`unchanged re-sync (the next sync after the import, nothing new at the bank: it re-reads the ${defaultTimings.overlapDays}-day overlap): ${resyncSeconds.toFixed(2)} s`);
  console.log(`full re-read of the whole account (fetched ranges forgotten: every page read again, nothing stored): ${rereadSeconds.toFixed(2)} s`);
  console.log(`the bank alone, the same pages fetched and not stored: ${fetched} rows in ${fetchSeconds.toFixed(2)} s (the floor of any full re-read)`);
  console.log(`history events per connection per simulated day: ${events.perDay.toFixed(1)} (${events.total} events over ${events.days} days, ${events.syncCount} syncs, ${events.perSync.toFixed(1)} events per sync, 1 account)`);
  console.log(`continue-as-new: ${events.runs} runs; at the server's suggestion (4,096 events) a run lasts about ${Math.round(4096 / events.perDay)} days`);
  console.log(`full re-read/import time ratio: ${(rereadSeconds / median.importSeconds).toFixed(2)}`);
  console.log(`import/copy ratio: ${(median.copySeconds / median.importSeconds).toFixed(2)}`);
  console.log(`resync/import time ratio: ${(resyncSeconds / median.importSeconds).toFixed(2)}`);
} finally {
  await server.stop();
}

/**
 * Links the bulk account (all 730 days of history) once per round and times each initial import
 * from the workflow asking for it to its end (the syncs table's own clock; the user's login is not
 * the import's time), then a COPY of the rows it stored. After the last round: the next sync, as
 * bankfeed runs it; a full re-read with the fetched ranges forgotten; and the bank alone.
 */
async function measureImports() {
  const stack = await startLifecycleStack({
    scale: 1,
    databaseUrl,
    temporalAddress: server.address,
    bankAt: await bankProcess({ accountSizes: { [bulk.iban]: ROWS }, pageSize: 500 }),
  });
  const syncSeconds = async (syncId: string) => {
    const [sync] = await stack.database.db.select().from(syncs).where(eq(syncs.id, syncId));
    return (sync!.finishedAt!.getTime() - sync!.requestedAt.getTime()) / 1000;
  };
  const syncAgain = async (connectionId: string) => {
    const { syncId } = await stack.connections.syncNow(connectionId, PSU_IP);
    await until(async () => (await stack.database.db.select().from(syncs).where(eq(syncs.id, syncId)))[0]?.status === 'completed', 600_000, () => 'the re-sync did not finish');
    return syncSeconds(syncId);
  };
  try {
    const rounds: { rows: number; importSeconds: number; copySeconds: number }[] = [];
    let last: { connectionId: string; account: Awaited<ReturnType<typeof stack.accounts>>[number]; rows: number } | undefined;
    for (let round = 1; round <= ROUNDS; round++) {
      // A tenant per round: the same tenant linking the bank again would continue its account, not import it anew.
      const { tenantId, apiKey } = await createTenant(stack.database.db, `Bench round ${round}`);
      const registered = await stack.app.inject({
        method: 'PUT',
        url: '/v1/parties',
        headers: { authorization: `Bearer ${apiKey.key}` },
        payload: { parties: benchParties(await stack.bank.parties(), PARTIES) },
      });
      if (registered.statusCode !== 200) throw new Error(`registering the parties failed: ${registered.body}`);
      const { connectionId } = await stack.link({ login: { username: 'bulk' }, historyDays: 730, tenantId });
      await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null, 600_000);
      const [initial] = await stack.database.db.select().from(syncs).where(and(eq(syncs.connectionId, connectionId), eq(syncs.trigger, 'initial')));
      const importSeconds = await syncSeconds(initial!.id);
      const [account] = await stack.accounts(connectionId);
      const imported = await stack.database.db.select().from(transactions).where(eq(transactions.accountId, account!.id));
      const copySeconds = await measureCopy(databaseUrl, imported, bulk.iban);
      rounds.push({ rows: imported.length, importSeconds, copySeconds });
      const [{ matched }] = (await stack.database.rows<{ matched: number }>(sql`select count(party_id)::int as matched from transactions where account_id = ${account!.id}`)) as [{ matched: number }];
      console.log(
        `round ${round}: import ${importSeconds.toFixed(2)} s, COPY ${copySeconds.toFixed(2)} s: ratio ${(copySeconds / importSeconds).toFixed(2)} ` +
          `(${PARTIES} parties registered, ${matched} of ${imported.length} transactions matched)`,
      );
      last = { connectionId, account: account!, rows: imported.length };
    }
    const { connectionId, account, rows } = last!;
    const resyncSeconds = await syncAgain(connectionId);

    // Forget what was fetched: the next sync reads the whole history again and must find it all stored.
    await stack.database.db.update(bankAccounts).set({ coveredRanges: [] }).where(eq(bankAccounts.id, account.id));
    const rereadSeconds = await syncAgain(connectionId);
    const [{ n }] = (await stack.database.db.select({ n: count() }).from(transactions).where(eq(transactions.accountId, account.id))) as [{ n: number }];
    if (n !== rows) throw new Error(`the re-syncs changed the row count: ${rows} -> ${n}`);

    const [consent] = await stack.database.db.select().from(consents).where(and(eq(consents.connectionId, connectionId), eq(consents.status, 'active')));
    const consentRef = stack.secrets.decrypt(consent!.providerConsentRef!, `consent:${consent!.id}`);
    const fetchStarted = performance.now();
    let fetched = 0;
    const query = { bookingStatus: 'both' as const, dateFrom: account.importStart! };
    for await (const page of stack.bank.client.transactionPages(consentRef, account.providerAccountId!, query, { psuIpAddress: PSU_IP })) fetched += page.booked.length;
    const fetchSeconds = (performance.now() - fetchStarted) / 1000;
    return { rounds, resyncSeconds, rereadSeconds, fetchSeconds, fetched };
  } finally {
    await stack.close();
  }
}

/** A Demo Bank in a child process. */
async function bankProcess(options: DemoBankOptions) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/demobank-process.ts'], {
    env: { ...process.env, DEMOBANK_OPTIONS: JSON.stringify(options) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  return testBankAt(line.toString().trim(), async () => {
    child.kill('SIGTERM');
    await once(child, 'exit');
  });
}

/**
 * A connection living 20 bank days, four syncs a day: its history, counted. A bank day lasts 5 real
 * seconds, long enough for the four slots of a day to be four timers that fire apart.
 */
async function measureEvents() {
  const days = 20;
  const scale = 17_280;
  const stack = await startLifecycleStack({ scale, databaseUrl, temporalAddress: server.address, timings: { linkTimeoutMs: 60_000 } });
  try {
    const { connectionId } = await stack.link({ login: { username: 'anna' }, historyDays: 30 });
    await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
    await new Promise((resolve) => setTimeout(resolve, (days * 86_400_000) / scale));
    const runs = await allRuns(stack.temporal.client, bankConnectionWorkflowId(connectionId));
    const total = runs.reduce((sum, run) => sum + (run.history.events?.length ?? 0), 0);
    const [{ n: syncCount }] = (await stack.database.db.select({ n: count() }).from(syncs).where(eq(syncs.connectionId, connectionId))) as [{ n: number }];
    return { days, total, perDay: total / days, perSync: total / syncCount, syncCount, runs: runs.length };
  } finally {
    await stack.close();
  }
}
