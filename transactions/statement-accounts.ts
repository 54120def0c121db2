import { and, eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import { bankAccounts } from '../db/schema.js';
import { compactIban, ibanOf, normaliseIban } from '../domain/iban.js';
import type { StatementHeader } from '../statements/index.js';
import { StatementImportError } from './statement-errors.js';

/** Which of the tenant's accounts a statement goes into, checked as an import and a preview check it. */

export type Account = typeof bankAccounts.$inferSelect;

/** Where a file goes: one account, or the tenant's accounts by each statement's IBAN and currency. */
export type StatementDestination = { account: Account } | { tenantId: string; createAccounts: boolean };

/**
 * The tenant's account for a statement: by the IBAN it names and its currency, when it names one
 * (`account` is undefined when the tenant has none). Without a currency, accounts of the IBAN in
 * several currencies cannot be told apart.
 */
export async function tenantAccountOf(database: DatabaseHandle, tenantId: string, statement: StatementHeader, location: string) {
  const iban = statementIban(statement, location);
  const currency = statement.openingBalance?.currency ?? statement.account.currency;
  const candidates = await database.db
    .select()
    .from(bankAccounts)
    .where(and(eq(bankAccounts.tenantId, tenantId), eq(bankAccounts.iban, iban), currency ? eq(bankAccounts.currency, currency) : undefined));
  if (candidates.length > 1) {
    throw new StatementImportError(422, 'currency-unknown', `the statement names no currency, and the tenant has accounts for ${iban} in ${candidates.map((a) => a.currency).join(', ')}`, { location });
  }
  return { iban, currency, account: candidates[0] };
}

/** The statement must be for this account: its IBAN and currency, where the file names them. */
export function checkAccount(account: Account, statement: StatementHeader, location: string, warnings: string[]) {
  const { iban, otherId, currency } = statement.account;
  const fileIban = iban && (normaliseIban(iban) ?? iban.replace(/\s+/g, '').toUpperCase());
  if (fileIban && fileIban !== account.iban.replace(/\s+/g, '').toUpperCase()) {
    throw new StatementImportError(422, 'account-mismatch', `the statement is for the account ${fileIban}, not for this account (${account.iban})`, { location });
  }
  const national = !fileIban && otherId ? germanAccountIban(otherId, account.iban) : undefined;
  if (national === false) {
    throw new StatementImportError(422, 'account-mismatch', `the statement is for the account ${otherId}, not for this account (${account.iban})`, { location });
  }
  if (!fileIban && national === undefined) warnings.push(`${location}: ${otherId ? `names the account "${otherId}", not an IBAN` : 'names no account'}: it was not checked against ${account.iban}`);
  const statementCurrency = statement.openingBalance?.currency ?? currency;
  if (statementCurrency && statementCurrency !== account.currency) {
    throw new StatementImportError(422, 'currency-mismatch', `the statement is in ${statementCurrency}, but the account is in ${account.currency}`, { location });
  }
}

/** The IBAN a statement names: its own, or the one a German bank code / account number stands for. */
export function statementIban(statement: StatementHeader, location: string): string {
  const { iban, otherId } = statement.account;
  if (iban) return normaliseIban(iban) ?? compactIban(iban);
  const german = otherId ? germanIban(otherId) : undefined;
  if (german) return german;
  throw new StatementImportError(
    422,
    'account-unknown',
    `${otherId ? `the statement names the account "${otherId}", not an IBAN` : 'the statement names no account'}: upload the file into its account (POST /v1/accounts/{id}/statements)`,
    { location },
  );
}

/** The German IBAN of a bank code / account number ("37040044/0532013000"), as German MT940 files name accounts. */
function germanIban(otherId: string): string | undefined {
  const match = /^(\d{8})\/(\d{1,10})$/.exec(otherId.replace(/\s+/g, ''));
  return match ? ibanOf('DE', match[1]! + match[2]!.padStart(10, '0')) : undefined;
}

/**
 * German MT940 files name the account as bank code / account number ("37040044/0532013000"), which
 * a German IBAN holds (DEkk + 8-digit bank code + 10-digit account number): whether they agree,
 * or undefined when the account is not German or the id is not of that shape.
 */
function germanAccountIban(otherId: string, accountIban: string): boolean | undefined {
  const iban = germanIban(otherId);
  if (!iban || !accountIban.startsWith('DE')) return undefined;
  return iban === compactIban(accountIban);
}
