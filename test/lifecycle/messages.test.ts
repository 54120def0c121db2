/**
 * What the ledger app and the bank can do to a running connection: syncs on demand (attended or
 * not, joining a running one), the bank's budget, consents the bank revokes or ends early, a link
 * the user never finishes or cancels. The bank clock runs at real speed: no scheduled sync
 * interferes (the next slot is hours away).
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { consents, notifications, syncs } from '../../db/schema.js';
import { PSU_IP } from '../helpers/demobank.js';
import { INSTITUTION, startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;
beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1, timings: { linkTimeoutMs: 3000 } });
});
afterAll(() => stack?.close());

const syncRow = (syncId: string) => until(async () => {
  const [row] = await stack.database.db.select().from(syncs).where(eq(syncs.id, syncId));
  return row && ['completed', 'failed', 'joined', 'skipped'].includes(row.status) ? row : undefined;
}, 30_000, () => `sync ${syncId} did not finish`);

async function linked() {
  const { connectionId, consentId } = await stack.link();
  await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null);
  const [consent] = await stack.database.db.select().from(consents).where(eq(consents.id, consentId));
  return { connectionId, bankConsentId: stack.secrets.decrypt(consent!.providerConsentRef!, `consent:${consentId}`) };
}

test('attended syncs do not use the budget; unattended ones stop at four a day, before the bank says no', async () => {
  const { connectionId } = await linked();
  for (let i = 0; i < 6; i++) {
    const { syncId } = await stack.connections.syncNow(connectionId, PSU_IP);
    expect((await syncRow(syncId)).status).toBe('completed');
  }
  const unattended = [];
  for (let i = 0; i < 5; i++) unattended.push(await syncRow((await stack.connections.syncNow(connectionId)).syncId));
  expect(unattended.map((s) => s.status)).toEqual(['completed', 'completed', 'completed', 'completed', 'skipped']);
  expect(unattended[4]!.reason).toMatch(/daily limit of unattended accesses is used up/);
});

test('a sync asked for while one runs joins it instead of starting a second', async () => {
  const { connectionId } = await linked();
  await stack.bank.faults.set({ faults: [{ kind: 'latency', endpoint: 'transactions', ms: 1500 }] });
  try {
    const first = await stack.connections.syncNow(connectionId, PSU_IP);
    await until(async () => (await stack.database.db.select().from(syncs).where(eq(syncs.id, first.syncId)))[0]?.status === 'running', 10_000, () => 'the first sync did not start');
    const second = await stack.connections.syncNow(connectionId, PSU_IP);
    expect(await syncRow(second.syncId)).toMatchObject({ status: 'joined', joinedSyncId: first.syncId });
    expect((await syncRow(first.syncId)).status).toBe('completed');
  } finally {
    await stack.bank.faults.reset();
  }
});

test("the bank's ACCESS_EXCEEDED fails the sync without retrying; the connection stays active", async () => {
  const { connectionId } = await linked();
  await stack.bank.faults.set({ faults: [{ kind: 'rateLimit', endpoint: 'transactions', after: 0 }] });
  try {
    const { syncId } = await stack.connections.syncNow(connectionId);
    const sync = await syncRow(syncId);
    expect(sync.status).toBe('failed');
    expect(sync.reason).toMatch(/daily limit of accesses was reached/);
    expect((await stack.connection(connectionId)).status).toBe('active');
  } finally {
    await stack.bank.faults.reset();
  }
});

test.each([
  ['revokes', (id: string) => stack.bank.revokeConsent(id), /revoked/],
  ['expires early', (id: string) => stack.bank.expireConsent(id), /expired/],
])('a bank that %s the consent moves the connection to reauth_required, with one notice', async (_what, act, reason) => {
  const { connectionId, bankConsentId } = await linked();
  await act(bankConsentId);
  await syncRow((await stack.connections.syncNow(connectionId, PSU_IP)).syncId);
  const row = await stack.waitFor(connectionId, 'reauth_required');
  expect(row.statusReason).toMatch(reason);
  const notices = await stack.database.db.select().from(notifications).where(and(eq(notifications.connectionId, connectionId), eq(notifications.event, 'connection.reauth_required')));
  expect(notices).toHaveLength(1);
  // No more syncing on a consent the bank rejects.
  expect((await syncRow((await stack.connections.syncNow(connectionId, PSU_IP)).syncId)).status).toBe('skipped');
});

test('a link the user never finishes expires, and its consent is closed at the bank', async () => {
  const { connectionId, consentId } = await stack.connections.create({ tenantId: stack.tenantId, institutionId: INSTITUTION, psuIpAddress: PSU_IP });
  expect(await stack.connections.authorizationUrl(consentId, 10_000)).toMatch(/^http/);
  const row = await stack.waitFor(connectionId, 'expired', () => true, 20_000);
  expect(row.statusReason).toMatch(/did not finish linking/);
  const [consent] = await stack.database.db.select().from(consents).where(eq(consents.id, consentId));
  expect(consent!.status).toBe('closed');
  expect(await stack.bank.client.getConsentStatus(stack.secrets.decrypt(consent!.providerConsentRef!, `consent:${consentId}`))).toBe('terminatedByTpp');
  // The callback link is dead too.
  expect(await stack.connections.authorizationUrl(consentId, 0)).toBeUndefined();
});

test('a user who cancels at the bank comes back to the ledger with the outcome', async () => {
  const { connectionId, consentId } = await stack.connections.create({
    tenantId: stack.tenantId, institutionId: INSTITUTION, psuIpAddress: PSU_IP, redirectUrl: 'https://ledger.example/done',
  });
  const url = (await stack.connections.authorizationUrl(consentId, 10_000))!;
  const cancelled = await fetch(`${url}/login`, {
    method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=cancel',
  });
  const landing = await fetch(cancelled.headers.get('location')!, { redirect: 'manual' });
  expect(landing.headers.get('location')).toBe(`https://ledger.example/done?connection_id=${connectionId}&status=cancelled`);
  expect((await stack.waitFor(connectionId, 'expired')).statusReason).toMatch(/cancelled or rejected/);
  // Renewing gives the user another try with a fresh link.
  const retry = await stack.connections.renew(connectionId, PSU_IP);
  expect((await stack.authorize(retry.consentId)).headers.get('location')).toContain('status=authorized');
  await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null);
});
