import { createHash } from 'node:crypto';
import { AmountError, compareAmounts, negateAmount, parseAmount } from '../domain/amount.js';
import { checkedCsvPreset, type CsvColumn, type CsvPreset } from './csv-preset.js';
import { CsvFooter } from './csv-footer.js';
import { indicatorSide } from './csv-indicator.js';
import { CsvRecordReader, type CsvRecord } from './csv-records.js';
import { parseDate } from './dates.js';
import { defined } from './defined.js';
import { StatementFormatError } from './errors.js';
import { normaliseIban } from '../domain/iban.js';
import type { Chunk } from './input.js';
import { statusOf } from './csv-status.js';
import type { EntryStatus, StatementEntry, StatementEvent, StatementHeader } from './model.js';
import { decodeText } from './text-decoding.js';
import { cleanReference, cleanText } from './text.js';

/** How much of the text the statement id covers: it must be known before the first entry is handed out. */
const ID_PREFIX = 64 * 1024;
/** How many rows may precede the header row (a bank's preamble: account, period, balance lines). */
const HEADER_SEARCH_ROWS = 50;
/** Pending rows without a date wait for the next dated row; more than this in a row is not a list of reservations. */
const MAX_UNDATED = 10_000;

/**
 * Reads a CSV export with a column-mapping preset: no balances; rows are booked unless the
 * preset maps a status column that says otherwise. One statement per currency, since an account
 * is an IBAN and a currency: the first currency's rows stream, other currencies' rows are held
 * and follow as statements of their own. The statement id is a hash of the first 64 KiB of text
 * (entries are held back until it is read; another currency's id adds the currency);
 * `contentSha256` on each statement end hashes the whole text.
 */
export async function* parseCsv(chunks: AsyncIterable<Chunk>, presetInput: unknown): AsyncGenerator<StatementEvent> {
  const preset = checkedCsvPreset(presetInput);
  const text = decodeText(chunks, preset.encoding, 'set the encoding of the CSV preset to the one the bank uses, often windows-1252');
  const records = new CsvRecordReader(preset.delimiter, preset.quote ?? '"');
  const rows = new CsvRows(preset);
  const currencies = new CurrencySplit();
  const whole = createHash('sha256');
  const prefix = createHash('sha256');
  let prefixLength = 0;
  let held: StatementEntry[] = [];
  let header: StatementHeader | undefined;

  yield { kind: 'file', format: 'csv' };
  for await (const chunk of text) {
    whole.update(chunk);
    if (prefixLength < ID_PREFIX) {
      prefix.update(chunk.slice(0, ID_PREFIX - prefixLength));
      prefixLength += Math.min(chunk.length, ID_PREFIX - prefixLength);
    }
    held.push(...currencies.first(rows.entries(records.write(chunk))));
    if (!header && prefixLength >= ID_PREFIX) {
      header = rows.header(prefix.digest('hex'));
      yield { kind: 'statement', statement: header };
    }
    if (header) {
      for (const entry of held) yield { kind: 'entry', entry };
      held = [];
    }
  }
  held.push(...currencies.first([...rows.entries(records.end()), ...rows.end()]));
  if (!header) {
    header = rows.header(prefix.digest('hex'));
    yield { kind: 'statement', statement: header };
  }
  for (const entry of held) yield { kind: 'entry', entry };
  const contentSha256 = whole.digest('hex');
  yield { kind: 'statementEnd', contentSha256 };
  for (const [currency, entries] of currencies.others) {
    yield { kind: 'statement', statement: { ...header, statementId: `${header.statementId}:${currency}`, account: { ...header.account, currency } } };
    for (const entry of entries) yield { kind: 'entry', entry };
    yield { kind: 'statementEnd', contentSha256 };
  }
}

/** Rows in currencies other than the first are held for their own statements; this many is not a side pocket but a file to export per currency. */
const MAX_HELD_OTHER_CURRENCIES = 100_000;

/** Splits entries into those of the first currency, handed on, and those of other currencies, held by currency in file order. */
class CurrencySplit {
  private firstCurrency: string | undefined;
  readonly others = new Map<string, StatementEntry[]>();
  private held = 0;

  first(entries: StatementEntry[]): StatementEntry[] {
    const first: StatementEntry[] = [];
    for (const entry of entries) {
      this.firstCurrency ??= entry.currency;
      if (entry.currency === this.firstCurrency) {
        first.push(entry);
        continue;
      }
      if (++this.held > MAX_HELD_OTHER_CURRENCIES) {
        throw new StatementFormatError(`more than ${MAX_HELD_OTHER_CURRENCIES} rows in currencies other than ${this.firstCurrency}: export one file per currency`, { location: entry.location });
      }
      const list = this.others.get(entry.currency);
      if (list) list.push(entry);
      else this.others.set(entry.currency, [entry]);
    }
    return first;
  }
}

/** Maps records to entries by the preset's columns, after finding the header row. */
class CsvRows {
  private skipped = 0;
  private searched = 0;
  private columnIndex: Map<string, number> | undefined;
  private first: { accountIban?: string; currency: string } | undefined;
  /** Pending rows without a date, waiting for the date of a dated row. */
  private undated: StatementEntry[] = [];
  private lastDate: string | undefined;

  private readonly footer: CsvFooter;

  constructor(private readonly preset: CsvPreset) {
    if (!preset.header) this.columnIndex = new Map();
    this.footer = new CsvFooter(preset.footerPatterns, preset.delimiter);
  }

  entries(records: CsvRecord[]): StatementEntry[] {
    const entries: StatementEntry[] = [];
    for (const record of records) {
      if (this.skipped < (this.preset.skipRows ?? 0)) {
        this.skipped++;
        continue;
      }
      if (record.fields.every((field) => field.trim() === '')) continue;
      if (!this.columnIndex) {
        this.findHeader(record);
        continue;
      }
      if (this.footer.holds(record)) continue;
      const entry = this.entry(record);
      if (entry.bookingDate) {
        entries.push(...this.dated(entry.bookingDate), entry);
        this.lastDate = entry.bookingDate;
      } else {
        this.undated.push(entry);
        if (this.undated.length > MAX_UNDATED) throw this.error(record, `more than ${MAX_UNDATED} pending rows without a date in a row: expected a booking date`);
      }
    }
    return entries;
  }

  /** The rows still held at the end of the file; refuses a file without its header row. */
  end(): StatementEntry[] {
    if (!this.columnIndex) throw this.headerMissing(this.searched === 0 ? 'the file has no rows' : `none of its first ${this.searched} rows has them`);
    if (this.undated.length === 0) return [];
    if (!this.lastDate) throw new StatementFormatError('no row has a booking date, so the pending rows cannot be dated: expected at least one booked row', { location: this.undated[0]!.location });
    return this.dated(this.lastDate);
  }

  /**
   * Nordea writes "Reserveret" (or "Reserverat", "Varaus") in place of a pending row's booking
   * date and lists these rows first, newest first: they take the date of the row after them (the
   * newest booked one), or of the last row when none follows. A pending date is the expected one anyway.
   */
  private dated(bookingDate: string): StatementEntry[] {
    const dated = this.undated.map((entry) => ({ ...entry, bookingDate }));
    this.undated = [];
    return dated;
  }

  header(prefixHash: string): StatementHeader {
    const iban = this.first?.accountIban ?? (this.preset.accountIban ? normaliseIban(this.preset.accountIban) : undefined);
    const currency = this.first?.currency ?? this.preset.currency;
    return { statementId: `csv:${prefixHash.slice(0, 32)}`, account: defined({ iban, currency }) };
  }

  private findHeader(record: CsvRecord): void {
    const names = new Map<string, number>();
    record.fields.forEach((field, index) => {
      const name = normalName(field);
      if (!names.has(name)) names.set(name, index);
    });
    if (this.namedColumns().every((name) => names.has(normalName(name)))) {
      this.columnIndex = names;
      return;
    }
    if (++this.searched >= HEADER_SEARCH_ROWS) throw this.headerMissing(`none of the first ${HEADER_SEARCH_ROWS} rows has them`);
  }

  private namedColumns(): string[] {
    return Object.values(this.preset.columns).flat().filter((column): column is string => typeof column === 'string');
  }

  private headerMissing(why: string): StatementFormatError {
    const skip = this.preset.skipRows ? ` after skipping ${this.preset.skipRows} rows` : '';
    return new StatementFormatError(`no header row with the columns ${this.namedColumns().map((name) => JSON.stringify(name)).join(', ')}${skip}: ${why} (another delimiter or encoding?)`, {
      location: 'line 1',
      line: 1,
    });
  }

  private entry(record: CsvRecord): StatementEntry {
    const { columns } = this.preset;
    const cell = (column: CsvColumn | undefined) => (column === undefined ? undefined : this.cell(record, column));
    const status = this.status(record);
    const valueDate = this.date(record, columns.valueDate, 'value date');
    const bookingDate = status === 'booked' ? this.date(record, columns.bookingDate, 'booking date')! : this.pendingDate(record, valueDate);
    const currency = this.currency(record);
    const counterparty = cell(columns.counterpartyIban)?.trim();
    const counterpartyIban = counterparty ? normaliseIban(counterparty) : undefined;
    const accountIban = this.accountIban(record);
    this.first ??= defined({ accountIban, currency });
    return {
      status,
      bookingDate,
      valueDate,
      amount: this.amount(record),
      currency,
      bankReference: cleanReference(cell(columns.reference)),
      endToEndId: cleanReference(cell(columns.endToEndId)),
      mandateId: cleanReference(cell(columns.mandateId)),
      counterpartyName: cleanText(cell(columns.counterpartyName)),
      counterpartyIban,
      counterpartyAccount: counterpartyIban ? undefined : cleanText(counterparty),
      remittanceInformation: cleanText(columns.text?.map((column) => this.cell(record, column)).join(' ')),
      bankTransactionCode: cleanText(cell(columns.bankTransactionCode)),
      reversal: false,
      batch: undefined,
      location: `line ${record.line}`,
    };
  }

  private cell(record: CsvRecord, column: CsvColumn): string {
    const index = typeof column === 'number' ? column - 1 : this.columnIndex!.get(normalName(column))!;
    const value = record.fields[index];
    if (value === undefined) {
      const name = typeof column === 'number' ? `column ${column}` : `column "${column}"`;
      throw this.error(record, `the row has ${record.fields.length} fields, so no ${name} (field ${index + 1}): expected every row to have the columns of the header (another delimiter?)`);
    }
    return value;
  }

  private date(record: CsvRecord, column: CsvColumn | undefined, what: string): string | undefined {
    if (column === undefined) return undefined;
    const text = this.cell(record, column).trim();
    if (!text && what === 'value date') return undefined;
    const date = parseDate(text, this.preset.dateFormat);
    if (!date) throw this.error(record, `${what} "${text}" is not a date: expected ${this.preset.dateFormat}`);
    return date;
  }

  private status(record: CsvRecord): EntryStatus {
    const column = this.preset.columns.status;
    if (column === undefined) return 'booked';
    const text = this.cell(record, column).trim();
    const status = statusOf(text, this.preset.pendingValues);
    if (status) return status;
    if (parseDate(text, this.preset.dateFormat)) return 'booked';
    const known = this.preset.pendingValues ? '' : ' such as "gebucht", "booked" or "vorgemerkt", "pending", or list the pending values in the preset\'s pendingValues';
    throw this.error(record, `status "${text}" is not a booking status bankfeed knows: expected a date or a word${known}`);
  }

  /**
   * A pending or information row's date: its booking date, else its value date; '' (to be dated
   * later) when the booking date is empty or holds the status word, else the error of a bad date.
   */
  private pendingDate(record: CsvRecord, valueDate: string | undefined): string {
    const { columns, dateFormat } = this.preset;
    const text = this.cell(record, columns.bookingDate).trim();
    const date = parseDate(text, dateFormat) ?? valueDate;
    if (date) return date;
    if (text === '' || text === this.cell(record, columns.status!).trim()) return '';
    return this.date(record, columns.bookingDate, 'booking date')!;
  }

  private amount(record: CsvRecord): string {
    const amount = this.signedAmount(record);
    return this.preset.invertSign ? negateAmount(amount) : amount;
  }

  private signedAmount(record: CsvRecord): string {
    const { columns } = this.preset;
    if (columns.amount !== undefined) {
      const text = this.cell(record, columns.amount);
      if (!text.trim()) throw this.error(record, `the amount is empty: expected ${columns.indicator === undefined ? 'a signed amount' : 'an amount'}`);
      const amount = this.number(record, text, 'amount');
      return columns.indicator === undefined ? amount : this.indicated(record, amount, columns.indicator);
    }
    // A debit or credit column holds the size of the movement; some banks write debits with a minus, some without.
    const debit = this.cell(record, columns.debit!).trim();
    const credit = this.cell(record, columns.credit!).trim();
    const out = debit ? absolute(this.number(record, debit, 'debit')) : '0';
    const into = credit ? absolute(this.number(record, credit, 'credit')) : '0';
    if (!debit && !credit) throw this.error(record, 'both debit and credit are empty: expected one of them');
    if (out !== '0' && into !== '0') throw this.error(record, `both debit (${debit}) and credit (${credit}) are set: expected one of them`);
    return out !== '0' ? negateAmount(out) : into;
  }

  /** The amount signed by the indicator column: its size from the amount, its direction from the indicator. */
  private indicated(record: CsvRecord, amount: string, column: CsvColumn): string {
    const text = this.cell(record, column).trim();
    const side = indicatorSide(text, this.preset.indicatorValues);
    if (!side) {
      const values = this.preset.indicatorValues ?? { debit: ['S', 'D', 'DBIT', '...'], credit: ['H', 'C', 'CRDT', '...'] };
      throw this.error(record, `debit/credit indicator "${text}" is neither debit (${values.debit.join(', ')}) nor credit (${values.credit.join(', ')}): expected one of them, or set the preset's indicatorValues`);
    }
    if (side === 'credit' && compareAmounts(amount, '0') < 0) throw this.error(record, `the amount ${amount} is negative, but the indicator "${text}" says credit: expected an unsigned amount`);
    const size = absolute(amount);
    return side === 'debit' ? negateAmount(size) : size;
  }

  private number(record: CsvRecord, text: string, what: string): string {
    try {
      return parseAmount(text, { decimalSeparator: this.preset.decimalSeparator, thousandsSeparator: this.preset.thousandsSeparator });
    } catch (error) {
      if (error instanceof AmountError) throw this.error(record, `${what}: ${error.message} (the preset expects "${this.preset.decimalSeparator}" as decimal separator)`);
      throw error;
    }
  }

  private currency(record: CsvRecord): string {
    const column = this.preset.columns.currency;
    const text = column === undefined ? '' : this.cell(record, column).trim();
    const currency = text || this.preset.currency;
    if (!currency || !/^[A-Z]{3}$/.test(currency)) throw this.error(record, `currency "${text}" is not an ISO 4217 code: expected three capital letters such as EUR`);
    return currency;
  }

  private accountIban(record: CsvRecord): string | undefined {
    const column = this.preset.columns.accountIban;
    if (column === undefined) return undefined;
    const text = this.cell(record, column).trim();
    const iban = normaliseIban(text);
    if (!iban) throw this.error(record, `account "${text}" is not a valid IBAN: expected the IBAN of the account`);
    if (this.first && this.first.accountIban !== iban) throw this.error(record, `account ${iban} differs from ${this.first.accountIban} of the rows before: expected a file of one account`);
    return iban;
  }

  private error(record: CsvRecord, detail: string): StatementFormatError {
    return new StatementFormatError(detail, { location: `line ${record.line}`, line: record.line });
  }
}

function normalName(name: string): string {
  return name.replace(/^\uFEFF/, '').trim().toLowerCase();
}

function absolute(amount: string): string {
  return compareAmounts(amount, '0') < 0 ? negateAmount(amount) : amount;
}
