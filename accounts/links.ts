import { and, desc, eq, inArray, isNull, notInArray, sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { bankAccounts, bankConnections, connectionAccounts } from '../db/schema.js';
import type { ConnectionStatus } from '../domain/connection-status.js';
import { compactIban } from '../domain/iban.js';

/** An account as a consent shares it. */
export interface SharedAccount {
  providerAccountId: string;
  iban: string;
  currency: string;
  name?: string;
}

export interface Attachment {
  accountId: string;
  /** The tenant had the account before this connection attached it: its history continues. */
  continued: boolean;
}

/**
 * Attaches the accounts a consent shares to the tenant's accounts, one per IBAN + currency:
 * an account the tenant has (from an earlier connection, another one still running, or statement
 * files) is continued, others are created. A connection attaching an account for the first time
 * brings its import start: the account's stays where it is unless this one reaches further back.
 * Renewal re-attaches with the provider's new ids; accounts the consent no longer shares are
 * detached. Nothing is ever deleted: the account keeps its history whoever feeds it.
 */
export async function attachAccounts(
  db: Database,
  { tenantId, connectionId, importStart, accounts }: { tenantId: string; connectionId: string; importStart: string; accounts: readonly SharedAccount[] },
): Promise<Attachment[]> {
  const attached: Attachment[] = [];
  for (const shared of accounts) {
    const { id: accountId, created } = await findOrCreateAccount(db, tenantId, compactIban(shared.iban), shared.currency, shared.name);
    const [link] = await db
      .select()
      .from(connectionAccounts)
      .where(and(eq(connectionAccounts.connectionId, connectionId), eq(connectionAccounts.accountId, accountId)));
    if (link) {
      await db.update(connectionAccounts).set({ providerAccountId: shared.providerAccountId, detachedAt: null }).where(eq(connectionAccounts.id, link.id));
    } else {
      await db.insert(connectionAccounts).values({ connectionId, accountId, providerAccountId: shared.providerAccountId, createdAccount: created }).onConflictDoNothing();
      // Postgres' least() passes over a null: an account made for files takes the connection's start.
      await db.update(bankAccounts).set({ importStart: sql`least(${bankAccounts.importStart}, ${importStart}::date)` }).where(eq(bankAccounts.id, accountId));
    }
    attached.push({ accountId, continued: link ? !link.createdAccount : !created });
  }
  await db
    .update(connectionAccounts)
    .set({ providerAccountId: null, detachedAt: new Date() })
    .where(
      and(
        eq(connectionAccounts.connectionId, connectionId),
        isNull(connectionAccounts.detachedAt),
        attached.length > 0 ? notInArray(connectionAccounts.accountId, attached.map((a) => a.accountId)) : undefined,
      ),
    );
  return attached;
}

/** A disconnected connection lets go of its accounts; they keep everything they hold. */
export async function detachAccounts(db: Database, connectionId: string): Promise<void> {
  await db
    .update(connectionAccounts)
    .set({ providerAccountId: null, detachedAt: new Date() })
    .where(and(eq(connectionAccounts.connectionId, connectionId), isNull(connectionAccounts.detachedAt)));
}

/** The tenant's account for an IBAN + currency, created when there is none (concurrent creators find one row). */
async function findOrCreateAccount(db: Database, tenantId: string, iban: string, currency: string, name: string | undefined) {
  const [created] = await db
    .insert(bankAccounts)
    .values({ tenantId, iban, currency, name })
    .onConflictDoNothing({ target: [bankAccounts.tenantId, bankAccounts.iban, bankAccounts.currency] })
    .returning({ id: bankAccounts.id });
  if (created) return { id: created.id, created: true };
  const [existing] = await db
    .update(bankAccounts)
    .set({ name: sql`coalesce(${name ?? null}, ${bankAccounts.name})` })
    .where(and(eq(bankAccounts.tenantId, tenantId), eq(bankAccounts.iban, iban), eq(bankAccounts.currency, currency)))
    .returning({ id: bankAccounts.id });
  return { id: existing!.id, created: false };
}

/** The accounts a connection syncs: attached, shared under its current consent, and enabled. */
export async function syncableAccountIds(db: Database, connectionId: string): Promise<string[]> {
  const rows = await db
    .select({ id: bankAccounts.id })
    .from(connectionAccounts)
    .innerJoin(bankAccounts, eq(bankAccounts.id, connectionAccounts.accountId))
    .where(and(eq(connectionAccounts.connectionId, connectionId), isNull(connectionAccounts.detachedAt), sql`${connectionAccounts.providerAccountId} is not null`, eq(bankAccounts.enabled, true)))
    .orderBy(connectionAccounts.attachedAt, bankAccounts.id);
  return rows.map((row) => row.id);
}

/** One connection's link to an account, as views show it. */
export interface AccountLink {
  accountId: string;
  connectionId: string;
  institutionId: string;
  status: ConnectionStatus;
  providerAccountId: string | null;
  createdAccount: boolean;
  attachedAt: Date;
  detachedAt: Date | null;
}

/** The links of the given accounts, by account, the most recently attached first. */
export async function loadAccountLinks(db: Database, accountIds: readonly string[]): Promise<Map<string, AccountLink[]>> {
  const byAccount = new Map<string, AccountLink[]>(accountIds.map((id) => [id, []]));
  if (accountIds.length === 0) return byAccount;
  const rows = await db
    .select({
      accountId: connectionAccounts.accountId,
      connectionId: connectionAccounts.connectionId,
      institutionId: bankConnections.institutionId,
      status: bankConnections.status,
      providerAccountId: connectionAccounts.providerAccountId,
      createdAccount: connectionAccounts.createdAccount,
      attachedAt: connectionAccounts.attachedAt,
      detachedAt: connectionAccounts.detachedAt,
    })
    .from(connectionAccounts)
    .innerJoin(bankConnections, eq(bankConnections.id, connectionAccounts.connectionId))
    .where(inArray(connectionAccounts.accountId, [...accountIds]))
    .orderBy(desc(connectionAccounts.attachedAt), desc(connectionAccounts.id));
  for (const row of rows) byAccount.get(row.accountId)!.push(row);
  return byAccount;
}
