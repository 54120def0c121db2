import { isBlank } from './csv-dialect.js';
import { headerMeanings } from './csv-header-names.js';
import type { CsvRecord } from './csv-records.js';
import { StatementFormatError } from './errors.js';

/** How many records may precede the header row: a bank's preamble of account, period and balance lines. */
export const HEADER_SEARCH_ROWS = 50;

/**
 * The index of the header row: the first record that names a date column and an amount (or
 * debit or credit) column. What comes before it is the bank's preamble.
 */
export function findHeaderRow(records: CsvRecord[]): number {
  const searched = records.slice(0, HEADER_SEARCH_ROWS);
  const index = searched.findIndex((record) => {
    const roles = new Set(record.fields.flatMap((field) => headerMeanings(field).meanings.map(({ role }) => role)));
    return (roles.has('bookingDate') || roles.has('valueDate')) && (roles.has('amount') || roles.has('debit') || roles.has('credit'));
  });
  if (index !== -1) return index;
  const first = searched.find((record) => !isBlank(record));
  const seen = first ? `; the first reads ${first.fields.map((field) => JSON.stringify(field.trim())).join(', ')}` : '';
  throw new StatementFormatError(
    `no header row: none of the first ${searched.length} rows names a date column and an amount column${seen}. Expected headers such as Buchungstag/Betrag, Dato/Beløb, Datum/Belopp, Kirjauspäivä/Määrä, Datum/Bedrag, Date/Montant or Date/Amount, or send a preset`,
    { location: `line ${first?.line ?? 1}`, line: first?.line ?? 1 },
  );
}
