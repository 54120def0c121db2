import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/client.js';
import type { TestApi } from './api.js';
import { bankAccounts, statementImports } from '../../db/schema.js';
import type { StatementEntry } from '../../statements/index.js';
import { FingerprintCounter } from '../../transactions/identity.js';
import { storeBooked } from '../../transactions/store.js';

/** A bank account of the tenant, for statement uploads. */
export async function createAccount(database: DatabaseHandle, tenantId: string, iban: string, currency = 'EUR') {
  const [account] = await database.db.insert(bankAccounts).values({ tenantId, iban, currency }).returning();
  return account!;
}

/**
 * An empty account of a tenant of its own, with headers that authenticate as that tenant: a
 * tenant has one account per IBAN + currency, so tests that each want an empty one for the same
 * IBAN each get a tenant.
 */
export async function accountOfNewTenant(api: TestApi, iban: string, currency = 'EUR') {
  const tenant = await api.addTenant(`Statements ${randomUUID()}`);
  return { ...(await createAccount(api.database, tenant.id, iban, currency)), headers: tenant.headers };
}

/** What an account holds: transactions and imports, to show that a refused file wrote nothing. */
export async function accountRows(database: DatabaseHandle, accountId: string) {
  const [{ transactions }] = (await database.rows<{ transactions: number }>(sql`select count(*)::int as transactions from transactions where account_id = ${accountId}`)) as [
    { transactions: number },
  ];
  const imports = await database.db.select({ id: statementImports.id }).from(statementImports).where(eq(statementImports.accountId, accountId));
  return { transactions, imports: imports.length };
}

/** How many pending entries an account has ever recorded: a refused file adds none. */
export async function pendingRows(database: DatabaseHandle, accountId: string): Promise<number> {
  const [row] = await database.rows<{ pending: number }>(sql`select count(*)::int as pending from pending_transactions where account_id = ${accountId}`);
  return row!.pending;
}

/** Stores a file's booked entries as the bank feed would have, under keys of the feed's own: only their content can match a file's. */
export async function storeAsFeed(database: DatabaseHandle, accountId: string, entries: readonly StatementEntry[]) {
  const counter = new FingerprintCounter();
  const feed = entries.map((entry, index) => {
    const content = { bookingDate: entry.bookingDate, amount: entry.amount, currency: entry.currency, counterpartyName: entry.counterpartyName, counterpartyIban: entry.counterpartyIban ?? entry.counterpartyAccount, remittanceInformation: entry.remittanceInformation };
    return { ...content, providerKey: `feed-${index}`, fingerprint: counter.fingerprint(content) };
  });
  return storeBooked(database, accountId, feed, { source: 'feed', keyNamespace: 'nextgenpsd2' }, new Set());
}
