/**
 * The bank restarted in the middle of a linked connection's life, as `npm start` restarts the
 * embedded Demo Bank: it keeps its consents in its state folder, so the syncs after the restart
 * go on (the connection stays active, the next days arrive, exactly the bank's ground truth)
 * instead of meeting CONSENT_UNKNOWN and asking the user to link again. A bank day every 10 s.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { addDays } from '../../domain/dates.js';
import { startDemoBank, type DemoBank, type DemoBankOptions } from '../../demobank/server.js';
import { testBankAt } from '../helpers/demobank.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { freePort } from '../helpers/processes.js';
import { storedAndTruth } from '../helpers/truth.js';

const SCALE = 8_640;
let stack: LifecycleStack;
let bankOptions: DemoBankOptions;
let server: DemoBank;

beforeAll(async () => {
  const origin = new Date();
  // The same port and state folder after the restart: a bank's address does not change.
  bankOptions = { admin: true, port: await freePort(), stateDir: await mkdtemp(join(tmpdir(), 'bankfeed-bank-restart-')), start: origin, clockScale: SCALE };
  server = await startDemoBank(bankOptions);
  stack = await startLifecycleStack({ scale: SCALE, origin, bankAt: testBankAt(server.url, () => server.close()), timings: { linkTimeoutMs: 30_000 } });
});
afterAll(() => stack?.close());

test('a bank restarted mid-life still knows the consent: the next syncs import the next days, exactly', async () => {
  const { connectionId } = await stack.link({ login: { username: 'anna' }, historyDays: 10 });
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  const [linked] = await stack.accounts(connectionId);

  await server.close();
  server = await startDemoBank(bankOptions);

  // Two bank days later (20 s), or the connection fallen to reauth_required for a bank that forgot it.
  const settled = await until(
    async () => {
      const connection = await stack.connection(connectionId);
      const [account] = await stack.accounts(connectionId);
      return (connection.status === 'reauth_required' || account!.lastIntegrationDate! >= addDays(linked!.lastIntegrationDate!, 2)) && { connection, account: account! };
    },
    60_000,
    () => 'the watermark did not move two days after the restart',
  );
  expect(settled.connection.status).toBe('active');
  const { stored, truth } = await storedAndTruth(stack.database, stack.bank, settled.account);
  expect(stored.length).toBeGreaterThan(0);
  expect(stored).toEqual(truth);
}, 120_000);
