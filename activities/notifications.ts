import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bankConnections, notifications, type NotificationEvent } from '../db/schema.js';
import { toDeliver } from './deliveries.js';
import type { ActivityDeps } from './deps.js';

export interface Notice {
  connectionId: string;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  /** Once per key, ever: a retried activity or a replayed timer writes nothing new. */
  dedupKey: string;
}

/**
 * Puts a notice in the outbox, once; webhook and e-mail delivery read it from there. Answers the
 * notice's id (the one written before, for a key written before), for the workflow to deliver it.
 */
export async function writeNotice(db: Database, notice: Notice): Promise<string | undefined> {
  const [connection] = await db.select({ tenantId: bankConnections.tenantId }).from(bankConnections).where(eq(bankConnections.id, notice.connectionId));
  if (!connection) return undefined;
  const [written] = await db
    .insert(notifications)
    .values({
      tenantId: connection.tenantId,
      connectionId: notice.connectionId,
      event: notice.event,
      payload: { connection_id: notice.connectionId, ...notice.payload },
      dedupKey: notice.dedupKey,
    })
    .onConflictDoNothing()
    .returning({ id: notifications.id });
  if (written) return written.id;
  const [existing] = await db.select({ id: notifications.id }).from(notifications).where(eq(notifications.dedupKey, notice.dedupKey));
  return existing?.id;
}

/** What an activity that wrote a notice answers: its id only, when it has somewhere to go; never its payload (that stays out of history). */
export interface NoticeWritten {
  noticeId?: string;
}

export function createNotificationActivities(deps: ActivityDeps) {
  return {
    async notify(notice: Notice): Promise<NoticeWritten> {
      return toDeliver(deps, await writeNotice(deps.database.db, notice));
    },
  };
}
