import { createHash } from 'node:crypto';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import { arrayParam } from '../db/arrays.js';
import { LockBusyError, type DatabaseHandle } from '../db/client.js';
import { bankAccounts, statementImports } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import {
  BalanceTally,
  checkBalances,
  parseStatementFile,
  StatementFormatError,
  type BalanceCheck,
  type CsvPreset,
  type StatementEntry,
  type StatementFormat,
  type StatementHeader,
  type StatementInput,
} from '../statements/index.js';
import { defined } from '../statements/defined.js';
import { normaliseIban } from '../domain/iban.js';
import { usableProviderKey } from '../domain/provider-key.js';
import { FingerprintCounter } from './identity.js';
import { openBatchStore, STORE_BATCH_SIZE, type BookedEntry } from './store.js';

/**
 * Imports a statement file into one bank account: all of it in one database transaction under
 * the account's lock, or nothing. Booked entries go through the same identity as the bank feed
 * (`storeBooked`, source 'file'), so a file and the feed never store one transaction twice.
 */

/** Format names as the API and the command line take them. */
export const STATEMENT_FORMAT_NAMES: Partial<Record<string, StatementFormat>> = { camt053: 'camt.053', mt940: 'mt940', csv: 'csv' };

/** How long an import waits for a sync (or another import) of the same account to let go of it. */
const DEFAULT_LOCK_WAIT_MS = 5000;

export interface StatementImportOptions {
  format?: StatementFormat;
  csv?: CsvPreset;
  /** Called with the bytes read so far, as the file streams in (a progress bar). */
  onProgress?: (bytesRead: number) => void;
  lockWaitMs?: number;
}

export interface StatementSummary {
  statementId: string;
  sequenceNumber?: string;
  fromDate?: string;
  toDate?: string;
  /** Entries of any status in the statement. */
  entries: number;
  opening?: string;
  closing?: string;
  /** Sum of the booked entries. */
  sum: string;
  currency?: string;
  balance: BalanceCheck;
}

export interface ImportCounts {
  /** Every entry of the file: booked, pending and information-only. */
  entries: number;
  booked: number;
  /** Booked entries stored as new transactions. */
  inserted: number;
  /** Stored transactions the file completed (a bank reference, a value date, ...). */
  updated: number;
  /** Booked entries already stored (from the feed, an earlier file, or twice in this file). */
  duplicates: number;
  /** Pending and information-only entries: a file's pending entries are not stored. */
  pendingSkipped: number;
}

export interface StatementImportResult {
  importId: string;
  accountId: string;
  format: StatementFormat;
  fileSha256: string;
  bytes: number;
  messageId?: string;
  statements: StatementSummary[];
  counts: ImportCounts;
  /** True when an earlier import held this file, message or statements and nothing new was added. */
  alreadyImported: boolean;
  /** The earlier import that held the same file, message or statements. */
  duplicateOf?: string;
  warnings: string[];
  createdAt: string;
}

/** A file that cannot be imported: nothing of it was stored. `status` is the HTTP answer it deserves. */
export class StatementImportError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly type: string,
    readonly detail: string,
    readonly where: { location?: string; line?: number } = {},
  ) {
    super(where.location ? `${where.location}: ${detail}` : detail);
    this.name = 'StatementImportError';
  }
}

export async function importStatementFile(database: DatabaseHandle, accountId: string, input: StatementInput, options: StatementImportOptions = {}): Promise<StatementImportResult> {
  const [account] = await database.db.select().from(bankAccounts).where(eq(bankAccounts.id, accountId));
  if (!account) throw new StatementImportError(404, 'not-found', `There is no account with id ${accountId}.`);
  const deadline = Date.now() + (options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS);
  for (;;) {
    try {
      return await database.withLock(`account:${account.id}`, () => inTransaction(database, (tx) => importLocked(tx, account, input, options)));
    } catch (error) {
      if (!(error instanceof LockBusyError)) throw translated(error);
      if (Date.now() >= deadline) {
        throw new StatementImportError(409, 'account-busy', 'A sync or another import of this account is running: try again in a moment.');
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

type Account = typeof bankAccounts.$inferSelect;

async function importLocked(database: DatabaseHandle, account: Account, input: StatementInput, options: StatementImportOptions): Promise<StatementImportResult> {
  const file = hashing(input, options.onProgress);
  const tally = new BalanceTally();
  const counter = new FingerprintCounter();
  const seenKeys = new Set<string>();
  const warnings: string[] = [];
  const statements: Omit<StatementSummary, 'balance'>[] = [];
  const counts: ImportCounts = { entries: 0, booked: 0, inserted: 0, updated: 0, duplicates: 0, pendingSkipped: 0 };
  let format: StatementFormat | undefined;
  let messageId: string | undefined;

  let batch: BookedEntry[] = [];
  // The next entries are parsed while batches are written.
  const store = await openBatchStore(database, account.id, 'file');
  try {
    for await (const event of parseStatementFile(file.chunks, { format: options.format, csv: options.csv })) {
      tally.add(event);
      switch (event.kind) {
        case 'file':
          format = event.format;
          messageId = event.messageId;
          break;
        case 'statement':
          checkAccount(account, event.statement, statements.length + 1, warnings);
          statements.push({
            statementId: event.statement.statementId,
            ...defined({ sequenceNumber: event.statement.sequenceNumber, fromDate: event.statement.fromDate, toDate: event.statement.toDate }),
            entries: 0,
            sum: '0',
          });
          break;
        case 'entry': {
          counts.entries++;
          statements.at(-1)!.entries++;
          const { entry } = event;
          if (entry.status !== 'booked') {
            counts.pendingSkipped++;
            break;
          }
          if (entry.currency !== account.currency) {
            throw new StatementImportError(422, 'currency-mismatch', `the entry is in ${entry.currency}, but the account is in ${account.currency}`, { location: entry.location });
          }
          counts.booked++;
          const booked = bookedEntry(entry, counter);
          if (booked.providerKey) {
            if (seenKeys.has(booked.providerKey)) continue;
            seenKeys.add(booked.providerKey);
          }
          batch.push(booked);
          if (batch.length >= STORE_BATCH_SIZE) {
            await store.store(batch);
            batch = [];
          }
          break;
        }
        case 'statementEnd':
          break;
      }
    }
    await store.store(batch);
    Object.assign(counts, await store.finish());
  } catch (error) {
    await store.settle();
    throw error;
  }
  if (!format) throw new StatementImportError(422, 'statement-format', 'the file is empty: expected a camt.053, MT940 or CSV statement');
  if (statements.length === 0) throw new StatementImportError(422, 'statement-format', 'the file holds no statement');

  const checks = checkBalances(tally.statements);
  const failed = checks.filter((check) => !check.ok);
  if (failed.length > 0) {
    throw new StatementImportError(422, 'balance-mismatch', failed.map((check) => `statement ${check.statementId}: ${check.reason}`).join('; '), {
      location: `statement ${failed[0]!.statementId}`,
    });
  }
  for (const check of checks) if (!check.checked) warnings.push(`statement ${check.statementId}: balances not checked: ${check.reason}`);
  counts.duplicates = counts.booked - counts.inserted;

  const fileSha256 = file.digest();
  const statementIds = statements.map((statement) => statement.statementId);
  const [previous] = await database.db
    .select({ id: statementImports.id })
    .from(statementImports)
    .where(
      and(
        eq(statementImports.accountId, account.id),
        or(
          eq(statementImports.fileSha256, fileSha256),
          messageId ? eq(statementImports.messageId, messageId) : undefined,
          sql`${statementImports.statementIds} ?| ${arrayParam(statementIds, 'text')}`,
        ),
      ),
    )
    .orderBy(desc(statementImports.createdAt))
    .limit(1);
  const alreadyImported = previous !== undefined && counts.inserted === 0;
  if (previous && !alreadyImported) warnings.push(`an earlier import (${previous.id}) held this file, message or some of its statements; ${counts.inserted} entries were new`);

  const [row] = await database.db
    .insert(statementImports)
    .values({
      accountId: account.id,
      format,
      fileSha256,
      bytes: file.bytes(),
      messageId: messageId ?? null,
      statementIds,
      duplicateOf: previous?.id ?? null,
      entries: counts.entries,
      inserted: counts.inserted,
      updated: counts.updated,
      duplicates: counts.duplicates,
      pendingSkipped: counts.pendingSkipped,
      balanceChecks: checks,
      warnings,
    })
    .returning();
  return importView(row!, statements, tally.statements);
}

/** The import as the API and the CLI show it; `statements` detail a fresh import, a listing rebuilds them from the checks. */
export function importView(
  row: typeof statementImports.$inferSelect,
  statements?: Omit<StatementSummary, 'balance'>[],
  totals?: BalanceTally['statements'],
): StatementImportResult {
  const summaries = row.balanceChecks.map((check, index): StatementSummary => {
    const summary = statements?.[index];
    const total = totals?.[index];
    return {
      statementId: check.statementId,
      ...defined({ sequenceNumber: check.sequenceNumber, fromDate: summary?.fromDate, toDate: summary?.toDate, currency: check.currency }),
      entries: summary?.entries ?? 0,
      ...defined({ opening: total?.openingBalance?.amount, closing: total?.closingBalance?.amount ?? check.expected }),
      sum: total?.bookedTotal ?? '0',
      balance: check,
    };
  });
  return {
    importId: row.id,
    accountId: row.accountId,
    format: row.format,
    fileSha256: row.fileSha256,
    bytes: row.bytes,
    ...defined({ messageId: row.messageId ?? undefined, duplicateOf: row.duplicateOf ?? undefined }),
    statements: summaries,
    counts: { entries: row.entries, booked: row.inserted + row.duplicates, inserted: row.inserted, updated: row.updated, duplicates: row.duplicates, pendingSkipped: row.pendingSkipped },
    alreadyImported: row.duplicateOf !== null && row.inserted === 0,
    warnings: row.warnings,
    createdAt: row.createdAt.toISOString(),
  };
}

/** The statement must be for this account: its IBAN and currency, where the file names them. */
function checkAccount(account: Account, statement: StatementHeader, number: number, warnings: string[]) {
  const location = `statement ${number} (${statement.statementId})`;
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

/**
 * German MT940 files name the account as bank code / account number ("37040044/0532013000"), which
 * a German IBAN holds (DEkk + 8-digit bank code + 10-digit account number): whether they agree,
 * or undefined when the account is not German or the id is not of that shape.
 */
function germanAccountIban(otherId: string, accountIban: string): boolean | undefined {
  const match = /^(\d{8})\/(\d{1,10})$/.exec(otherId.replace(/\s+/g, ''));
  if (!match || !accountIban.startsWith('DE')) return undefined;
  return accountIban.replace(/\s+/g, '').slice(4) === match[1]! + match[2]!.padStart(10, '0');
}

function bookedEntry(entry: StatementEntry, counter: FingerprintCounter): BookedEntry {
  const content = {
    bookingDate: entry.bookingDate,
    amount: entry.amount,
    currency: entry.currency,
    counterpartyName: entry.counterpartyName ?? null,
    counterpartyIban: entry.counterpartyIban ?? entry.counterpartyAccount ?? null,
    remittanceInformation: entry.remittanceInformation ?? null,
  };
  return {
    bookingDate: content.bookingDate,
    amount: content.amount,
    currency: content.currency,
    counterpartyName: content.counterpartyName,
    counterpartyIban: content.counterpartyIban,
    remittanceInformation: content.remittanceInformation,
    providerKey: usableProviderKey(entry.bankReference),
    fingerprint: counter.fingerprint(content),
    valueDate: entry.valueDate ?? null,
    endToEndId: entry.endToEndId ?? null,
    bankTransactionCode: entry.bankTransactionCode ?? null,
  };
}

/** The input as chunks, hashed and counted as the parser reads them. */
function hashing(input: StatementInput, onProgress?: (bytesRead: number) => void) {
  const hash = createHash('sha256');
  let read = 0;
  async function* chunks(): AsyncGenerator<Uint8Array | string> {
    const source = typeof input === 'string' || input instanceof Uint8Array ? [input] : input;
    for await (const chunk of source) {
      // Anything else is the parser's to refuse, with its own message.
      if (typeof chunk === 'string' || chunk instanceof Uint8Array) {
        hash.update(chunk);
        read += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
        onProgress?.(read);
      }
      yield chunk;
    }
  }
  return { chunks: chunks(), digest: () => hash.digest('hex'), bytes: () => read };
}

/** What the database refused for a value in the file (a NUL character, a date out of range) is the file's problem. */
function translated(error: unknown): unknown {
  if (error instanceof StatementFormatError) {
    return new StatementImportError(422, 'statement-format', error.detail, defined({ location: error.location, line: error.line }));
  }
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    const message = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return new StatementImportError(422, 'statement-format', `a value in the file cannot be stored: ${message.split('\n')[0]}`);
  }
  return error;
}
