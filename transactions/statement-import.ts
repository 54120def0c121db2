import { createHash } from 'node:crypto';
import { and, desc, eq, or, sql } from 'drizzle-orm';
import { arrayParam } from '../db/arrays.js';
import { accountLockKey } from '../accounts/lock.js';
import { LockBusyError, type DatabaseHandle } from '../db/client.js';
import { bankAccounts, statementImports } from '../db/schema.js';
import { inTransaction } from '../db/transaction.js';
import { BalanceTally, checkBalances, parseStatementFile, type CsvPreset, type StatementFormat, type StatementHeader, type StatementInput, type StatementTotals } from '../statements/index.js';
import { defined } from '../statements/defined.js';
import { FingerprintCounter } from './identity.js';
import { recordFilePending, settleBookedPending, type PendingEntry } from './pending.js';
import { checkAccount, tenantAccountOf, type Account, type StatementDestination } from './statement-accounts.js';
import { bookedEntry, pendingEntry } from './statement-entries.js';
import { StatementImportError, translated } from './statement-errors.js';
import type { StatementSummary } from './statement-summary.js';
import { FILE_ORIGIN, openBatchStore, STORE_BATCH_SIZE, type BookedEntry } from './store.js';

/**
 * Imports a statement file into one bank account, or into the tenant's accounts by IBAN +
 * currency: all of it in one database transaction under the accounts' locks, or nothing. Booked
 * entries go through the same identity as the bank feed (`storeBooked`, source 'file'), so a file
 * and the feed never store one transaction twice.
 */

/** Format names as the API and the command line take them. */
export const STATEMENT_FORMAT_NAMES: Partial<Record<string, StatementFormat>> = { camt052: 'camt.052', camt053: 'camt.053', camt054: 'camt.054', mt940: 'mt940', mt942: 'mt942', csv: 'csv' };

/** How long an import waits for a sync (or another import) of the same account to let go of it. */
const DEFAULT_LOCK_WAIT_MS = 5000;

export interface StatementImportOptions {
  format?: StatementFormat;
  csv?: CsvPreset;
  /** Called with the bytes read so far, as the file streams in (a progress bar). */
  onProgress?: (bytesRead: number) => void;
  lockWaitMs?: number;
  /** A file whose balances do not add up is refused (the default), or imported with the mismatch recorded on its import. */
  onBalanceMismatch?: 'refuse' | 'import';
  /** Runs inside the import's database transaction once everything is stored (to record it, say): it commits with the import, or neither does. */
  beforeCommit?: (transaction: DatabaseHandle, result: StatementFileImport) => Promise<void>;
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
  /** Pending and information-only entries, not stored as transactions: pending ones join the account's pending entries until they book. */
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
  /** A statement's balances did not add up, and the file was imported anyway (`onBalanceMismatch: 'import'`): `statements` say which. */
  balanceMismatch: boolean;
  warnings: string[];
  createdAt: string;
}

/** A file of statements of several accounts, routed by IBAN + currency into the tenant's accounts. */
export interface StatementFileImport {
  /** One import per account the file holds statements of, in the order they first appear. */
  imports: StatementImportResult[];
  /** Accounts the file created (with `createAccounts`). */
  createdAccounts: string[];
}

/** Imports a statement file into one account: every statement of it must be that account's. */
export async function importStatementFile(database: DatabaseHandle, accountId: string, input: StatementInput, options: StatementImportOptions = {}): Promise<StatementImportResult> {
  const [account] = await database.db.select().from(bankAccounts).where(eq(bankAccounts.id, accountId));
  if (!account) throw new StatementImportError(404, 'not-found', `There is no account with id ${accountId}.`);
  const { imports } = await importStatements(database, { account }, input, options);
  return imports[0]!;
}

/**
 * Imports a statement file into the tenant's accounts, each statement into the account of its
 * IBAN + currency (a company's camt file holds several). An account the tenant does not have is
 * created with `createAccounts`; without it the whole file is refused, naming every unknown account.
 */
export async function importTenantStatementFile(
  database: DatabaseHandle,
  tenantId: string,
  input: StatementInput,
  options: StatementImportOptions & { createAccounts?: boolean } = {},
): Promise<StatementFileImport> {
  return importStatements(database, { tenantId, createAccounts: options.createAccounts ?? false }, input, options);
}

/** What a file brings to one account. */
interface AccountImport {
  account: Account;
  store: Awaited<ReturnType<typeof openBatchStore>>;
  counter: FingerprintCounter;
  seenKeys: Set<string>;
  batch: BookedEntry[];
  /** The file's pending entries: few, kept until the booked ones are stored. */
  pending: PendingEntry[];
  statements: Omit<StatementSummary, 'balance'>[];
  totals: StatementTotals[];
  counts: ImportCounts;
  warnings: string[];
}

/**
 * The whole file in one database transaction, or nothing. Each account is locked (as syncs lock
 * it) from the moment the file first names it until the transaction ends.
 */
async function importStatements(database: DatabaseHandle, destination: StatementDestination, input: StatementInput, options: StatementImportOptions): Promise<StatementFileImport> {
  const releases: (() => void)[] = [];
  try {
    return await inTransaction(database, async (tx) => {
      const lock = async (accountId: string) => {
        try {
          releases.push(await database.lockForTransaction(tx, accountLockKey(accountId), options.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS));
        } catch (error) {
          if (!(error instanceof LockBusyError)) throw error;
          throw new StatementImportError(409, 'account-busy', 'A sync or another import of this account is running: try again in a moment.');
        }
      };
      // An account given up front is locked before a byte of the file is read.
      if ('account' in destination) await lock(destination.account.id);
      const result = await importLocked(tx, destination, lock, input, options);
      await options.beforeCommit?.(tx, result);
      return result;
    });
  } catch (error) {
    throw translated(error);
  } finally {
    for (const release of releases) release();
  }
}

async function importLocked(
  database: DatabaseHandle,
  destination: StatementDestination,
  lock: (accountId: string) => Promise<void>,
  input: StatementInput,
  options: StatementImportOptions,
): Promise<StatementFileImport> {
  const file = hashing(input, options.onProgress);
  const tally = new BalanceTally();
  const byAccount = new Map<string, AccountImport>();
  const createdAccounts: string[] = [];
  const unknown = new Map<string, { iban: string; currency?: string }>();
  let current: AccountImport | undefined;
  let format: StatementFormat | undefined;
  let messageId: string | undefined;
  let statementCount = 0;

  const open = async (account: Account): Promise<AccountImport> => {
    const known = byAccount.get(account.id);
    if (known) return known;
    if (!('account' in destination)) await lock(account.id);
    const opened: AccountImport = {
      account,
      // The next entries are parsed while batches are written.
      store: await openBatchStore(database, account.id, FILE_ORIGIN),
      counter: new FingerprintCounter(),
      seenKeys: new Set(),
      batch: [],
      pending: [],
      statements: [],
      totals: [],
      counts: { entries: 0, booked: 0, inserted: 0, updated: 0, duplicates: 0, pendingSkipped: 0 },
      warnings: [],
    };
    byAccount.set(account.id, opened);
    return opened;
  };

  /** The account a statement goes into; undefined for one the tenant does not have (the file is refused at its end). */
  const route = async (statement: StatementHeader, number: number): Promise<AccountImport | undefined> => {
    const location = `statement ${number} (${statement.statementId})`;
    if ('account' in destination) {
      const target = await open(destination.account);
      checkAccount(destination.account, statement, location, target.warnings);
      return target;
    }
    const { iban, currency, account } = await tenantAccountOf(database, destination.tenantId, statement, location);
    if (account) return open(account);
    if (!destination.createAccounts || !currency) {
      unknown.set(`${iban} ${currency ?? ''}`, currency ? { iban, currency } : { iban });
      return undefined;
    }
    const [created] = await database.db.insert(bankAccounts).values({ tenantId: destination.tenantId, iban, currency, name: statement.account.name }).returning();
    createdAccounts.push(created!.id);
    return open(created!);
  };

  try {
    for await (const event of parseStatementFile(file.chunks, { format: options.format, csv: options.csv, currency: 'account' in destination ? destination.account.currency : undefined })) {
      tally.add(event);
      switch (event.kind) {
        case 'file':
          format = event.format;
          messageId = event.messageId;
          break;
        case 'statement':
          current = await route(event.statement, ++statementCount);
          current?.totals.push(tally.statements.at(-1)!);
          current?.statements.push({
            statementId: event.statement.statementId,
            ...defined({ sequenceNumber: event.statement.sequenceNumber, fromDate: event.statement.fromDate, toDate: event.statement.toDate }),
            entries: 0,
            sum: '0',
          });
          break;
        case 'entry': {
          if (!current) break;
          current.counts.entries++;
          current.statements.at(-1)!.entries++;
          const { entry } = event;
          if (entry.status === 'info') {
            current.counts.pendingSkipped++;
            break;
          }
          if (entry.currency !== current.account.currency) {
            throw new StatementImportError(422, 'currency-mismatch', `the entry is in ${entry.currency}, but the account is in ${current.account.currency}`, { location: entry.location });
          }
          if (entry.status === 'pending') {
            current.counts.pendingSkipped++;
            current.pending.push(pendingEntry(entry));
            break;
          }
          current.counts.booked++;
          const booked = bookedEntry(entry, current.counter);
          if (booked.providerKey) {
            if (current.seenKeys.has(booked.providerKey)) continue;
            current.seenKeys.add(booked.providerKey);
          }
          current.batch.push(booked);
          if (current.batch.length >= STORE_BATCH_SIZE) {
            await current.store.store(current.batch);
            current.batch = [];
          }
          break;
        }
        case 'statementEnd':
          break;
      }
    }
    const now = new Date();
    for (const target of byAccount.values()) {
      await target.store.store(target.batch);
      Object.assign(target.counts, await target.store.finish());
      // Pending entries whose booking this file brought are settled; the file's own pending entries join the account's.
      if (target.counts.booked > 0) await settleBookedPending(database, target.account.id, now);
      await recordFilePending(database, target.account.id, target.pending, now);
    }
  } catch (error) {
    for (const target of byAccount.values()) await target.store.settle();
    throw error;
  }
  if (!format) throw new StatementImportError(422, 'statement-format', 'the file is empty: expected a camt.053, MT940 or CSV statement');
  if (statementCount === 0) throw new StatementImportError(422, 'statement-format', 'the file holds no statement');
  if (unknown.size > 0) {
    const accounts = [...unknown.values()];
    throw new StatementImportError(
      422,
      'unknown-accounts',
      `the tenant has no account for ${accounts.map((a) => (a.currency ? `${a.iban} in ${a.currency}` : a.iban)).join(', ')}: create ${accounts.length > 1 ? 'them' : 'it'} first (POST /v1/accounts), or upload with create_accounts=true`,
      {},
      { unknown_accounts: accounts },
    );
  }

  const checks = new Map([...byAccount.values()].map((target) => [target, checkBalances(target.totals)]));
  const failed = [...checks.values()].flat().filter((check) => !check.ok);
  if (failed.length > 0 && options.onBalanceMismatch !== 'import') {
    throw new StatementImportError(422, 'balance-mismatch', failed.map((check) => `statement ${check.statementId}: ${check.reason}`).join('; '), {
      location: `statement ${failed[0]!.statementId}`,
    });
  }

  const fileSha256 = file.digest();
  const imports: StatementImportResult[] = [];
  for (const [target, accountChecks] of checks) {
    const { account, counts, warnings, statements } = target;
    for (const check of accountChecks) {
      if (!check.checked) warnings.push(`statement ${check.statementId}: balances not checked: ${check.reason}`);
      else if (!check.ok) warnings.push(`statement ${check.statementId}: imported although the balances do not add up (on_balance_mismatch=import): ${check.reason}`);
    }
    counts.duplicates = counts.booked - counts.inserted;
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
        balanceChecks: accountChecks,
        warnings,
      })
      .returning();
    imports.push(importView(row!, statements, target.totals));
  }
  return { imports, createdAccounts };
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
    balanceMismatch: row.balanceChecks.some((check) => !check.ok),
    warnings: row.warnings,
    createdAt: row.createdAt.toISOString(),
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
