import { Context } from '@temporalio/activity';
import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { and, eq, isNull } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bankConnections, notificationDeliveries, notifications, tenants, webhookEndpoints } from '../db/schema.js';
import { EMAIL_EVENTS, reminderEmail } from '../notifications/email.js';
import { guardedRequest, OutboundRefused, OutboundTimeout } from '../notifications/guarded-request.js';
import { renewLink } from '../notifications/renew-link.js';
import { openEmail } from '../notifications/recipients.js';
import { DELIVERY_HEADER, EVENT_HEADER, SIGNATURE_HEADER, signWebhook } from '../notifications/webhook-signature.js';
import { webhookSecretContext } from '../domain/secrets.js';
import type { ActivityDeps } from './deps.js';

/** One way a notice goes out: to one webhook endpoint, or by e-mail to the connection's address. */
export type DeliveryTarget = { channel: 'webhook'; endpointId: string } | { channel: 'email' };
export type DeliveryOutcome = 'delivered' | 'already_delivered' | 'skipped';

/** How long a receiver gets to answer a webhook. */
const WEBHOOK_TIMEOUT_MS = 10_000;

const targetKey = (target: DeliveryTarget) => (target.channel === 'webhook' ? `webhook:${target.endpointId}` : 'email');

/** What a webhook receiver gets: the notice in the API's snake_case shape. */
export function webhookBody(notice: typeof notifications.$inferSelect): string {
  return JSON.stringify({ id: notice.id, type: notice.event, created_at: notice.createdAt.toISOString(), tenant_id: notice.tenantId, data: notice.payload });
}

/**
 * Delivery of the outbox (`notifications`): which targets a notice has, and one attempt to reach
 * one of them. Every attempt is a row of `notification_deliveries`; a target reached once is
 * never sent to again (retries and replays find the success and stop).
 */
export function createDeliveryActivities(deps: ActivityDeps) {
  const { db } = deps.database;

  /** Runs one attempt: a log row before, its outcome after; a failure is thrown for Temporal to retry. */
  async function attempt(notificationId: string, target: DeliveryTarget, send: () => Promise<{ statusCode?: number; error?: string; ok: boolean }>) {
    const [row] = await db
      .insert(notificationDeliveries)
      .values({
        notificationId,
        target: targetKey(target),
        endpointId: target.channel === 'webhook' ? target.endpointId : null,
        attempt: Context.current().info.attempt,
        // Milliseconds, as the delivery log's cursors carry them.
        startedAt: new Date(),
      })
      .returning({ id: notificationDeliveries.id });
    const result = await send().catch((error: unknown) => ({ ok: false, statusCode: undefined, error: describe(error) }));
    await db
      .update(notificationDeliveries)
      .set({ statusCode: result.statusCode ?? null, error: result.error ?? null, succeeded: result.ok, finishedAt: new Date() })
      .where(eq(notificationDeliveries.id, row!.id));
    return result;
  }

  return {
    /** Where a notice goes: the tenant's enabled endpoints that want its event, and e-mail for reminders with a recipient. */
    async planDeliveries({ notificationId }: { notificationId: string }): Promise<{ targets: DeliveryTarget[] }> {
      return { targets: await planTargets(deps, notificationId) };
    },

    /** One attempt to deliver a notice to one target; throws (to be retried with backoff) when it did not arrive. */
    async deliverNotification({ notificationId, target }: { notificationId: string; target: DeliveryTarget }): Promise<{ outcome: DeliveryOutcome }> {
      const notice = await loadNotice(db, notificationId);
      if (!notice) return { outcome: 'skipped' };
      const [done] = await db
        .select({ id: notificationDeliveries.id })
        .from(notificationDeliveries)
        .where(and(eq(notificationDeliveries.notificationId, notificationId), eq(notificationDeliveries.target, targetKey(target)), eq(notificationDeliveries.succeeded, true)));
      if (done) return { outcome: 'already_delivered' };

      if (target.channel === 'webhook') {
        const [endpoint] = await db
          .select()
          .from(webhookEndpoints)
          .where(and(eq(webhookEndpoints.id, target.endpointId), eq(webhookEndpoints.tenantId, notice.tenantId)));
        if (!endpoint || endpoint.disabledAt) return { outcome: 'skipped' };
        const secret = deps.secrets.decrypt(endpoint.secret, webhookSecretContext(endpoint.id));
        const body = webhookBody(notice);
        const result = await attempt(notificationId, target, async () => {
          const response = await guardedRequest(endpoint.url, {
            method: 'POST',
            allowInsecure: deps.allowInsecureWebhooks,
            timeoutMs: WEBHOOK_TIMEOUT_MS,
            headers: {
              'content-type': 'application/json',
              'user-agent': 'bankfeed-webhooks/1',
              [SIGNATURE_HEADER]: signWebhook(secret, body),
              [EVENT_HEADER]: notice.event,
              [DELIVERY_HEADER]: notice.id,
            },
            body,
          });
          return { ok: response.status >= 200 && response.status < 300, statusCode: response.status };
        });
        if (result.ok) return { outcome: 'delivered' };
        if (result.statusCode === 410) {
          // The receiver says it is gone for good: stop sending it anything.
          await db.update(webhookEndpoints).set({ disabledAt: new Date() }).where(eq(webhookEndpoints.id, endpoint.id));
          return { outcome: 'skipped' };
        }
        throw notDelivered(`the webhook endpoint ${result.statusCode ? `answered ${result.statusCode}` : `was not reached (${result.error})`}`, 'WebhookNotDelivered');
      }

      const connection = await recipient(deps, notice.connectionId);
      if (!deps.mailer || !connection) return { outcome: 'skipped' };
      const { mailer } = deps;
      const message = reminderEmail(connection.email, {
        event: notice.event,
        institution: deps.providers.institution(connection.institutionId)?.name ?? connection.institutionId,
        daysLeft: typeof notice.payload.days_left === 'number' ? notice.payload.days_left : undefined,
        renewUrl: renewLink(deps.secrets, deps.publicUrl, notice.connectionId),
      });
      const result = await attempt(notificationId, target, async () => {
        await mailer.send(message);
        return { ok: true };
      });
      if (result.ok) return { outcome: 'delivered' };
      throw notDelivered(`the e-mail was not accepted (${result.error})`, 'EmailNotDelivered');
    },
  };
}

/** Retried with backoff; benign: a receiver that is down is expected, not a bankfeed error to log as one (the delivery log has it). */
function notDelivered(message: string, type: string) {
  return ApplicationFailure.create({ message, type, category: ApplicationFailureCategory.BENIGN });
}

/** Where a notice goes: the tenant's enabled endpoints that want its event, and e-mail for reminders with a recipient. */
export async function planTargets(deps: ActivityDeps, notificationId: string): Promise<DeliveryTarget[]> {
  const { db } = deps.database;
  const notice = await loadNotice(db, notificationId);
  if (!notice) return [];
  const endpoints = await db
    .select({ id: webhookEndpoints.id, events: webhookEndpoints.events })
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, notice.tenantId), isNull(webhookEndpoints.disabledAt)))
    .orderBy(webhookEndpoints.createdAt);
  const targets: DeliveryTarget[] = endpoints
    .filter((endpoint) => !endpoint.events || endpoint.events.includes(notice.event))
    .map((endpoint) => ({ channel: 'webhook', endpointId: endpoint.id }));
  if (deps.mailer && EMAIL_EVENTS.includes(notice.event) && (await recipient(deps, notice.connectionId))) targets.push({ channel: 'email' });
  return targets;
}

/**
 * What an activity that wrote a notice hands the workflow: the notice's id when it has somewhere
 * to go (so no delivery workflow is started for nobody), never its payload.
 */
export async function toDeliver(deps: ActivityDeps, noticeId: string | undefined): Promise<{ noticeId?: string }> {
  return noticeId && (await planTargets(deps, noticeId)).length > 0 ? { noticeId } : {};
}

async function loadNotice(db: Database, notificationId: string) {
  return (await db.select().from(notifications).where(eq(notifications.id, notificationId)))[0];
}

/** The connection's reminder address, else its tenant's; undefined: nobody to e-mail. */
async function recipient(deps: ActivityDeps, connectionId: string) {
  const [row] = await deps.database.db
    .select({ own: bankConnections.notificationEmail, fallback: tenants.notificationEmail, tenantId: tenants.id, institutionId: bankConnections.institutionId })
    .from(bankConnections)
    .innerJoin(tenants, eq(tenants.id, bankConnections.tenantId))
    .where(eq(bankConnections.id, connectionId));
  if (!row) return undefined;
  const email = openEmail(deps.secrets, { connectionId }, row.own) ?? openEmail(deps.secrets, { tenantId: row.tenantId }, row.fallback);
  return email ? { email, institutionId: row.institutionId } : undefined;
}

/** A failure in a few words for the delivery log and Temporal's history, never a URL (its path or query may carry the receiver's token): a refusal names the host or address only. */
function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown } | undefined;
    // The guard's reasons name an address or host, never the rest of the URL.
    if (error instanceof OutboundRefused) return `refused: ${error.message}`;
    if (error instanceof OutboundTimeout) return error.message;
    if (cause && typeof cause.code === 'string') return cause.code;
    if (cause instanceof Error) return cause.message.slice(0, 100);
    if ('responseCode' in error) return `SMTP ${String((error as { responseCode: unknown }).responseCode)}`;
    if ('code' in error && typeof (error as { code: unknown }).code === 'string') return (error as { code: string }).code;
    return error.name;
  }
  return 'unknown error';
}
