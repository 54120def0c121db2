import { eq } from 'drizzle-orm';
import { detachAccounts } from '../accounts/links.js';
import { bankConnections } from '../db/schema.js';
import type { ConnectionStatus } from '../domain/connection-status.js';
import type { ActivityDeps } from './deps.js';

/** The workflow's view of a connection: ids, states and instants only. */
export interface ConnectionState {
  connectionId: string;
  status: ConnectionStatus;
  statusReason?: string | null;
  consentExpiresAt?: string | null;
  lastSyncAt?: string | null;
  nextSyncAt?: string | null;
}

const instant = (value: string | null | undefined) => (value ? new Date(value) : (value as null | undefined));

/**
 * Mirrors the workflow's view of a connection into Postgres, so the API can answer without a
 * worker. A disconnected connection lets go of its accounts here.
 */
export function createConnectionStateActivities({ database }: ActivityDeps) {
  return {
    async recordConnectionState({ connectionId, status, statusReason, consentExpiresAt, lastSyncAt, nextSyncAt }: ConnectionState): Promise<void> {
      if (status === 'disconnected') await detachAccounts(database.db, connectionId);
      await database.db
        .update(bankConnections)
        .set({
          status,
          statusReason,
          consentExpiresAt: instant(consentExpiresAt),
          lastSyncAt: instant(lastSyncAt),
          nextSyncAt: instant(nextSyncAt),
        })
        .where(eq(bankConnections.id, connectionId));
    },
  };
}
