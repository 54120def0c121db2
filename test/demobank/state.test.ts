import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, test } from 'vitest';
import { DataDirLockedError } from '../../db/data-dir-lock.js';
import { bankState, createBank } from '../../demobank/bank.js';
import { openStateFile, type StateFile } from '../../demobank/state-file.js';
import type { BankState } from '../../demobank/state.js';
import { ConsentUnknownError, RateLimitedError } from '../../providers/nextgenpsd2/errors.js';
import { freePort } from '../helpers/processes.js';
import { allTransactions, BANK_START, consentRequest, PSU_IP, startTestBank, type TestBank } from '../helpers/demobank.js';

const stateDir = () => mkdtemp(join(tmpdir(), 'bankfeed-demobank-state-'));
const attended = { psuIpAddress: PSU_IP };

let open: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const thing of open.reverse()) await thing.close();
  open = [];
});

async function bankOn(dir: string | undefined, port?: number): Promise<TestBank> {
  const bank = await startTestBank({ stateDir: dir, port });
  open.push(bank);
  return bank;
}

async function closed(bank: TestBank) {
  open = open.filter((thing) => thing !== bank);
  await bank.close();
}

describe('a bank with a state folder, restarted', () => {
  test('knows its consents (status, accounts, validity, SCA state), budgets, clock and faults, and serves the same data', async () => {
    const dir = await stateDir();
    // The same address after the restart, as a bank's: the SCA link given out before still works.
    const port = await freePort();
    const first = await bankOn(dir, port);
    const linked = await first.connect(consentRequest({ frequencyPerDay: 2 }));
    const [account] = linked.accounts;
    // One consent still waiting for its PSU, one (of another PSU: a PSU's new recurring consent ends the old) ended by the TPP.
    const waiting = await first.client.createConsent(consentRequest(), { redirectUri: 'https://tpp.example/cb' }, attended);
    const ended = await first.connect(consentRequest(), { username: 'anna' });
    await first.client.deleteConsent(ended.consentId, attended);
    // Two bank days on; the linked consent's unattended budget (2 a day) used up; a fault switch used once of its three times.
    await first.clock.advance('P2D');
    for (let call = 0; call < 2; call++) await first.client.getBalances(linked.consentId, account!.resourceId);
    await first.faults.set({ seed: 7, faults: [{ kind: 'latency', ms: 1, endpoint: 'consents', times: 3 }] });
    await first.client.getConsentStatus(waiting.consentId, attended);
    const before = {
      consent: await first.client.getConsent(linked.consentId, attended),
      accounts: await first.client.listAccounts(linked.consentId, attended),
      balances: await first.client.getBalances(linked.consentId, account!.resourceId, attended),
      transactions: await allTransactions(first, linked.consentId, account!.resourceId, { bookingStatus: 'both', dateFrom: '2025-02-01' }),
      now: await first.clock.now(),
      faults: await first.faults.get(),
    };
    // Used by the status call and by getConsent.
    expect(before.faults.faults[0]!.remaining).toBe(1);
    await closed(first);

    const second = await bankOn(dir, port);
    expect(await second.faults.get()).toEqual(before.faults);
    await second.faults.reset();
    // The clock went on from where it was (two days ahead of BANK_START's run), not back to BANK_START.
    const now = await second.clock.now();
    expect(now.getTime()).toBeGreaterThanOrEqual(before.now.getTime());
    expect(now.getTime() - before.now.getTime()).toBeLessThan(60_000);
    expect(await second.client.getConsent(linked.consentId, attended)).toEqual(before.consent);
    expect(await second.client.listAccounts(linked.consentId, attended)).toEqual(before.accounts);
    // Balances and entries of the same history (it still starts on the same day), under the same ids.
    expect(await second.client.getBalances(linked.consentId, account!.resourceId, attended)).toMatchObject({
      balances: before.balances.balances.map(({ balanceType, balanceAmount }) => ({ balanceType, balanceAmount })),
    });
    expect(await allTransactions(second, linked.consentId, account!.resourceId, { bookingStatus: 'both', dateFrom: '2025-02-01' })).toEqual(before.transactions);
    // The day's unattended budget stays spent.
    await expect(second.client.getBalances(linked.consentId, account!.resourceId)).rejects.toBeInstanceOf(RateLimitedError);
    expect(await second.client.getConsentStatus(ended.consentId, attended)).toBe('terminatedByTpp');
    // The consent that waited for its PSU is authorised through the link given out before the restart.
    expect(await second.client.getConsentStatus(waiting.consentId, attended)).toBe('received');
    await second.authorise(waiting.scaRedirect, { username: 'jonas' });
    expect(await second.client.getConsentStatus(waiting.consentId, attended)).toBe('valid');
  });

  test('without a state folder (the tests\' default) a restarted bank knows nothing', async () => {
    const first = await bankOn(undefined);
    const { consentId } = await first.connect();
    await closed(first);
    const second = await bankOn(undefined);
    await expect(second.client.listAccounts(consentId, attended)).rejects.toBeInstanceOf(ConsentUnknownError);
  });
});

describe('the state file', () => {
  const files: StateFile<unknown>[] = [];
  afterEach(async () => {
    for (const file of files.splice(0)) await file.close();
  });
  const opened = async (dir: string) => {
    const file = await openStateFile(dir, (state) => state);
    files.push(file);
    return file;
  };

  test('saves and reads back the same state; each save replaces the file whole', async () => {
    const dir = await stateDir();
    const bank = createBank({ start: BANK_START });
    bank.budget.take('c:r:balances', 4, bank.clock.nowMs());
    const file = await opened(dir);
    expect(file.restored).toBeUndefined();
    await file.save(bankState(bank));
    await file.close();
    files.length = 0;
    const again = await opened(dir);
    expect(again.restored).toEqual(bankState(bank));
    expect(await readdir(dir)).toEqual(expect.arrayContaining(['state.json']));
    expect(await readdir(dir)).not.toContain('state.json.tmp');
  });

  test('what a request changed is on disk before its answer goes out: a crash after an answer loses nothing', async () => {
    const dir = await stateDir();
    const bank = await bankOn(dir);
    const { consentId, accounts } = await bank.connect();
    await bank.client.getBalances(consentId, accounts[0]!.resourceId);
    const onDisk = JSON.parse(await readFile(join(dir, 'state.json'), 'utf8')) as BankState;
    expect(onDisk.consents).toEqual([expect.objectContaining({ id: consentId, status: 'valid', username: 'embedded' })]);
    expect(Object.keys(onDisk.budget)).toEqual([`${consentId}:${accounts[0]!.resourceId}:balances`]);
  });

  test('an unreadable file is reported with its path, set aside untouched, and the bank starts new', async () => {
    const unknownUser = {
      ...bankState(createBank({ start: BANK_START })),
      consents: [{ id: 'c-1', request: consentRequest(), status: 'valid', validUntilDay: 0, lastActionDay: 0, redirectUri: 'https://tpp.example/', nokRedirectUri: 'https://tpp.example/', username: 'nobody', failedLogins: 0, offered: [], accounts: [] }],
    };
    for (const content of ['{"version":1,"consents":[', JSON.stringify({ ...unknownUser, consents: [], version: 99 }), JSON.stringify(unknownUser)]) {
      const dir = await stateDir();
      await writeFile(join(dir, 'state.json'), content);
      const file = await openStateFile(dir, (state) => createBank({}, state));
      files.push(file);
      expect(file.restored, content).toBeUndefined();
      expect(file.problem).toMatch(new RegExp(`^The Demo Bank's state in ${join(dir, 'state.json')} is unreadable \\(.+\\): it was moved to ${join(dir, 'state.json.unreadable-')}\\d+`));
      const aside = (await readdir(dir)).find((name) => name.startsWith('state.json.unreadable-'))!;
      expect(await readFile(join(dir, aside), 'utf8')).toBe(content);
    }
    expect(files.map((file) => /is unreadable \((.*)\): it/.exec(file.problem!)![1])).toEqual([
      expect.stringContaining('JSON'),
      '/version must be equal to constant',
      'consent c-1: the bank has no user nobody',
    ]);
  });

  test('a bank started on an unreadable file warns, starts new, and keeps what it does from then on', async () => {
    const dir = await stateDir();
    await writeFile(join(dir, 'state.json'), '{');
    const warnings: string[] = [];
    const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push((JSON.parse(line) as { msg: string }).msg) });
    const bank = await startTestBank({ stateDir: dir, logger });
    open.push(bank);
    expect(warnings).toEqual([expect.stringMatching(`^The Demo Bank's state in ${join(dir, 'state.json')} is unreadable`)]);
    const { consentId } = await bank.connect();
    await closed(bank);
    const restarted = await bankOn(dir);
    expect(await restarted.client.getConsentStatus(consentId, attended)).toBe('valid');
  });

  test('one bank at a time: a second one on the same folder is refused, naming the first', async () => {
    const dir = await stateDir();
    await bankOn(dir);
    const refusal = await startTestBank({ stateDir: dir }).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(DataDirLockedError);
    expect((refusal as Error).message).toMatch(new RegExp(`^a Demo Bank \\(pid ${process.pid}\\) is using its state in ${dir}, and a bank's state is one process's`));
  });
});
