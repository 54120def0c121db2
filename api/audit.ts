import type { FastifyRequest } from 'fastify';
import { recordAuditEvent, type AuditEntry } from '../audit/trail.js';
import type { Database } from '../db/client.js';

/**
 * Records a change a request made, as the request's key, in the request's tenant. Every route
 * that changes something security-relevant calls this once (a new kind of change: add its action
 * to AUDIT_ACTIONS in db/schema.ts and call it), inside the database transaction of the change.
 */
export async function audit(db: Pick<Database, 'insert'>, request: FastifyRequest, action: AuditEntry['action'], target: AuditEntry['target'], details?: AuditEntry['details']) {
  const tenantId = request.tenantId;
  const key = request.apiKey!;
  await recordAuditEvent(db, { tenantId, actor: { keyId: key.keyId, keyPrefix: key.prefix }, requestId: request.id, action, target, details });
}
