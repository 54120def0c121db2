import { mapColumns, type ColumnMap } from './csv-columns.js';
import { detectDateFormat, looksLikeDate } from './csv-date-format.js';
import { detectDialect, isBlank } from './csv-dialect.js';
import { headerMeanings } from './csv-header-names.js';
import { findHeaderRow } from './csv-header-row.js';
import { detectNumberFormat } from './csv-number-format.js';
import { readPreamble } from './csv-preamble.js';
import type { CsvColumn, CsvPreset } from './csv-preset.js';
import type { CsvRecord } from './csv-records.js';
import { csvSample } from './csv-sample.js';
import { statusOf } from './csv-status.js';
import { StatementFormatError } from './errors.js';
import { boundedChunks, peekChunks, type Chunk, type StatementInput } from './input.js';

/** How much of a CSV file detection reads: the whole file for nearly every bank export. */
export const DETECT_BYTES = 1024 * 1024;

/** One thing detection decided, what it decided, and what in the file showed it. */
export interface CsvFinding {
  aspect: string;
  detected: string;
  evidence: string;
}

export interface CsvDetection {
  preset: CsvPreset;
  findings: CsvFinding[];
}

/** What the caller knows that a file may not say. */
export interface CsvDetectionContext {
  /** The currency of the account the file is for: a file that names no currency is read in it. */
  currency?: string;
}

/** Detects how to read a CSV file (see `detectCsvFromSample`), reading only its start. */
export async function detectCsvPreset(input: StatementInput, context: CsvDetectionContext = {}): Promise<CsvDetection> {
  const { detection, close } = await detectCsvStream(boundedChunks(input), context);
  await close();
  return detection;
}

/** Detects from the first DETECT_BYTES of the chunks; `all` replays them before the rest, so the file can then be parsed with the preset. */
export async function detectCsvStream(chunks: AsyncIterable<Chunk>, context: CsvDetectionContext = {}): Promise<{ detection: CsvDetection; all: AsyncIterable<Chunk>; close(): Promise<void> }> {
  const { head, all, close } = await peekChunks(chunks, DETECT_BYTES);
  try {
    const length = head.reduce((total, chunk) => total + chunk.length, 0);
    return { detection: detectCsvFromSample(head, length < DETECT_BYTES, context), all, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * A CSV preset from the file itself: encoding, delimiter and quote, the header row below any
 * preamble, footer lines after the rows, the columns by their names in the banks' languages, the
 * date format and number format from all values of their columns, and the amount shape (signed,
 * debit and credit columns, or amount and indicator). What the file does not settle is refused
 * with a StatementFormatError saying what was found and what is needed.
 */
export function detectCsvFromSample(head: Chunk[], complete: boolean, context: CsvDetectionContext = {}): CsvDetection {
  const sample = csvSample(head, complete);
  const findings: CsvFinding[] = [{ aspect: 'encoding', detected: sample.encodingEvidence.includes('UTF-16') ? sample.encodingEvidence.replace(/^a (\S+).*/, '$1') : sample.encoding, evidence: sample.encodingEvidence }];
  const dialect = detectDialect(sample.text, complete);
  findings.push(
    { aspect: 'delimiter', detected: dialect.delimiter, evidence: `${dialect.rows} rows of ${dialect.fields} fields` },
    { aspect: 'quote', detected: dialect.quote, evidence: dialect.quote === "'" ? 'fields quoted with single quotes, none with double quotes' : 'the usual quote' },
  );
  const { records } = dialect;
  const headerIndex = findHeaderRow(records);
  const header = records[headerIndex]!;
  const preamble = records.slice(0, headerIndex).filter((record) => !isBlank(record));
  findings.push({ aspect: 'header row', detected: `line ${header.line}`, evidence: preamble.length ? `${preamble.length} preamble line${preamble.length > 1 ? 's' : ''} above it` : 'the first line' });
  const { rows, footer } = splitFooter(header, records.slice(headerIndex + 1).filter((record) => !isBlank(record)), complete);
  if (footer.length) findings.push({ aspect: 'footer', detected: `${footer.length} line${footer.length > 1 ? 's' : ''} from line ${footer[0]!.line}`, evidence: `no date in ${footer.map((record) => JSON.stringify(record.fields.find((field) => field.trim())?.trim() ?? '')).join(', ')}` });
  const map = mapColumns(header, rows);
  const names = header.fields.map((field) => field.trim());
  const column = (index: number) => JSON.stringify(names[index]);
  const cellsOf = (index: number | undefined) =>
    index === undefined ? [] : rows.flatMap((row) => ((row.fields[index] ?? '').trim() ? [{ text: row.fields[index]!, line: row.line, column: names[index]! }] : []));

  const dateCells = [...cellsOf(map.bookingDate), ...cellsOf(map.valueDate)];
  const dates = detectDateFormat(dateCells.filter((cell) => looksLikeDate(cell.text)), names[map.bookingDate]!);
  const statusInDateColumn = cellsOf(map.bookingDate).find((cell) => !looksLikeDate(cell.text));
  findings.push({ aspect: 'date format', detected: dates.format, evidence: dates.evidence });
  const moneyColumns = [map.amount, map.debit, map.credit, ...map.balance];
  const numbers = detectNumberFormat(moneyColumns.flatMap(cellsOf));
  findings.push({ aspect: 'number format', detected: `decimal "${numbers.decimalSeparator}", thousands "${numbers.thousandsSeparator}"`, evidence: numbers.evidence });
  findings.push({ aspect: 'amount', ...amountShape(map, column) });

  const fromPreamble = readPreamble(records.slice(0, headerIndex));
  const currency = currencyOf(map, fromPreamble.currency, context.currency, column, header.line);
  findings.push({ aspect: 'currency', ...currency.finding });
  if (map.accountIban === undefined && fromPreamble.accountIban) {
    findings.push({ aspect: 'account', detected: fromPreamble.accountIban.iban, evidence: `the preamble, line ${fromPreamble.accountIban.line}` });
  }

  const columnRef = columnNamer(names);
  const columns: CsvPreset['columns'] = { bookingDate: columnRef(map.bookingDate) };
  for (const role of ['valueDate', 'amount', 'debit', 'credit', 'currency', 'counterpartyName', 'counterpartyIban', 'reference', 'endToEndId', 'mandateId', 'bankTransactionCode', 'accountIban', 'status', 'indicator'] as const) {
    const index = map[role];
    if (index !== undefined) columns[role] = columnRef(index);
  }
  if (columns.status === undefined && statusInDateColumn) {
    columns.status = columns.bookingDate;
    findings.push({ aspect: 'status', detected: `in the date column ${column(map.bookingDate)}`, evidence: `"${statusInDateColumn.text.trim()}" (line ${statusInDateColumn.line}) where the date would be` });
  }
  if (map.text.length) columns.text = map.text.map(columnRef);
  findings.push({ aspect: 'columns', detected: Object.entries(columns).map(([role, value]) => `${role}: ${[value].flat().map(String).join(' + ')}`).join('; '), evidence: 'the header names' });
  for (const { column: index, why } of map.unmapped) findings.push({ aspect: 'column not read', detected: column(index), evidence: why });

  const preset: CsvPreset = {
    name: 'detected',
    encoding: sample.encoding,
    delimiter: dialect.delimiter,
    quote: dialect.quote,
    skipRows: headerIndex,
    header: true,
    dateFormat: dates.format,
    decimalSeparator: numbers.decimalSeparator,
    ...(numbers.thousandsSeparator ? { thousandsSeparator: numbers.thousandsSeparator } : {}),
    ...(currency.fixed ? { currency: currency.fixed } : {}),
    ...(map.accountIban === undefined && fromPreamble.accountIban ? { accountIban: fromPreamble.accountIban.iban } : {}),
    ...(footer.length ? { footerPatterns: footerPatterns(footer, dialect.delimiter) } : {}),
    columns,
  };
  return { preset, findings };
}

/**
 * The rows after the header, and the footer: the lines at the end of the file whose date
 * columns hold no date (totals, closing balance). Only a sample that is the whole file has an end.
 */
function splitFooter(header: CsvRecord, rows: CsvRecord[], complete: boolean): { rows: CsvRecord[]; footer: CsvRecord[] } {
  const dateColumns = header.fields.flatMap((field, index) => (headerMeanings(field).meanings.some(({ role }) => role === 'bookingDate' || role === 'valueDate') ? [index] : []));
  let end = rows.length;
  const undated = (row: CsvRecord) => dateColumns.every((index) => !looksLikeDate(row.fields[index] ?? '') && statusOf(row.fields[index] ?? '', undefined) === undefined);
  if (complete) while (end > 0 && undated(rows[end - 1]!)) end--;
  return { rows: rows.slice(0, end), footer: rows.slice(end) };
}

/**
 * Patterns for the footer rows seen: each row's leading fields up to its first non-empty one
 * ("Saldo", "Total debits"), as the preset's footerPatterns match them (the fields joined by
 * the delimiter). A footer past what detection reads is not known, and is refused at its line.
 */
function footerPatterns(footer: CsvRecord[], delimiter: string): string[] {
  const patterns = footer.map((row) => {
    const first = row.fields.findIndex((field) => field.trim() !== '');
    const lead = [...row.fields.slice(0, first), row.fields[first]!.slice(0, 100)].join(delimiter);
    // Any character but a letter, digit or space matches as ".", so the text needs no escaping; the field must end there.
    return `^${lead.replace(/[^\p{L}\p{N} ]/gu, '.')}(?:[${delimiter}]|$)`;
  });
  return [...new Set(patterns)].slice(0, 20);
}

function amountShape(map: ColumnMap, column: (index: number) => string): { detected: string; evidence: string } {
  if (map.amount !== undefined && map.indicator !== undefined) return { detected: 'amount with a debit/credit indicator', evidence: `${column(map.amount)} and ${column(map.indicator)}` };
  if (map.amount !== undefined) return { detected: 'one signed amount', evidence: column(map.amount) };
  return { detected: 'debit and credit columns', evidence: `${column(map.debit!)} and ${column(map.credit!)}` };
}

function currencyOf(map: ColumnMap, preamble: { code: string; line: number } | undefined, account: string | undefined, column: (index: number) => string, line: number): { fixed?: string; finding: { detected: string; evidence: string } } {
  if (map.currency !== undefined) return { finding: { detected: `the column ${column(map.currency)}`, evidence: 'the header name' } };
  if (map.headerCurrency) return { fixed: map.headerCurrency, finding: { detected: map.headerCurrency, evidence: 'the amount column’s header' } };
  if (preamble) return { fixed: preamble.code, finding: { detected: preamble.code, evidence: `the preamble, line ${preamble.line}` } };
  if (account) return { fixed: account, finding: { detected: account, evidence: 'the file names none: the currency of the account it is for' } };
  throw new StatementFormatError('no currency: the file has no currency column, its amount header names none and no line above the header says one: upload it into an account (its currency is used), or send a preset with the currency', {
    location: `line ${line}`,
    line,
  });
}

/**
 * How the preset names a column: by its header name when that name finds it again (it is
 * unique and not blank), else by its number.
 */
function columnNamer(names: string[]): (index: number) => CsvColumn {
  const normal = names.map((name) => name.replace(/^\uFEFF/, '').trim().toLowerCase());
  return (index) => {
    const name = names[index]!;
    const unique = normal.indexOf(normal[index]!) === index && normal.lastIndexOf(normal[index]!) === index;
    return name && name.length <= 200 && unique ? name : index + 1;
  };
}
