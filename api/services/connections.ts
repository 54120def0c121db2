import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { and, desc, eq, gt, isNull } from 'drizzle-orm';
import { consentContext, type Secrets } from '../../domain/secrets.js';
import { sealEmail } from '../../notifications/recipients.js';
import type { DatabaseHandle } from '../../db/client.js';
import { bankConnections, consents, syncs } from '../../db/schema.js';
import { bankConnectionWorkflow, bankConnectionWorkflowId } from '../../workflows/bank-connection.js';
import { disconnectSignal, renewSignal, syncNowSignal } from '../../workflows/messages.js';
import { InstitutionId, TenantId } from '../../domain/search-attributes.js';
import type { Timings } from '../../workflows/timings.js';

/**
 * What the ledger app can ask of a connection, as the API routes (and the tests) do it: rows in
 * Postgres first, then a workflow start or a signal carrying their ids.
 */
export interface ConnectionServiceDeps {
  database: DatabaseHandle;
  temporal: Client;
  taskQueue: string;
  /** Decrypts the stored authorization URL. */
  secrets: Secrets;
  /** Tests shorten every wait; production uses the defaults. */
  timings?: Timings;
}

export interface NewConnection {
  tenantId: string;
  institutionId: string;
  historyDays?: number;
  untilLastMidnight?: boolean;
  redirectUrl?: string;
  /** Who gets the e-mail reminders. */
  notificationEmail?: string;
  /** The person's IP address: the bank requires it when a consent is created. */
  psuIpAddress?: string;
}

export function createConnectionService(deps: ConnectionServiceDeps) {
  const { db } = deps.database;
  const handle = (connectionId: string) => deps.temporal.workflow.getHandle(bankConnectionWorkflowId(connectionId));

  const startWorkflow = (connectionId: string, consentId: string, input: NewConnection) =>
    deps.temporal.workflow.start(bankConnectionWorkflow, {
      workflowId: bankConnectionWorkflowId(connectionId),
      taskQueue: deps.taskQueue,
      args: [{ connectionId, consentId, timings: deps.timings }],
      typedSearchAttributes: [
        { key: TenantId, value: input.tenantId },
        { key: InstitutionId, value: input.institutionId },
      ],
      // A retried start finds the workflow it started.
      workflowIdConflictPolicy: 'USE_EXISTING',
    });

  return {
    /** A new connection, its workflow started; the authorization URL follows once the bank answered. */
    async create(input: NewConnection): Promise<{ connectionId: string; consentId: string }> {
      const id = randomUUID();
      const [connection] = await db
        .insert(bankConnections)
        .values({
          id,
          tenantId: input.tenantId,
          institutionId: input.institutionId,
          status: 'awaiting_authorization',
          historyDays: input.historyDays,
          untilLastMidnight: input.untilLastMidnight,
          redirectUrl: input.redirectUrl,
          notificationEmail: sealEmail(deps.secrets, { connectionId: id }, input.notificationEmail),
        })
        .returning({ id: bankConnections.id });
      const consentId = randomUUID();
      await db.insert(consents).values({ id: consentId, connectionId: connection!.id, purpose: 'link', status: 'requested', psuIpAddress: input.psuIpAddress });
      try {
        await startWorkflow(connection!.id, consentId, input);
      } catch (error) {
        // No workflow, no connection: a retried request starts afresh instead of finding a dead one.
        await db.delete(consents).where(eq(consents.id, consentId));
        await db.delete(bankConnections).where(eq(bankConnections.id, connection!.id));
        throw error;
      }
      return { connectionId: connection!.id, consentId };
    },

    /** A new consent and authorization URL for an existing connection (renewal, or another try at linking). */
    async renew(connectionId: string, psuIpAddress?: string): Promise<{ consentId: string }> {
      const consentId = randomUUID();
      await db.insert(consents).values({ id: consentId, connectionId, purpose: 'renewal', status: 'requested', psuIpAddress });
      await handle(connectionId).signal(renewSignal, { consentId });
      return { consentId };
    },

    /**
     * The authorization URL of a consent, once the workflow has asked the bank for it: polls
     * Postgres for up to `timeoutMs`; undefined if it has not arrived by then (no worker running).
     */
    async authorizationUrl(consentId: string, timeoutMs: number): Promise<string | undefined> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [consent] = await db
          .select({ url: consents.authorizationUrl })
          .from(consents)
          .where(and(eq(consents.id, consentId), isNull(consents.closedAt)));
        if (consent?.url) return deps.secrets.decrypt(consent.url, consentContext(consentId));
        if (!consent || Date.now() >= deadline) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    /** The URL of a consent that waits for the user at the bank right now (a link or renewal in progress), if any. */
    async pendingAuthorizationUrl(connectionId: string): Promise<string | undefined> {
      const [consent] = await db
        .select({ id: consents.id, url: consents.authorizationUrl })
        .from(consents)
        .where(
          and(
            eq(consents.connectionId, connectionId),
            eq(consents.status, 'requested'),
            isNull(consents.closedAt),
            isNull(consents.stateUsedAt),
            gt(consents.stateExpiresAt, new Date()),
          ),
        )
        .orderBy(desc(consents.createdAt))
        .limit(1);
      return consent?.url ? deps.secrets.decrypt(consent.url, consentContext(consent.id)) : undefined;
    },

    /** Asks for a sync now; the answer is the sync's id, to follow. */
    async syncNow(connectionId: string, psuIpAddress?: string): Promise<{ syncId: string }> {
      const syncId = randomUUID();
      await db.insert(syncs).values({ id: syncId, connectionId, trigger: 'manual', status: 'requested', psuIpAddress });
      await handle(connectionId).signal(syncNowSignal, { syncId, attended: psuIpAddress !== undefined });
      return { syncId };
    },

    async disconnect(connectionId: string): Promise<void> {
      await handle(connectionId).signal(disconnectSignal);
    },
  };
}

export type ConnectionService = ReturnType<typeof createConnectionService>;
