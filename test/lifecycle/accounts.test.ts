/**
 * One bank account, one history: connections come and go (disconnect and link again, renewal, two
 * people linking one company account, statement files before any connection), the tenant's
 * account and what the ledger's feed holds stay one, each bank entry once.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bankAccounts, syncRuns, syncs } from '../../db/schema.js';
import { addDays } from '../../domain/dates.js';
import { isUnreadable, readTransaction } from '../../providers/nextgenpsd2/mapping.js';
import { contentKey } from '../../transactions/identity.js';
import { camtEntryOf, camtText } from '../helpers/camt.js';
import { consentRequest, PSU_IP } from '../helpers/demobank.js';
import { LedgerReplica } from '../helpers/ledger-replica.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { storedAndTruth } from '../helpers/truth.js';

let stack: LifecycleStack;
beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
});
afterAll(() => stack?.close());

const api = async (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown, headers: Record<string, string> = {}) => {
  const response = await stack.app.inject({ method, url, headers: { ...stack.headers, ...headers }, ...(payload !== undefined && { payload: payload as object }) });
  return { status: response.statusCode, body: response.body ? response.json() : undefined };
};

/** Links and waits for the first import to end. */
async function linked(options: Parameters<LifecycleStack['link']>[0] = {}) {
  const { connectionId } = await stack.link({ historyDays: 30, ...options });
  await stack.waitFor(connectionId, ['active', 'expiring'], (row) => row.lastSyncAt !== null);
  return connectionId;
}

async function disconnected(connectionId: string) {
  await stack.connections.disconnect(connectionId);
  await stack.waitFor(connectionId, 'disconnected');
}

/** The Demo Bank's booked entries of an account (by IBAN) between two days, as content keys. */
async function bankTruth(resourceId: string, from: string, to: string) {
  return (await stack.bank.truth(resourceId))
    .map((entry) => readTransaction(entry, 'booked', to))
    .flatMap((entry) => (isUnreadable(entry) || entry.bookingDate < from || entry.bookingDate > to ? [] : [entry]));
}

/** The bank's resource id of an account under a consent of the test's own (for the bank's ground truth before any link). */
async function resourceIdOf(iban: string, username: string) {
  const { accounts } = await stack.bank.connect(consentRequest(), { username });
  return accounts.find((account) => account.iban === iban)!.resourceId!;
}

async function syncFinished(syncId: string) {
  return until(
    async () => {
      const [sync] = await stack.database.db.select().from(syncs).where(eq(syncs.id, syncId));
      return sync && ['completed', 'failed', 'skipped'].includes(sync.status) ? sync : undefined;
    },
    60_000,
    () => `sync ${syncId} did not finish`,
  );
}

describe('connections come and go, the account stays one', () => {
  test('disconnect and link the same bank again, twice: the same accounts continue and the ledger feed holds each bank entry once', async () => {
    const first = await linked();
    const accounts = await stack.accounts(first);
    expect(accounts.length).toBe(3);
    await disconnected(first);
    // Disconnected: detached, nothing deleted.
    const afterDisconnect = await api('GET', `/v1/accounts/${accounts[0]!.id}`);
    expect(afterDisconnect.body).toMatchObject({ shared: false, connection_id: null, connections: [{ connection_id: first, status: 'disconnected', shared: false }] });
    expect(afterDisconnect.body.connections[0].detached_at).not.toBeNull();

    const second = await linked();
    await disconnected(second);
    const third = await linked();
    const view = await api('GET', `/v1/connections/${third}`);
    expect(view.body.accounts.map((a: { id: string }) => a.id).sort()).toEqual(accounts.map((a) => a.id).sort());
    expect(view.body.accounts.every((a: { continued: boolean; attached: boolean }) => a.continued && a.attached)).toBe(true);
    const listed = await api('GET', `/v1/accounts?iban=${accounts[0]!.iban}`);
    expect(listed.body.data).toHaveLength(1);
    expect(listed.body.data[0].connections.map((c: { connection_id: string }) => c.connection_id)).toEqual([third, second, first]);

    // A continued account's first sync reads from its watermark less the overlap, not the whole history again.
    const [initial] = await stack.database.db.select().from(syncs).where(and(eq(syncs.connectionId, third), eq(syncs.trigger, 'initial')));
    const [run] = await stack.database.db.select().from(syncRuns).where(and(eq(syncRuns.syncId, initial!.id), eq(syncRuns.accountId, accounts[0]!.id)));
    expect(run!.dateFrom).toBe(addDays(run!.dateTo!, -(stack.timings.overlapDays - 1)));

    const ledger = await new LedgerReplica(stack.app, stack.headers).catchUp();
    for (const account of await stack.accounts(third)) {
      const truth = await bankTruth(account.providerAccountId!, account.importStart!, account.lastIntegrationDate!);
      expect(truth.length, account.iban).toBeGreaterThan(0);
      expect(ledger.booked(account.id, account.importStart!, account.lastIntegrationDate!), account.iban).toEqual(truth.map(contentKey).sort());
    }
  }, 180_000);

  test('renewal: the same account ids, the mapping kept, the provider ids renewed', async () => {
    const connectionId = await linked({ login: { username: 'jonas' } });
    const before = await stack.accounts(connectionId);
    expect((await api('PATCH', `/v1/accounts/${before[0]!.id}`, { ledger_account_code: '5820' })).status).toBe(200);
    const { consentId } = await stack.connections.renew(connectionId, PSU_IP);
    await stack.authorize(consentId, { username: 'jonas' });
    await stack.waitFor(connectionId, ['active', 'expiring'], (row) => row.lastSyncAt!.getTime() > Date.now() - 5000);
    const after = await stack.accounts(connectionId);
    expect(after.map((a) => a.id)).toEqual(before.map((a) => a.id));
    for (const account of after) expect(account.providerAccountId).not.toBe(before.find((a) => a.id === account.id)!.providerAccountId);
    expect((await api('GET', `/v1/accounts/${before[0]!.id}`)).body).toMatchObject({ ledger_account_code: '5820', shared: true, connection_id: connectionId });
    const view = await api('GET', `/v1/connections/${connectionId}`);
    expect(view.body.accounts).toHaveLength(before.length);
    expect(view.body.accounts.every((a: { continued: boolean }) => !a.continued)).toBe(true);
    await disconnected(connectionId);
  }, 120_000);
});

test('file first, bank later: a camt file without bank references, then a link whose window overlaps it; each entry once', async () => {
  // Anna's account, from 45 to 16 days ago in a file; then a link of 30 days: 15 days overlap.
  const iban = 'SE7499900000005200000011';
  const created = await api('POST', '/v1/accounts', { iban: 'SE74 9990 0000 0052 0000 0011', currency: 'SEK', name: 'Privatkonto', ledger_account_code: '5810' });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  expect(created.body).toMatchObject({ iban, connection_id: null, shared: false, connections: [] });
  const accountId: string = created.body.id;
  expect((await api('POST', '/v1/accounts', { iban, currency: 'SEK' })).body).toMatchObject({ status: 409, account_id: accountId });

  const bankToday = stack.clock.bankNow().toISOString().slice(0, 10);
  const [fileFrom, fileTo] = [addDays(bankToday, -45), addDays(bankToday, -16)];
  const truth = await bankTruth(await resourceIdOf(iban, 'anna'), fileFrom, fileTo);
  const entries = truth.map(camtEntryOf);
  const file = camtText({ iban, currency: 'SEK', messageId: `ANNA-${fileFrom}`, statements: [{ id: `ANNA-${fileFrom}-${fileTo}`, opening: '0', entries }] });
  const uploaded = await stack.app.inject({ method: 'POST', url: `/v1/accounts/${accountId}/statements`, headers: { ...stack.headers, 'content-type': 'application/xml' }, payload: file });
  expect(uploaded.statusCode, uploaded.body.slice(0, 300)).toBe(201);
  expect(uploaded.json().counts.inserted).toBe(truth.length);
  // An account with transactions is not removed.
  expect((await api('DELETE', `/v1/accounts/${accountId}`)).body).toMatchObject({ status: 409, type: 'urn:bankfeed:problem:account-in-use' });

  const connectionId = await linked({ login: { username: 'anna' } });
  const view = await api('GET', `/v1/connections/${connectionId}`);
  expect(view.body.accounts).toEqual([expect.objectContaining({ id: accountId, continued: true, ledger_account_code: '5810' })]);
  const [account] = await stack.accounts(connectionId);
  const feedTruth = await bankTruth(account!.providerAccountId!, fileFrom, account!.lastIntegrationDate!);
  const ledger = await new LedgerReplica(stack.app, stack.headers).catchUp();
  expect(ledger.booked(accountId, fileFrom, account!.lastIntegrationDate!)).toEqual(feedTruth.map(contentKey).sort());
  const { stored, truth: expected } = await storedAndTruth(stack.database, stack.bank, { ...account!, importStart: fileFrom });
  expect(stored).toEqual(expected);
}, 120_000);

test('two people of one company link the same accounts: both connections sync them, under faults, never at once, nothing twice', async () => {
  const first = await linked({ login: { username: 'firma' }, historyDays: 20 });
  const second = await linked({ login: { username: 'kasper' }, historyDays: 20 });
  const accounts = await stack.accounts(first);
  expect((await stack.accounts(second)).map((a) => a.id)).toEqual(accounts.map((a) => a.id));
  expect((await api('GET', `/v1/connections/${second}`)).body.accounts.every((a: { continued: boolean }) => a.continued)).toBe(true);

  // The bank re-keys one account's transactions and repeats rows of the other; both connections sync at once.
  const [dkk, eur] = [accounts.find((a) => a.currency === 'DKK')!, accounts.find((a) => a.currency === 'EUR')!];
  await stack.bank.faults.set({ seed: 10, faults: [{ kind: 'rekey', account: dkk.iban }, { kind: 'duplicateRows', account: eur.iban, count: 3 }] });
  const requests = await Promise.all([stack.connections.syncNow(first, PSU_IP), stack.connections.syncNow(second, PSU_IP)]);
  const finished = await Promise.all(requests.map(({ syncId }) => syncFinished(syncId)));
  expect(finished.map((sync) => sync.status)).toEqual(['completed', 'completed']);
  await stack.bank.faults.reset();
  // Never at once: the two runs of each account, one after the other.
  for (const account of accounts) {
    const runs = (await stack.database.db.select().from(syncRuns).where(eq(syncRuns.accountId, account.id)))
      .filter((run) => requests.some(({ syncId }) => syncId === run.syncId))
      .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
    expect(runs).toHaveLength(2);
    expect(runs[0]!.finishedAt!.getTime()).toBeLessThanOrEqual(runs[1]!.startedAt.getTime());
  }

  const ledger = await new LedgerReplica(stack.app, stack.headers).catchUp();
  for (const account of await stack.accounts(first)) {
    const [row] = await stack.database.db.select().from(bankAccounts).where(eq(bankAccounts.id, account.id));
    const truth = await bankTruth(account.providerAccountId!, row!.importStart!, row!.lastIntegrationDate!);
    expect(ledger.booked(account.id, row!.importStart!, row!.lastIntegrationDate!), account.iban).toEqual(truth.map(contentKey).sort());
  }
}, 180_000);

describe('re-fetch from a date', () => {
  test('inside the range the bank serves: a sync reads the account again from that day, nothing lands twice', async () => {
    const connectionId = await linked({ login: { username: 'slow' }, historyDays: 10 });
    const [account] = await stack.accounts(connectionId);
    const before = await new LedgerReplica(stack.app, stack.headers).catchUp();
    const from = addDays(account!.importStart!, -20);
    const requested = await api('POST', `/v1/accounts/${account!.id}/refetch`, { from }, { 'psu-ip-address': PSU_IP });
    expect(requested.status, JSON.stringify(requested.body)).toBe(202);
    expect(requested.body).toMatchObject({ connection_id: connectionId, from, status: 'requested' });
    expect((await syncFinished(requested.body.sync_id)).status).toBe('completed');
    const [run] = await stack.database.db.select().from(syncRuns).where(eq(syncRuns.syncId, requested.body.sync_id));
    expect(run!.dateFrom).toBe(from);
    const [row] = await stack.database.db.select().from(bankAccounts).where(eq(bankAccounts.id, account!.id));
    expect(row).toMatchObject({ refetchFrom: null, importStart: from });
    const after = await new LedgerReplica(stack.app, stack.headers).catchUp();
    const truth = await bankTruth(account!.providerAccountId!, from, row!.lastIntegrationDate!);
    expect(after.booked(account!.id, from, row!.lastIntegrationDate!)).toEqual(truth.map(contentKey).sort());
    // What the ledger had before is still there, once.
    expect(after.booked(account!.id, account!.importStart!, account!.lastIntegrationDate!)).toEqual(before.booked(account!.id, account!.importStart!, account!.lastIntegrationDate!));
  }, 120_000);

  test('before the first day the bank serves, in the future, or with no valid consent: 422 with the earliest day allowed and what to do', async () => {
    const connectionId = await linked({ login: { username: 'jonas' }, historyDays: 5 });
    const [account] = await stack.accounts(connectionId);
    const bankToday = stack.clock.bankNow().toISOString().slice(0, 10);
    const earliest = addDays(bankToday, -729);
    const tooEarly = await api('POST', `/v1/accounts/${account!.id}/refetch`, { from: addDays(earliest, -1) });
    expect(tooEarly.body).toMatchObject({ status: 422, type: 'urn:bankfeed:problem:refetch-too-early', earliest });
    expect(tooEarly.body.detail).toContain(earliest);
    expect((await api('POST', `/v1/accounts/${account!.id}/refetch`, { from: addDays(bankToday, 1) })).body).toMatchObject({ status: 422, type: 'urn:bankfeed:problem:refetch-too-late' });
    const [row] = await stack.database.db.select().from(bankAccounts).where(eq(bankAccounts.id, account!.id));
    expect(row!.refetchFrom).toBeNull();

    await disconnected(connectionId);
    const noConsent = await api('POST', `/v1/accounts/${account!.id}/refetch`, { from: bankToday });
    expect(noConsent.body).toMatchObject({ status: 422, type: 'urn:bankfeed:problem:refetch-no-consent' });
    expect(noConsent.body.detail).toMatch(/renew|link the bank again|statement file/);
  }, 120_000);
});
