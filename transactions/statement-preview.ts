import type { DatabaseHandle } from '../db/client.js';
import {
  BalanceTally,
  checkBalances,
  dialectList,
  parseStatementFile,
  type CsvFinding,
  type CsvPreset,
  type EntryStatus,
  type FileEvent,
  type Mt940Dialect,
  type StatementFormat,
  type StatementHeader,
  type StatementInput,
} from '../statements/index.js';
import { FingerprintCounter } from './identity.js';
import { checkAccount, tenantAccountOf, type StatementDestination } from './statement-accounts.js';
import { bookedEntry, pendingEntry } from './statement-entries.js';
import { StatementImportError, translated } from './statement-errors.js';
import type { StatementSummary } from './statement-summary.js';

/**
 * What importing a statement file would do, without doing it: the file is read to its end and
 * checked as the import checks it (its accounts, currencies, balances), but nothing is written
 * and no account is locked. A file the import would refuse for what it is (unreadable, another
 * account) is refused alike; balances that do not add up are shown, not refused.
 */

/** How many entries a preview shows, as they would be stored. */
export const PREVIEW_ENTRIES = 20;

export interface PreviewOptions {
  format?: StatementFormat;
  csv?: CsvPreset;
  /** The name (or id) the caller gave the CSV preset by. */
  csvPresetName?: string;
}

export interface PreviewAccount {
  iban?: string;
  otherId?: string;
  currency?: string;
  /** existing: the tenant's account `accountId`; new: the import would create it (create_accounts); unknown: the import would refuse the file for it. */
  status: 'existing' | 'new' | 'unknown';
  accountId?: string;
}

export interface PreviewEntry {
  status: EntryStatus;
  /** Where the import would put it: a booked transaction, the account's pending entries, or nowhere (information only). */
  storedAs: 'transaction' | 'pending' | 'not stored';
  bookingDate: string;
  valueDate?: string | null;
  amount: string;
  currency: string;
  counterpartyName?: string | null;
  counterpartyIban?: string | null;
  remittanceInformation?: string | null;
  /** The bank's reference as the import keys the transaction by. */
  bankReference?: string;
  endToEndId?: string | null;
  mandateId?: string | null;
  bankTransactionCode?: string | null;
  location: string;
}

export interface StatementPreview {
  format: StatementFormat;
  /** The camt message version, e.g. camt.052.001.08. */
  version?: string;
  messageId?: string;
  /** A CSV file's preset: the one named, or the one detected from the file with what detection found. */
  csv?: { presetName?: string; detected: boolean; preset: CsvPreset; findings: CsvFinding[] };
  /** MT940 and MT942: how the file departs from the SWIFT layout (MT940_DIALECTS), in that list's order; empty for the plain layout and other formats. */
  dialects: Mt940Dialect[];
  /** One per statement, in file order. */
  accounts: PreviewAccount[];
  fromDate?: string;
  toDate?: string;
  counts: { entries: number } & Record<EntryStatus, number>;
  statements: StatementSummary[];
  /** Every statement that was checked adds up (a file without balances counts as adding up). */
  balanceOk: boolean;
  entries: PreviewEntry[];
}

export async function previewStatementFile(database: DatabaseHandle, destination: StatementDestination, input: StatementInput, options: PreviewOptions = {}): Promise<StatementPreview> {
  try {
    return await preview(database, destination, input, options);
  } catch (error) {
    throw translated(error);
  }
}

async function preview(database: DatabaseHandle, destination: StatementDestination, input: StatementInput, options: PreviewOptions): Promise<StatementPreview> {
  const tally = new BalanceTally();
  const counter = new FingerprintCounter();
  const accounts: PreviewAccount[] = [];
  const statements: Omit<StatementSummary, 'balance'>[] = [];
  const entries: PreviewEntry[] = [];
  const counts = { entries: 0, booked: 0, pending: 0, info: 0 };
  let file: FileEvent | undefined;
  const dialects = new Set<Mt940Dialect>();
  let fromDate: string | undefined;
  let toDate: string | undefined;
  const currency = 'account' in destination ? destination.account.currency : undefined;

  for await (const event of parseStatementFile(input, { format: options.format, csv: options.csv, currency })) {
    tally.add(event);
    if (event.kind === 'file') file = event;
    else if (event.kind === 'statementEnd') for (const dialect of event.dialects ?? []) dialects.add(dialect);
    else if (event.kind === 'statement') {
      const { statement } = event;
      const location = `statement ${statements.length + 1} (${statement.statementId})`;
      accounts.push(await previewAccount(database, destination, statement, location));
      statements.push({ statementId: statement.statementId, sequenceNumber: statement.sequenceNumber, fromDate: statement.fromDate, toDate: statement.toDate, entries: 0, sum: '0' });
    } else if (event.kind === 'entry') {
      const { entry } = event;
      counts.entries++;
      counts[entry.status]++;
      statements.at(-1)!.entries++;
      if (!fromDate || entry.bookingDate < fromDate) fromDate = entry.bookingDate;
      if (!toDate || entry.bookingDate > toDate) toDate = entry.bookingDate;
      // Every booked entry is fingerprinted, as the import numbers identical entries through the whole file.
      const booked = entry.status === 'booked' ? bookedEntry(entry, counter) : undefined;
      if (entries.length >= PREVIEW_ENTRIES) continue;
      const base = { status: entry.status, location: entry.location, valueDate: entry.valueDate ?? null, endToEndId: entry.endToEndId ?? null, mandateId: entry.mandateId ?? null, bankTransactionCode: entry.bankTransactionCode ?? null };
      if (booked) entries.push({ ...base, storedAs: 'transaction', bookingDate: booked.bookingDate, amount: booked.amount, currency: booked.currency, counterpartyName: booked.counterpartyName, counterpartyIban: booked.counterpartyIban, remittanceInformation: booked.remittanceInformation, bankReference: booked.providerKey });
      else {
        const pending = pendingEntry(entry);
        entries.push({ ...base, storedAs: entry.status === 'pending' ? 'pending' : 'not stored', bookingDate: pending.expectedDate, amount: pending.amount, currency: pending.currency, counterpartyName: pending.counterpartyName, counterpartyIban: pending.counterpartyIban, remittanceInformation: pending.remittanceInformation });
      }
    }
  }
  if (!file) throw new StatementImportError(422, 'statement-format', 'the file is empty: expected a camt, MT940 or CSV statement');
  if (statements.length === 0) throw new StatementImportError(422, 'statement-format', 'the file holds no statement');

  const checks = checkBalances(tally.statements);
  const summaries = statements.map((statement, index): StatementSummary => {
    const totals = tally.statements[index]!;
    const balance = checks[index]!;
    return { ...statement, currency: balance.currency, opening: totals.openingBalance?.amount, closing: totals.closingBalance?.amount, sum: totals.bookedTotal, balance };
  });
  return {
    format: file.format,
    version: file.version,
    messageId: file.messageId,
    csv: file.format === 'csv' ? { presetName: options.csvPresetName, detected: !options.csv, preset: options.csv ?? file.csvPreset!, findings: file.csvFindings ?? [] } : undefined,
    dialects: dialectList(dialects),
    accounts,
    fromDate,
    toDate,
    counts,
    statements: summaries,
    balanceOk: checks.every((check) => check.ok),
    entries,
  };
}

/** The account a statement would go into, checked as the import checks it. */
async function previewAccount(database: DatabaseHandle, destination: StatementDestination, statement: StatementHeader, location: string): Promise<PreviewAccount> {
  if ('account' in destination) {
    checkAccount(destination.account, statement, location, []);
    return { iban: destination.account.iban, otherId: statement.account.otherId, currency: destination.account.currency, status: 'existing', accountId: destination.account.id };
  }
  const { iban, currency, account } = await tenantAccountOf(database, destination.tenantId, statement, location);
  if (account) return { iban, currency: account.currency, status: 'existing', accountId: account.id };
  return { iban, currency, status: destination.createAccounts && currency ? 'new' : 'unknown' };
}
