/**
 * A connection's whole life on the real Temporal dev server and the Demo Bank, with a bank clock
 * running 21,600 times faster than real time (a bank day every 4 s) and the workflow's timings
 * scaled alike: a 15-day consent lasts 60 s. A bank day of 2 s was too short on a busy machine:
 * linking or a sync that took longer than a day passed a reminder's time (14 days before expiry
 * is one day after linking), and the reminder was rightly not sent late.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { consents, notifications, pendingTransactions, syncRuns, syncs } from '../../db/schema.js';
import { parseAmount } from '../../domain/amount.js';
import { bankConnectionWorkflowId } from '../../workflows/bank-connection.js';
import { PSU_IP } from '../helpers/demobank.js';
import { allRuns, decodedHistoryBytes, RECORDED_HISTORIES, readableHistory, replay } from '../helpers/history.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { storedAndTruth } from '../helpers/truth.js';

const SCALE = 21_600;
const BANK_DAY_MS = 86_400_000 / SCALE;
let stack: LifecycleStack;

beforeAll(async () => {
  // Logging in takes a test a moment of real time: not an hour divided by 21,600.
  stack = await startLifecycleStack({ scale: SCALE, bank: { maxConsentDays: 15 }, timings: { linkTimeoutMs: 30_000 } });
});
afterAll(() => stack?.close());

/** `resourceIds`: the bank's ids of the accounts, for a connection whose consent has ended (its accounts detached). */
async function expectTruth(connectionId: string, resourceIds?: Map<string, string>) {
  for (const account of await stack.accounts(connectionId)) {
    const { stored, truth, from, to } = await storedAndTruth(stack.database, stack.bank, account, resourceIds?.get(account.id) ?? account.providerAccountId!);
    expect(stored, `${account.iban} ${from}..${to}`).toEqual(truth);
  }
}

const notices = async (connectionId: string) =>
  (await stack.database.db.select().from(notifications).where(eq(notifications.connectionId, connectionId)).orderBy(notifications.createdAt)).map((n) => ({
    event: n.event,
    daysLeft: (n.payload as { days_left?: number }).days_left,
  }));

const runCount = async (connectionId: string) =>
  (await stack.database.db.select({ n: count() }).from(syncRuns).where(eq(syncRuns.connectionId, connectionId)))[0]!.n;

test('link, sync four times a day, remind, expire, renew without gap or duplicate, disconnect keeping the data', async () => {
  // Link through the bank's login pages; the initial import equals the bank's ground truth.
  const { connectionId, landing } = await stack.link({ historyDays: 30 });
  expect(landing.headers.get('location')).toContain(`connection_id=${connectionId}&status=authorized`);
  // The 14-day reminder of a 15-day consent is due within one bank day (4 s) of linking: an initial
  // import that takes longer than that on a busy machine ends in `expiring`, which is still linked.
  const linked = await stack.waitFor(connectionId, ['active', 'expiring'], (r) => r.lastSyncAt !== null);
  const [linkConsent] = await stack.database.db.select({ authorizedAt: consents.authorizedAt }).from(consents).where(and(eq(consents.connectionId, connectionId), eq(consents.purpose, 'link')));
  await expectTruth(connectionId);
  const firstAccounts = await stack.accounts(connectionId);
  const firstWatermark = firstAccounts[0]!.lastIntegrationDate!;

  // Scheduled syncs pick up the days that pass; pending entries book without duplicates.
  await until(async () => (await stack.accounts(connectionId))[0]!.lastIntegrationDate! >= addDays(firstWatermark, 4), 10 * BANK_DAY_MS, () => 'the watermark did not move 4 days');
  await expectTruth(connectionId);
  const settled = await stack.database.db.select().from(pendingTransactions);
  expect(settled.some((p) => p.settledTransactionId !== null)).toBe(true);
  const scheduled = await stack.database.db.select().from(syncs).where(and(eq(syncs.connectionId, connectionId), eq(syncs.trigger, 'scheduled')));
  expect(scheduled.length).toBeGreaterThanOrEqual(4);
  // Never more than four unattended syncs in any bank day (what the bank's budget allows).
  const starts = scheduled.map((s) => s.startedAt!.getTime()).sort((a, b) => a - b);
  for (let i = 4; i < starts.length; i++) expect(starts[i]! - starts[i - 4]!).toBeGreaterThan(BANK_DAY_MS);

  // Reminders 14, 7 and 1 days before the granted expiry, exactly once each; then the consent expires.
  const expiresAt = linked.consentExpiresAt!.getTime();
  await stack.waitFor(connectionId, 'expiring', () => true, 30_000);
  await stack.waitFor(connectionId, 'expired', () => true, expiresAt - Date.now() + 20_000);
  // The consent ends at the end of a bank day, so its 14-day reminder falls due between 0 and 1
  // bank day after linking, depending on the hour: one already past when the user came back (the
  // consent's authorized_at) is rightly not sent.
  const fourteenDaysAhead = expiresAt - 14 * BANK_DAY_MS;
  const authorizedBy = linkConsent!.authorizedAt!.getTime();
  expect((await notices(connectionId)).filter((n) => n.event !== 'sync.completed')).toEqual([
    { event: 'connection.linked', daysLeft: undefined },
    ...(fourteenDaysAhead > authorizedBy ? [{ event: 'consent.expiring', daysLeft: 14 }] : []),
    { event: 'consent.expiring', daysLeft: 7 },
    { event: 'consent.expiring', daysLeft: 1 },
    { event: 'consent.expired', daysLeft: undefined },
  ]);

  // Expired: no more syncs (wait out four bank days).
  const runsAtExpiry = await runCount(connectionId);
  await new Promise((resolve) => setTimeout(resolve, 4 * BANK_DAY_MS));
  expect(await runCount(connectionId)).toBe(runsAtExpiry);

  // Renew: a new consent through the login pages; same accounts (the bank's ids changed), gap backfilled.
  const { consentId } = await stack.connections.renew(connectionId, PSU_IP);
  const back = await stack.authorize(consentId);
  expect(back.headers.get('location')).toContain('status=authorized');
  await stack.waitFor(connectionId, ['active', 'expiring'], (r) => r.lastSyncAt!.getTime() > Date.now() - 2000);
  const renewedAccounts = await stack.accounts(connectionId);
  expect(renewedAccounts.map((a) => a.id).sort()).toEqual(firstAccounts.map((a) => a.id).sort());
  for (const account of renewedAccounts) {
    expect(account.providerAccountId).not.toBe(firstAccounts.find((a) => a.id === account.id)!.providerAccountId);
    // One unbroken range from the import start: the days of the expiry were filled in.
    expect(account.coveredRanges).toHaveLength(1);
    expect(account.lastIntegrationDate! > firstWatermark).toBe(true);
  }
  await expectTruth(connectionId);

  // Disconnect: the consent ends at the bank, the data stays.
  await stack.connections.disconnect(connectionId);
  await stack.waitFor(connectionId, 'disconnected');
  expect((await notices(connectionId)).filter((n) => n.event === 'connection.disconnected')).toHaveLength(1);
  const resourceIds = new Map(renewedAccounts.map((account) => [account.id, account.providerAccountId!]));
  expect((await stack.accounts(connectionId)).every((account) => account.providerAccountId === null)).toBe(true);
  await expectTruth(connectionId, resourceIds);
  const consentsAtBank = await stack.database.db.select().from(consents).where(eq(consents.connectionId, connectionId));
  for (const consent of consentsAtBank) {
    const ref = stack.secrets.decrypt(consent.providerConsentRef!, `consent:${consent.id}`);
    expect(['terminatedByTpp', 'expired']).toContain(await stack.bank.client.getConsentStatus(ref));
  }

  // Temporal history holds ids, dates, states and counts: none of the bank's data or secrets.
  const workflowId = bankConnectionWorkflowId(connectionId);
  const runs = await allRuns(stack.temporal.client, workflowId);
  expect(runs.length).toBeGreaterThan(1); // continued as new at renewal (and when the server suggested it)
  const secrets = await personalAndSecretData(connectionId, resourceIds, consentsAtBank);
  for (const { history } of runs) {
    const text = await readableHistory(history, [stack.temporal.codec]);
    const leaked = secrets.filter((secret) => text.includes(secret));
    expect(leaked).toEqual([]);
    await replay(history, workflowId, stack.temporal.dataConverter);
  }
  // RECORD_HISTORIES=1 keeps them for test/workflows/replay.test.ts: today's histories must replay on tomorrow's code.
  if (process.env.RECORD_HISTORIES) {
    await rm(RECORDED_HISTORIES, { recursive: true, force: true });
    await mkdir(RECORDED_HISTORIES, { recursive: true });
    for (const [index, { history }] of runs.entries()) {
      await writeFile(new URL(`lifecycle-run-${index + 1}.binpb`, RECORDED_HISTORIES), await decodedHistoryBytes(history, [stack.temporal.codec]));
    }
  }
}, 240_000);

/** Everything of the bank's in this connection that must not reach Temporal: IBANs, names, amounts, consent ids, URLs. */
async function personalAndSecretData(connectionId: string, resourceIds: Map<string, string>, consentRows: (typeof consents.$inferSelect)[]) {
  const values = new Set<string>();
  for (const account of await stack.accounts(connectionId)) {
    values.add(account.iban);
    if (account.name) values.add(account.name);
    for (const entry of await stack.bank.truth(resourceIds.get(account.id)!)) {
      for (const name of [entry.creditorName, entry.debtorName, entry.remittanceInformationUnstructured]) if (name && name.length > 5) values.add(name);
      // An amount would travel as a JSON string, as the bank wrote it or canonical ("-12.30", "-12.3");
      // whole amounts ("200") are left out: too many other strings look like them.
      const amount = entry.transactionAmount.amount;
      for (const form of [amount, parseAmount(amount)]) if (form.includes('.')) values.add(JSON.stringify(form));
    }
  }
  for (const consent of consentRows) {
    values.add(stack.secrets.decrypt(consent.providerConsentRef!, `consent:${consent.id}`));
    values.add(stack.secrets.decrypt(consent.authorizationUrl!, `consent:${consent.id}`));
    if (consent.psuIpAddress) values.add(consent.psuIpAddress);
  }
  return [...values];
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
