import type { Database } from '../db/client.js';
import { auditEvents, type AuditAction } from '../db/schema.js';

/** Who made a change: the API key of the request, or nobody (the command line, a renewal link from an e-mail). */
export interface AuditActor {
  keyId: string;
  keyPrefix: string;
}

export interface AuditEntry {
  tenantId: string;
  actor: AuditActor | null;
  /** The X-Request-Id of the request that made the change, if one did. */
  requestId: string | null;
  action: AuditAction;
  target: { type: string; id: string };
  /** Ids, counts, field names, settings: never personal data (names, e-mails, IBANs, IPs) or secrets. */
  details?: Record<string, unknown>;
}

/**
 * Appends one event to the audit trail. Pass the database transaction that makes the change, so
 * the event commits with it or not at all: a request that fails leaves no trace of a change it did not make.
 */
export async function recordAuditEvent(db: Pick<Database, 'insert'>, entry: AuditEntry): Promise<void> {
  await db.insert(auditEvents).values({
    tenantId: entry.tenantId,
    actorKeyId: entry.actor?.keyId ?? null,
    actorKeyPrefix: entry.actor?.keyPrefix ?? null,
    requestId: entry.requestId,
    action: entry.action,
    targetType: entry.target.type,
    targetId: entry.target.id,
    details: entry.details ?? {},
  });
}
