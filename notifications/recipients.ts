import { and, eq, like } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bankConnections, tenants } from '../db/schema.js';
import { connectionEmailContext, tenantEmailContext, type Secrets } from '../domain/secrets.js';

/**
 * Reminder e-mail addresses are personal data: sealed at rest like the other secrets, each bound
 * to its row (a connection's, or its tenant's default), so a copied ciphertext does not open.
 */
export type EmailOwner = { connectionId: string } | { tenantId: string };

const context = (owner: EmailOwner) => ('connectionId' in owner ? connectionEmailContext(owner.connectionId) : tenantEmailContext(owner.tenantId));

export function sealEmail(secrets: Secrets, owner: EmailOwner, email: string | null | undefined): string | null {
  return email ? secrets.encrypt(email, context(owner)) : null;
}

export function openEmail(secrets: Secrets, owner: EmailOwner, sealed: string | null): string | null {
  return sealed ? secrets.decrypt(sealed, context(owner)) : null;
}

/**
 * Seals the addresses stored before they were sealed (plain text: they hold an @, which a sealed
 * value never does). Idempotent, so every start may run it, and processes starting together each
 * seal a row only while it is still plain; returns how many it sealed.
 */
export async function sealPlainEmails(db: Database, secrets: Secrets): Promise<number> {
  let sealed = 0;
  const plainConnections = await db
    .select({ id: bankConnections.id, email: bankConnections.notificationEmail })
    .from(bankConnections)
    .where(like(bankConnections.notificationEmail, '%@%'));
  for (const { id, email } of plainConnections) {
    const rows = await db
      .update(bankConnections)
      .set({ notificationEmail: sealEmail(secrets, { connectionId: id }, email) })
      .where(and(eq(bankConnections.id, id), eq(bankConnections.notificationEmail, email!)))
      .returning({ id: bankConnections.id });
    sealed += rows.length;
  }
  const plainTenants = await db.select({ id: tenants.id, email: tenants.notificationEmail }).from(tenants).where(like(tenants.notificationEmail, '%@%'));
  for (const { id, email } of plainTenants) {
    const rows = await db
      .update(tenants)
      .set({ notificationEmail: sealEmail(secrets, { tenantId: id }, email) })
      .where(and(eq(tenants.id, id), eq(tenants.notificationEmail, email!)))
      .returning({ id: tenants.id });
    sealed += rows.length;
  }
  return sealed;
}
