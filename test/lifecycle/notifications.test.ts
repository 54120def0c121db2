/**
 * Notices leave bankfeed: signed webhooks to a real local receiver and reminder e-mails through a
 * real SMTP server, delivered by a workflow per notice, over a compressed consent lifetime (a bank
 * day every 2 s, a 15-day consent). The receiver fails the first two tries of every delivery.
 */
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createMailer } from '../../notifications/email.js';
import { verifyWebhook } from '../../notifications/webhook-signature.js';
import { notificationDeliveryWorkflowId } from '../../workflows/notification-delivery.js';
import { readableHistory } from '../helpers/history.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';
import { startSmtpServer, startWebhookReceiver, type ReceivedWebhook } from '../helpers/receivers.js';

const SCALE = 43_200;
const EMAIL = 'owner@ledger.example';
let stack: LifecycleStack;
let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let mailer: ReturnType<typeof createMailer>;

beforeAll(async () => {
  // /flaky answers 500 to the first two tries of each delivery, then 200; /reminders always 200.
  receiver = await startWebhookReceiver(({ path, tries }) => (path === '/flaky' && tries <= 2 ? 500 : 200));
  smtp = await startSmtpServer();
  mailer = createMailer(smtp.url, 'bankfeed <bankfeed@test.example>');
  stack = await startLifecycleStack({
    scale: SCALE,
    bank: { maxConsentDays: 15 },
    timings: { linkTimeoutMs: 30_000, deliveryRetry: { initialIntervalMs: 200, maximumIntervalMs: 1_000, expirationMs: 120_000 } },
    mailer,
    // The receiver is a plain http server on loopback.
    allowInsecureWebhooks: true,
  });
});
afterAll(async () => {
  await stack?.close();
  mailer?.close();
  await smtp?.close();
  await receiver?.close();
});

interface Body {
  id: string;
  type: string;
  created_at: string;
  tenant_id: string;
  data: { connection_id: string; consent_id?: string; days_left?: number };
}
const parse = (request: ReceivedWebhook) => JSON.parse(request.body) as Body;
const reminderKey = (body: Body) => `${body.type} ${body.data.consent_id} ${body.data.days_left ?? '-'}`;
const delivered = (path: string) => receiver.received.filter((r) => r.path === path && r.status === 200);
const REMINDERS = ['consent.expiring', 'consent.expired'];

test('webhooks (signed, retried, once each) and e-mail reminders (once each, with a working renewal link) over a consent lifetime', async () => {
  const hook = async (payload: object) => {
    const response = await stack.app.inject({ method: 'POST', url: '/v1/webhooks', headers: stack.headers, payload });
    expect(response.statusCode, response.body).toBe(201);
    return response.json<{ id: string; secret: string }>();
  };
  const flaky = await hook({ url: `${receiver.url}/flaky` });
  const reminders = await hook({ url: `${receiver.url}/reminders`, events: REMINDERS });

  const { connectionId } = await stack.link({ historyDays: 5, notificationEmail: EMAIL });
  const linked = await stack.waitFor(connectionId, 'active', (r) => r.consentExpiresAt !== null);
  await stack.waitFor(connectionId, 'expired', () => true, linked.consentExpiresAt!.getTime() - Date.now() + 20_000);
  // Every reminder and the expiry reach both endpoints and the mailbox.
  await until(async () => delivered('/reminders').length >= 4 && smtp.received.length >= 4 && delivered('/flaky').filter((r) => REMINDERS.includes(parse(r).type)).length >= 4, 20_000, () => 'the reminders did not all arrive');
  // Late duplicates would show up now.
  await new Promise((resolve) => setTimeout(resolve, 3_000));

  // Exactly once per (event, consent, days left) at each endpoint; /reminders got nothing else.
  const consentId = parse(delivered('/reminders')[0]!).data.consent_id!;
  const expected = [`consent.expiring ${consentId} 14`, `consent.expiring ${consentId} 7`, `consent.expiring ${consentId} 1`, `consent.expired ${consentId} -`];
  expect(delivered('/reminders').map((r) => reminderKey(parse(r)))).toEqual(expected);
  expect(receiver.received.filter((r) => r.path === '/reminders')).toHaveLength(4);
  const flakyReminders = delivered('/flaky').map(parse).filter((b) => REMINDERS.includes(b.type));
  expect(flakyReminders.map(reminderKey).sort()).toEqual([...expected].sort());

  // /flaky: every notice arrived exactly once, after two refused tries of the same delivery.
  const byDelivery = new Map<string, ReceivedWebhook[]>();
  for (const r of receiver.received.filter((r) => r.path === '/flaky')) {
    const id = String(r.headers['bankfeed-delivery']);
    byDelivery.set(id, [...(byDelivery.get(id) ?? []), r]);
  }
  expect(byDelivery.size).toBeGreaterThan(8); // linked, syncs, reminders, expiry
  for (const [deliveryId, requests] of byDelivery) {
    const done = requests.filter((r) => r.status === 200);
    if (done.length === 0) continue; // a sync.completed still being retried as the test looks
    expect(requests.map((r) => r.status), deliveryId).toEqual([500, 500, 200]);
    expect(new Set(requests.map((r) => r.body)).size, 'every try sends the same body').toBe(1);
    expect(parse(done[0]!).id).toBe(deliveryId);
  }

  // Headers and signatures: each endpoint's own secret verifies each request, the other's does not.
  for (const request of receiver.received) {
    const body = parse(request);
    const secret = request.path === '/flaky' ? flaky.secret : reminders.secret;
    const other = request.path === '/flaky' ? reminders.secret : flaky.secret;
    expect(verifyWebhook(secret, request.body, request.headers['bankfeed-signature'] as string)).toBe(true);
    expect(verifyWebhook(other, request.body, request.headers['bankfeed-signature'] as string)).toBe(false);
    expect(request.headers['bankfeed-event']).toBe(body.type);
    expect(request.headers['bankfeed-delivery']).toBe(body.id);
    expect(body).toMatchObject({ tenant_id: stack.tenantId, data: { connection_id: connectionId } });
  }

  // The delivery log shows the refused tries and the success of a reminder.
  const sevenDays = flakyReminders.find((b) => b.data.days_left === 7)!;
  const log = await stack.app.inject({ method: 'GET', url: `/v1/webhooks/${flaky.id}/deliveries?limit=500`, headers: stack.headers });
  const attempts = log.json<{ data: { notification_id: string; attempt: number; status_code: number; succeeded: boolean; event: string }[] }>().data;
  expect(attempts.filter((a) => a.notification_id === sevenDays.id).map((a) => [a.attempt, a.status_code, a.succeeded]).reverse()).toEqual([
    [1, 500, false],
    [2, 500, false],
    [3, 200, true],
  ]);

  // E-mail: the three reminders and the expiry, once each, to the connection's address, nothing else.
  expect(smtp.received).toHaveLength(4);
  for (const mail of smtp.received) {
    expect(mail.to).toEqual([EMAIL]);
    expect(mail.from).toBe('bankfeed@test.example');
    expect(mail.raw).toContain('Demo Bank (sandbox)');
  }
  expect(smtp.received.map((m) => m.subject).sort()).toEqual(
    [
      'Renew your Demo Bank (sandbox) connection: access ends in 14 days',
      'Renew your Demo Bank (sandbox) connection: access ends in 7 days',
      'Renew your Demo Bank (sandbox) connection: access ends in 1 day',
      'Your Demo Bank (sandbox) connection has expired',
    ].sort(),
  );
  const linkPattern = new RegExp(`${stack.apiUrl}/v1/connections/${connectionId}/renew-link\\?token=[A-Za-z0-9._%-]+`, 'g');
  const expiredMail = smtp.received.find((m) => m.subject.includes('expired'))!;
  const links = expiredMail.raw.match(linkPattern)!;
  expect(links.length).toBeGreaterThanOrEqual(2); // text and HTML
  // No IBAN or account data in the e-mail.
  for (const account of await stack.accounts(connectionId)) expect(expiredMail.raw).not.toContain(account.iban);

  // The delivery workflows' histories hold ids and outcomes: no address, secret, link or payload.
  const history = await stack.temporal.client.workflow.getHandle(notificationDeliveryWorkflowId(sevenDays.id)).fetchHistory();
  const readable = await readableHistory(history, [stack.temporal.codec]);
  expect(readable).toContain('deliverNotification');
  for (const secret of [EMAIL, flaky.secret, reminders.secret, 'renew-link', receiver.url, 'days_left']) expect(readable).not.toContain(secret);

  // The link renews: 303 to the bank's login page; logging in there makes the connection active again.
  const opened = await fetch(links[0]!, { redirect: 'manual' });
  expect(opened.status).toBe(303);
  const bankPage = opened.headers.get('location')!;
  expect(bankPage.startsWith(stack.bank.url)).toBe(true);
  // A second click goes to the same login page instead of starting another renewal.
  expect((await fetch(links[0]!, { redirect: 'manual' })).headers.get('location')).toBe(bankPage);
  const callback = await stack.bank.authorise(bankPage);
  await fetch(callback, { redirect: 'manual' });
  await stack.waitFor(connectionId, 'active', (r) => r.consentExpiresAt!.getTime() > linked.consentExpiresAt!.getTime());
}, 180_000);
