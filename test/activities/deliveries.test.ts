/**
 * The delivery activities on their own (Temporal's mock activity context, a real database, a
 * real receiver): what a notice's targets are, and that a delivered notice is never sent again,
 * whatever retries or replays call the activity.
 */
import { Socket } from 'node:net';
import { eq } from 'drizzle-orm';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { createDeliveryActivities, toDeliver, type DeliveryTarget } from '../../activities/deliveries.js';
import { webhookSecretContext } from '../../domain/secrets.js';
import type { ActivityDeps } from '../../activities/deps.js';
import { writeNotice } from '../../activities/notifications.js';
import { bankConnections, notificationDeliveries, tenants, webhookEndpoints } from '../../db/schema.js';
import type { EmailMessage } from '../../notifications/email.js';
import { sealEmail } from '../../notifications/recipients.js';
import { verifyWebhook } from '../../notifications/webhook-signature.js';
import { createProviderRegistry } from '../../providers/registry.js';
import { generateEncryptionKey } from '../../secrets/encryption-keys.js';
import { Keyring } from '../../secrets/keyring.js';
import { createTenant } from '../../tenants/store.js';
import { realClock } from '../../time/bank-clock.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { startWebhookReceiver } from '../helpers/receivers.js';

let database: TestDatabase;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let status = 200;
const keyring = new Keyring([generateEncryptionKey('k1')]);
const sent: EmailMessage[] = [];
let activities: ReturnType<typeof createDeliveryActivities>;
let deps: ActivityDeps;
let tenantId: string;
let connectionId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  receiver = await startWebhookReceiver(() => status);
  deps = {
    database,
    providers: createProviderRegistry([]),
    clock: realClock,
    secrets: keyring,
    publicUrl: 'https://bankfeed.example',
    // The receiver is a plain http server on loopback.
    allowInsecureWebhooks: true,
    mailer: { send: async (message: EmailMessage) => void sent.push(message) },
  };
  activities = createDeliveryActivities(deps);
  tenantId = (await createTenant(database.db, 'Deliveries')).tenantId;
  connectionId = crypto.randomUUID();
  // Stored sealed, as the API stores it.
  const notificationEmail = sealEmail(keyring, { connectionId }, 'anna@firma.example');
  await database.db.insert(bankConnections).values({ id: connectionId, tenantId, institutionId: 'NORDBANK', status: 'active', notificationEmail });
});
afterAll(async () => {
  await receiver?.close();
  await database?.drop();
});

async function endpoint(path: string, events: string[] | null = null) {
  const id = crypto.randomUUID();
  const secret = `whsec_${path}`;
  await database.db.insert(webhookEndpoints).values({ id, tenantId, url: `${receiver.url}${path}`, events: events as never, secret: keyring.encrypt(secret, webhookSecretContext(id)) });
  return { id, secret };
}

const deliver = (n: number, input: { notificationId: string; target: DeliveryTarget }, using = activities) =>
  new MockActivityEnvironment({ attempt: n }).run(using.deliverNotification, input);

test('targets: enabled endpoints that want the event, and e-mail for reminders of a connection with an address', async () => {
  // Nowhere to go yet: the workflow gets no id, and starts no delivery for it.
  const early = (await writeNotice(database.db, { connectionId, event: 'sync.completed', payload: {}, dedupKey: 'plan:early' }))!;
  expect(await toDeliver(deps, early)).toEqual({});
  const all = await endpoint('/plan-all');
  const expiring = await endpoint('/plan-expiring', ['consent.expiring']);
  const synced = (await writeNotice(database.db, { connectionId, event: 'sync.completed', payload: {}, dedupKey: 'plan:sync' }))!;
  const reminder = (await writeNotice(database.db, { connectionId, event: 'consent.expiring', payload: { days_left: 7 }, dedupKey: 'plan:exp' }))!;
  // The same key again: the same notice.
  expect(await writeNotice(database.db, { connectionId, event: 'consent.expiring', payload: { days_left: 7 }, dedupKey: 'plan:exp' })).toBe(reminder);
  const plan = async (id: string) => (await activities.planDeliveries({ notificationId: id })).targets;
  expect(await plan(synced)).toEqual([{ channel: 'webhook', endpointId: all.id }]);
  expect(await toDeliver(deps, synced)).toEqual({ noticeId: synced });
  expect(await plan(reminder)).toEqual([
    { channel: 'webhook', endpointId: all.id },
    { channel: 'webhook', endpointId: expiring.id },
    { channel: 'email' },
  ]);
  await database.db.delete(webhookEndpoints).where(eq(webhookEndpoints.tenantId, tenantId));
});

test("e-mail goes to the connection's address, else the tenant's default, else nowhere", async () => {
  const [bare] = await database.db.insert(bankConnections).values({ tenantId, institutionId: 'NORDBANK', status: 'active' }).returning();
  const notificationId = (await writeNotice(database.db, { connectionId: bare!.id, event: 'consent.expired', payload: {}, dedupKey: 'default:expired' }))!;
  expect((await activities.planDeliveries({ notificationId })).targets).toEqual([]);
  await database.db.update(tenants).set({ notificationEmail: sealEmail(keyring, { tenantId }, 'books@firma.example') }).where(eq(tenants.id, tenantId));
  expect((await activities.planDeliveries({ notificationId })).targets).toEqual([{ channel: 'email' }]);
  expect(await deliver(1, { notificationId, target: { channel: 'email' } })).toEqual({ outcome: 'delivered' });
  expect(sent.at(-1)!.to).toBe('books@firma.example');
  await database.db.update(tenants).set({ notificationEmail: null }).where(eq(tenants.id, tenantId));
});

test('a delivered notice is never sent again; a refused one is retried and logged; 410 disables the endpoint', async () => {
  const hook = await endpoint('/once');
  const notificationId = (await writeNotice(database.db, { connectionId, event: 'consent.expired', payload: { consent_id: 'c1' }, dedupKey: 'once:expired' }))!;
  const target = { channel: 'webhook' as const, endpointId: hook.id };

  status = 503;
  await expect(deliver(1, { notificationId, target })).rejects.toThrow('the webhook endpoint answered 503');
  status = 200;
  expect(await deliver(2, { notificationId, target })).toEqual({ outcome: 'delivered' });
  // A retry or a replay after the success: nothing is sent.
  expect(await deliver(3, { notificationId, target })).toEqual({ outcome: 'already_delivered' });
  expect(await deliver(1, { notificationId, target })).toEqual({ outcome: 'already_delivered' });
  const got = receiver.received.filter((r) => r.path === '/once');
  expect(got.map((r) => r.status)).toEqual([503, 200]);
  expect(verifyWebhook(hook.secret, got[1]!.body, got[1]!.headers['bankfeed-signature'] as string)).toBe(true);
  const log = await database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.endpointId, hook.id)).orderBy(notificationDeliveries.attempt);
  expect(log.map((l) => [l.attempt, l.statusCode, l.succeeded])).toEqual([
    [1, 503, false],
    [2, 200, true],
  ]);

  // Unreachable: logged with the reason, retried.
  const down = await endpoint('/down');
  const closed = await startWebhookReceiver();
  await closed.close();
  await database.db.update(webhookEndpoints).set({ url: `${closed.url}/down` }).where(eq(webhookEndpoints.id, down.id));
  await expect(deliver(1, { notificationId, target: { channel: 'webhook', endpointId: down.id } })).rejects.toThrow(/was not reached \(ECONNREFUSED\)/);

  const gone = await endpoint('/gone');
  status = 410;
  expect(await deliver(1, { notificationId, target: { channel: 'webhook', endpointId: gone.id } })).toEqual({ outcome: 'skipped' });
  status = 200;
  const [disabled] = await database.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, gone.id));
  expect(disabled!.disabledAt).not.toBeNull();
  expect((await activities.planDeliveries({ notificationId })).targets).not.toContainEqual({ channel: 'webhook', endpointId: gone.id });
});

test('an e-mail is sent once, to the connection address, with a renewal link', async () => {
  const notificationId = (await writeNotice(database.db, { connectionId, event: 'consent.expiring', payload: { days_left: 14 }, dedupKey: 'mail:14' }))!;
  const before = sent.length;
  expect(await deliver(1, { notificationId, target: { channel: 'email' } })).toEqual({ outcome: 'delivered' });
  expect(await deliver(2, { notificationId, target: { channel: 'email' } })).toEqual({ outcome: 'already_delivered' });
  expect(sent.length - before).toBe(1);
  const mail = sent.at(-1)!;
  expect(mail.to).toBe('anna@firma.example');
  expect(mail.subject).toBe('Renew your NORDBANK connection: access ends in 14 days');
  expect(mail.text).toContain(`https://bankfeed.example/v1/connections/${connectionId}/renew-link?token=`);
});

test('a webhook the guard refuses is a failed attempt recorded with the reason, the host and no more of the URL; a redirect is a failure with its status', async () => {
  const notificationId = (await writeNotice(database.db, { connectionId, event: 'consent.expired', payload: {}, dedupKey: 'guard:expired' }))!;
  const attemptsOf = (id: string) => database.db.select().from(notificationDeliveries).where(eq(notificationDeliveries.endpointId, id));
  // No socket may leave loopback, whatever the guard does.
  const connect = Socket.prototype.connect;
  const outside: unknown[] = [];
  vi.spyOn(Socket.prototype, 'connect').mockImplementation(function (this: Socket, ...args: unknown[]) {
    const options = (Array.isArray(args[0]) ? args[0][0] : args[0]) as { host?: string };
    if (options.host === '127.0.0.1') return connect.apply(this, args as Parameters<typeof connect>);
    outside.push(options.host);
    process.nextTick(() => this.destroy(new Error('the test lets no traffic leave loopback')));
    return this;
  });
  try {
    const internal = await endpoint('/internal');
    await database.db.update(webhookEndpoints).set({ url: 'https://10.0.0.5/hooks?token=secret' }).where(eq(webhookEndpoints.id, internal.id));
    await expect(deliver(1, { notificationId, target: { channel: 'webhook', endpointId: internal.id } })).rejects.toThrow('the webhook endpoint was not reached (refused: 10.0.0.5 is a private address)');
    expect((await attemptsOf(internal.id)).map((a) => [a.statusCode, a.error, a.succeeded])).toEqual([[null, 'refused: 10.0.0.5 is a private address', false]]);
    expect(outside).toEqual([]);

    // In production the loopback receiver is as internal as any address.
    const loopback = await endpoint('/production');
    const before = receiver.received.length;
    const production = createDeliveryActivities({ ...deps, allowInsecureWebhooks: false });
    const deliverInProduction = (endpointId: string) => deliver(1, { notificationId, target: { channel: 'webhook', endpointId } }, production);
    await expect(deliverInProduction(loopback.id)).rejects.toThrow('(refused: plain http is refused: https only)');
    const secure = await endpoint('/secure');
    await database.db.update(webhookEndpoints).set({ url: receiver.url.replace('http:', 'https:') }).where(eq(webhookEndpoints.id, secure.id));
    await expect(deliverInProduction(secure.id)).rejects.toThrow('(refused: 127.0.0.1 is a loopback address)');
    expect(receiver.received.length).toBe(before);
  } finally {
    vi.restoreAllMocks();
  }

  const redirected = await endpoint('/redirect');
  status = 302;
  await expect(deliver(1, { notificationId, target: { channel: 'webhook', endpointId: redirected.id } })).rejects.toThrow('the webhook endpoint answered 302');
  status = 200;
  expect((await attemptsOf(redirected.id)).map((a) => [a.statusCode, a.succeeded])).toEqual([[302, false]]);
});
