import { eq, sql } from 'drizzle-orm';
import type { DatabaseHandle } from '../../db/client.js';
import { bankAccounts, bankConnections, statementImports } from '../../db/schema.js';

/** A bank account of the tenant (on a connection of its own), for statement uploads. */
export async function createAccount(database: DatabaseHandle, tenantId: string, iban: string, currency = 'EUR') {
  const [connection] = await database.db.insert(bankConnections).values({ tenantId, institutionId: 'DEMOBANK', status: 'active' }).returning();
  const [account] = await database.db.insert(bankAccounts).values({ connectionId: connection!.id, iban, currency }).returning();
  return account!;
}

/** What an account holds: transactions and imports, to show that a refused file wrote nothing. */
export async function accountRows(database: DatabaseHandle, accountId: string) {
  const [{ transactions }] = (await database.rows<{ transactions: number }>(sql`select count(*)::int as transactions from transactions where account_id = ${accountId}`)) as [
    { transactions: number },
  ];
  const imports = await database.db.select({ id: statementImports.id }).from(statementImports).where(eq(statementImports.accountId, accountId));
  return { transactions, imports: imports.length };
}
