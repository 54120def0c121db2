import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bankConnections, notifications, type NotificationEvent } from '../db/schema.js';
import type { ActivityDeps } from './deps.js';

export interface Notice {
  connectionId: string;
  event: NotificationEvent;
  payload: Record<string, unknown>;
  /** Once per key, ever: a retried activity or a replayed timer writes nothing new. */
  dedupKey: string;
}

/** Puts a notice in the outbox, once; webhook and e-mail delivery read it from there. */
export async function writeNotice(db: Database, notice: Notice): Promise<void> {
  const [connection] = await db.select({ tenantId: bankConnections.tenantId }).from(bankConnections).where(eq(bankConnections.id, notice.connectionId));
  if (!connection) return;
  await db
    .insert(notifications)
    .values({
      tenantId: connection.tenantId,
      connectionId: notice.connectionId,
      event: notice.event,
      payload: { connection_id: notice.connectionId, ...notice.payload },
      dedupKey: notice.dedupKey,
    })
    .onConflictDoNothing();
}

export function createNotificationActivities({ database }: ActivityDeps) {
  return {
    async notify(notice: Notice): Promise<void> {
      await writeNotice(database.db, notice);
    },
  };
}
