import { isBlank } from './csv-dialect.js';
import { amountExpectation, exampleList, headerMeanings, type ColumnRole } from './csv-header-names.js';
import type { CsvRecord } from './csv-records.js';
import { StatementFormatError } from './errors.js';

/** How many records may precede the header row: a bank's preamble of account, period and balance lines. */
const HEADER_SEARCH_ROWS = 50;

const DATE_ROLES: ColumnRole[] = ['bookingDate', 'valueDate'];
const MONEY_ROLES: ColumnRole[] = ['amount', 'debit', 'credit'];

/**
 * The index of the header row: the first record that names a date column and an amount (or
 * debit or credit) column. What comes before it is the bank's preamble. Without one, the row
 * that names one of the two is the header that lacks the other, and the refusal says which.
 */
export function findHeaderRow(records: CsvRecord[]): number {
  const searched = records.slice(0, HEADER_SEARCH_ROWS);
  const named = searched.map((record) => new Set(record.fields.flatMap((field) => headerMeanings(field).meanings.map(({ role }) => role))));
  const has = (index: number, roles: ColumnRole[]) => roles.some((role) => named[index]!.has(role));
  const index = searched.findIndex((_, at) => has(at, DATE_ROLES) && has(at, MONEY_ROLES));
  if (index !== -1) return index;
  const partial = searched.findIndex((record, at) => record.fields.length > 1 && (has(at, DATE_ROLES) || has(at, MONEY_ROLES)));
  if (partial !== -1) {
    const { fields, line } = searched[partial]!;
    const found = fields.map((field) => JSON.stringify(field.trim())).join(', ');
    const missing = has(partial, DATE_ROLES)
      ? `no amount column: found headers ${found}; ${amountExpectation()}`
      : `no booking date column: found headers ${found}; expected one of ${exampleList('bookingDate')}`;
    throw new StatementFormatError(`${missing}, or send a preset`, { location: `line ${line}`, line });
  }
  const first = searched.find((record) => !isBlank(record));
  const seen = first ? `; the first reads ${first.fields.map((field) => JSON.stringify(field.trim())).join(', ')}` : '';
  throw new StatementFormatError(
    `no header row: none of the first ${searched.length} rows names a date column and an amount column${seen}. Expected headers such as Buchungstag/Betrag, Dato/Beløb, Datum/Belopp, Kirjauspäivä/Määrä, Datum/Bedrag, Date/Montant or Date/Amount, or send a preset`,
    { location: `line ${first?.line ?? 1}`, line: first?.line ?? 1 },
  );
}
