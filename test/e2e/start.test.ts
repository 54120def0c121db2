import { once } from 'node:events';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import { addDays } from '../../domain/dates.js';
import { testBankAt } from '../helpers/demobank.js';
import { until } from '../helpers/lifecycle.js';
import { freePort, processes, processesMentioning, startMain, waitForHealthy } from '../helpers/processes.js';

let children: ReturnType<typeof startMain>[] = [];

afterEach(() => {
  for (const child of children) if (child.exitCode === null) process.kill(-child.pid!, 'SIGKILL');
  children = [];
});

/** The signal goes to the whole process group, as a terminal's Ctrl-C (or a container runtime's stop) does. */
async function stop(child: ReturnType<typeof startMain>, signal: NodeJS.Signals) {
  process.kill(-child.pid!, signal);
  const [code] = await once(child, 'exit');
  return code as number | null;
}

test('npm start runs the embedded stack, stops cleanly on SIGINT/SIGTERM and starts again on its data, the Demo Bank\'s included', async () => {
  const dataDir = await mkdtemp(join(tmpdir(), 'bankfeed-start-'));
  const port = String(await freePort());
  const env = {
    DATA_DIR: dataDir,
    PORT: port,
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    TEMPORAL_PORT: String(await freePort()),
    TEMPORAL_UI_PORT: String(await freePort()),
    DEMOBANK_PORT: String(await freePort()),
  };
  const health = `${env.PUBLIC_URL}/health`;

  const first = startMain(env);
  children.push(first);
  await waitForHealthy(health, first);
  expect(await (await fetch(health)).json()).toEqual({ status: 'up' });
  expect(await (await fetch(`${env.PUBLIC_URL}/ready`)).json()).toEqual({ status: 'up', checks: { database: { status: 'up' }, temporal: { status: 'up' } } });
  expect(processesMentioning(dataDir).some((args) => args.includes('server start-dev'))).toBe(true);
  // The embedded Demo Bank, admin surface on.
  expect((await fetch(`http://127.0.0.1:${env.DEMOBANK_PORT}/_demobank/clock`)).status).toBe(200);

  // The first start made a tenant to try the API with, and printed its key once.
  const demoKey = /^ {2}(bfk_\S+)$/m.exec(first.output())?.[1];
  expect(demoKey, first.output()).toBeDefined();
  const tenant = await fetch(`${env.PUBLIC_URL}/v1/tenant`, { headers: { authorization: `Bearer ${demoKey}` } });
  expect(await tenant.json()).toMatchObject({ name: 'Demo' });
  // The embedded UI decodes payloads through the API's codec endpoint.
  const uiSettings = (await (await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/api/v1/settings`)).json()) as { Codec?: unknown };
  expect(uiSettings.Codec).toMatchObject({ Endpoint: `${env.PUBLIC_URL}/codec` });
  // PGlite is one process's: npm run tenant refuses it while npm start holds it.
  const refused = await promisify(execFile)('npm', ['run', '--silent', 'tenant', '--', 'list'], { env: { PATH: process.env.PATH, HOME: process.env.HOME, DATA_DIR: dataDir } }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/npm start \(pid \d+\) is using the embedded database/) });

  // A connection made through the API: its workflow shows in the Temporal UI, waiting for the user.
  const auth = { authorization: `Bearer ${demoKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${env.PUBLIC_URL}/v1/connections`, { method: 'POST', headers: auth, body: JSON.stringify({ institution_id: 'DEMOBANK' }) });
  expect(created.status).toBe(201);
  const connection = (await created.json()) as { id: string; authorization_url: string };
  expect(connection.authorization_url).toContain(`http://127.0.0.1:${env.DEMOBANK_PORT}/sca/`);
  const listed = async () =>
    (await (await fetch(`http://127.0.0.1:${env.TEMPORAL_UI_PORT}/api/v1/namespaces/default/workflows?query=${encodeURIComponent(`WorkflowId="bank-connection:${connection.id}"`)}`)).json()) as {
      executions?: { status: string }[];
    };
  expect((await listed()).executions).toEqual([expect.objectContaining({ status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' })]);

  // The embedded Demo Bank's days are the days bankfeed imports: a day moved on at the bank (as the
  // README shows) is imported by the next sync.
  const bank = testBankAt(`http://127.0.0.1:${env.DEMOBANK_PORT}`, async () => {});
  const linking = (await (await fetch(`${env.PUBLIC_URL}/v1/connections`, { method: 'POST', headers: auth, body: JSON.stringify({ institution_id: 'DEMOBANK', history_days: 3 }) })).json()) as {
    id: string;
    authorization_url: string;
  };
  await fetch(await bank.authorise(linking.authorization_url, { username: 'jonas' }), { redirect: 'manual' });
  const watermark = async () => {
    const accounts = (await (await fetch(`${env.PUBLIC_URL}/v1/accounts?connection_id=${linking.id}`, { headers: auth })).json()) as { data: { last_integration_date: string | null }[] };
    return accounts.data[0]?.last_integration_date ?? undefined;
  };
  const requestSync = async () => {
    const sync = await fetch(`${env.PUBLIC_URL}/v1/connections/${linking.id}/sync`, { method: 'POST', headers: { authorization: auth.authorization, 'psu-ip-address': '203.0.113.7' } });
    expect(sync.status).toBe(202);
    return ((await sync.json()) as { sync_id: string }).sync_id;
  };
  /**
   * Asks for a sync until one has imported `day`. A request that comes while a sync runs joins it,
   * and that sync may have started before the bank's clock moved (a scheduled one, the catch-up
   * after a restart), so its data ends a day early: then the ledger asks again, as a person would.
   */
  const syncUntilImported = async (day: string, what: string) => {
    let requested = await requestSync();
    await until(async () => {
      if ((await watermark()) === day) return true;
      const { status } = (await (await fetch(`${env.PUBLIC_URL}/v1/syncs/${requested}`, { headers: auth })).json()) as { status: string };
      if (!['requested', 'running'].includes(status)) requested = await requestSync();
      return false;
    }, 60_000, () => `${what} did not import ${day}`);
  };
  const before = await until(watermark, 60_000, () => 'the first import did not finish');
  const { today } = await bank.clock.advance('P1D');
  expect(addDays(before, 1)).toBe(addDays(today, -1));
  await syncUntilImported(addDays(before, 1), "the sync after the bank's clock moved");
  await bank.close();

  // Ctrl-C reaches the whole foreground process group. The Temporal server must not be in it: it
  // has to outlive the worker (whose last answers would otherwise be retried against a closed port),
  // and bankfeed stops it last.
  const devServer = processes().find((p) => p.args.includes(dataDir) && p.args.includes('server start-dev'))!;
  expect(devServer.pgid).not.toBe(first.pid);
  expect(await stop(first, 'SIGINT')).toBe(0);
  expect(processesMentioning(dataDir)).toEqual([]);

  const second = startMain(env);
  children.push(second);
  await waitForHealthy(health, second);
  expect(second.output()).not.toContain('Created the tenant');
  // The workflow and the data are where they were: the link still waits for the user, at the same URL.
  const again = (await (await fetch(`${env.PUBLIC_URL}/v1/connections/${connection.id}`, { headers: auth })).json()) as { status: string; authorization_url: string };
  expect(again).toMatchObject({ status: 'awaiting_authorization', authorization_url: connection.authorization_url });
  expect((await listed()).executions).toEqual([expect.objectContaining({ status: 'WORKFLOW_EXECUTION_STATUS_RUNNING' })]);
  // So is the Demo Bank's side (DATA_DIR/demobank): the linked connection's consent is still known,
  // and the bank's clock still a day ahead, so the next day moved on is the next one imported.
  const restartedBank = testBankAt(`http://127.0.0.1:${env.DEMOBANK_PORT}`, async () => {});
  expect((await restartedBank.clock.advance('P1D')).today).toBe(addDays(today, 1));
  await syncUntilImported(addDays(before, 2), 'the sync after the restart');
  const linked = (await (await fetch(`${env.PUBLIC_URL}/v1/connections/${linking.id}`, { headers: auth })).json()) as { status: string };
  expect(linked.status).toBe('active');
  await restartedBank.close();

  expect(await stop(second, 'SIGTERM')).toBe(0);
  expect(processesMentioning(dataDir)).toEqual([]);
  // Two full starts of the stack, on a machine shared with the rest of the suite.
}, 240_000);
