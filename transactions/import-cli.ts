import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import type { DatabaseHandle } from '../db/client.js';
import { bankAccounts } from '../db/schema.js';
import type { CsvPreset } from '../statements/index.js';
import { findCsvPreset, unknownPresetMessage } from './csv-preset-store.js';
import { StatementImportError } from './statement-errors.js';
import { importStatementFile, STATEMENT_FORMAT_NAMES } from './statement-import.js';
import type { StatementSummary } from './statement-summary.js';
import { previewStatementFile, type StatementPreview } from './statement-preview.js';

export const USAGE = `Usage: npm run import -- <file> --account <accountId> [--format camt052|camt053|camt054|mt940|mt942|csv] [--preset <name or id>] [--on-balance-mismatch import] [--dry-run]
  Imports a statement file into a bank account, all of it or nothing (see README "Statement files").
  --format   the file's format; detected from its content when absent
  --preset   for CSV: a preset the account's tenant saved (name or id), or a built-in one
  --on-balance-mismatch import
             import a file whose balances do not add up, the mismatch recorded on the import (refused by default)
  --dry-run  read and check the file and show what the import would store, changing nothing`;

export interface ImportCliIo {
  /** The result (stdout). */
  print(line: string): void;
  /** Progress and errors (stderr). */
  status: { write(text: string): unknown; isTTY?: boolean };
}

/** Files smaller than this import too fast for a progress bar to help. */
const PROGRESS_FROM_BYTES = 1024 * 1024;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Runs `npm run import`; returns the exit code (0 imported, 1 refused, 2 usage). */
export async function runImportCommand(args: string[], database: DatabaseHandle, io: ImportCliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { account: { type: 'string' }, format: { type: 'string' }, preset: { type: 'string' }, 'on-balance-mismatch': { type: 'string' }, 'dry-run': { type: 'boolean' } } });
  } catch (error) {
    io.status.write(`${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const { positionals, values } = parsed;
  const refuse = (message: string, code = 1) => {
    io.status.write(`${message}\n`);
    return code;
  };
  if (positionals.length !== 1 || !values.account) return refuse(USAGE, 2);
  if (!UUID.test(values.account)) return refuse(`"${values.account}" is not an account id (a UUID).`);
  const format = values.format === undefined ? undefined : STATEMENT_FORMAT_NAMES[values.format];
  if (values.format !== undefined && !format) return refuse(`Unknown format "${values.format}": expected ${Object.keys(STATEMENT_FORMAT_NAMES).join(', ')}.`);
  const onBalanceMismatch = values['on-balance-mismatch'];
  if (onBalanceMismatch !== undefined && onBalanceMismatch !== 'import' && onBalanceMismatch !== 'refuse') return refuse(`Unknown --on-balance-mismatch "${onBalanceMismatch}": expected import or refuse.`);
  const [file] = positionals as [string];
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (error) {
    return refuse(`Cannot read ${file}: ${(error as Error).message}`);
  }
  const [owner] = await database.db.select().from(bankAccounts).where(eq(bankAccounts.id, values.account));
  if (!owner) return refuse(`There is no account with id ${values.account}.`);
  let csv: CsvPreset | undefined;
  if (values.preset) {
    csv = await findCsvPreset(database.db, owner.tenantId, values.preset);
    if (!csv) return refuse(unknownPresetMessage(values.preset));
  }

  if (values['dry-run']) {
    try {
      printPreview(io, file, await previewStatementFile(database, { account: owner }, createReadStream(file, { highWaterMark: 256 * 1024 }), { format, csv, csvPresetName: values.preset }));
      return 0;
    } catch (error) {
      if (error instanceof StatementImportError) return refuse(`It would not be imported: ${error.message}`);
      throw error;
    }
  }

  const progress = progressBar(size, io.status);
  try {
    const result = await importStatementFile(database, values.account, createReadStream(file, { highWaterMark: 256 * 1024 }), { format, csv, onBalanceMismatch, onProgress: progress.update });
    progress.done();
    const { counts } = result;
    io.print(
      `${result.alreadyImported ? 'Already imported' : 'Imported'} ${file} (${result.format}) as import ${result.importId}: ` +
        `${counts.entries} entries, ${counts.inserted} new, ${counts.duplicates} already there, ${counts.pendingSkipped} pending skipped.`,
    );
    for (const statement of result.statements) io.print(statementLine(statement));
    for (const warning of result.warnings) io.print(`  warning: ${warning}`);
    return 0;
  } catch (error) {
    progress.done();
    if (error instanceof StatementImportError) return refuse(`Nothing was imported: ${error.message}`);
    throw error;
  }
}

function statementLine({ statementId, entries, balance, opening, sum, closing }: StatementSummary): string {
  return `  statement ${statementId}: ${entries} entries; ${balance.checked ? `opening ${opening} + ${sum} = closing ${closing}: ${balance.ok ? 'ok' : 'MISMATCH'}` : 'balances not checked'}`;
}

/** What --dry-run shows: what the import would store, and that nothing was changed. */
function printPreview(io: ImportCliIo, file: string, preview: StatementPreview) {
  const { counts } = preview;
  const preset = preview.csv ? `, ${preview.csv.detected ? 'preset detected from the file' : `preset ${preview.csv.presetName ?? '(given)'}`}` : '';
  const dialects = preview.dialects.length > 0 ? `, dialects ${preview.dialects.join(', ')}` : '';
  io.print(
    `Dry run, nothing imported: ${file} (${preview.format}${preview.version ? ` ${preview.version}` : ''}${preset}${dialects}), ${preview.fromDate ?? '?'} to ${preview.toDate ?? '?'}: ` +
      `${counts.entries} entries, ${counts.booked} booked, ${counts.pending} pending, ${counts.info} information.`,
  );
  for (const finding of preview.csv?.findings ?? []) io.print(`  detected ${finding.aspect}: ${finding.detected} (${finding.evidence})`);
  for (const statement of preview.statements) io.print(statementLine(statement));
  for (const entry of preview.entries) {
    io.print(`  ${entry.bookingDate} ${entry.amount} ${entry.currency} ${entry.status}${entry.counterpartyName ? ` ${entry.counterpartyName}` : ''}${entry.remittanceInformation ? `: ${entry.remittanceInformation}` : ''}`);
  }
}

/** A handwritten progress bar of bytes read, redrawn in place on a terminal and every 10 % elsewhere. */
export function progressBar(total: number, out: ImportCliIo['status'], width = 30) {
  const enabled = total >= PROGRESS_FROM_BYTES;
  const started = Date.now();
  let lastDrawn = -1;
  let shown = false;
  const megabytes = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
  const draw = (read: number) => {
    const fraction = total > 0 ? Math.min(1, read / total) : 1;
    const filled = Math.round(fraction * width);
    const seconds = (Date.now() - started) / 1000;
    const rate = seconds > 0 ? `${megabytes(read / seconds)} MB/s` : '';
    const line = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(fraction * 100)).padStart(3)}% ${megabytes(read)} / ${megabytes(total)} MB ${rate}`;
    out.write(out.isTTY ? `\r${line}` : `${line}\n`);
    shown = true;
  };
  return {
    update(read: number) {
      if (!enabled) return;
      const step = out.isTTY ? Math.floor((read / total) * 200) : Math.floor((read / total) * 10);
      if (step === lastDrawn) return;
      lastDrawn = step;
      draw(read);
    },
    done() {
      if (shown && out.isTTY) out.write('\n');
      shown = false;
    },
  };
}
