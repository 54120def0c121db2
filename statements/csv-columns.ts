import { normaliseIban } from '../domain/iban.js';
import { looksLikeDate } from './csv-date-format.js';
import { amountExpectation, exampleList, headerMeanings, type ColumnRole, type HeaderMeaning } from './csv-header-names.js';
import { indicatorSide } from './csv-indicator.js';
import type { CsvRecord } from './csv-records.js';
import { statusOf } from './csv-status.js';
import { StatementFormatError } from './errors.js';

/** Columns by role, as 0-based field indexes of the header row. */
export interface ColumnMap {
  bookingDate: number;
  valueDate?: number;
  amount?: number;
  debit?: number;
  credit?: number;
  indicator?: number;
  currency?: number;
  counterpartyName?: number;
  counterpartyIban?: number;
  reference?: number;
  endToEndId?: number;
  mandateId?: number;
  bankTransactionCode?: number;
  accountIban?: number;
  status?: number;
  text: number[];
  balance: number[];
  /** A currency an amount column's header names: "Betrag (EUR)". */
  headerCurrency?: string;
  /** Columns that nothing reads, with why. */
  unmapped: { column: number; why: string }[];
}

type SingleRole = Exclude<ColumnRole, 'text' | 'balance' | 'bookingDate'>;

function sameValidIban(values: string[]): boolean {
  const first = normaliseIban(values[0] ?? '');
  return first !== undefined && values.every((value) => normaliseIban(value) === first);
}

const MONEY = /^[+-]?\s*\d[\d.,' \u00a0]*-?$/;

/** Whether the column's values fit the role: names such as "Valuta" mean the value date or the currency, by what the column holds. */
const FITS: Partial<Record<ColumnRole, (values: string[]) => boolean>> = {
  // Nordea writes "Reserveret" where a pending row's date would be.
  bookingDate: (values) => values.some(looksLikeDate) && values.every((value) => !value || looksLikeDate(value) || statusOf(value, undefined) !== undefined),
  valueDate: (values) => values.every((value) => !value || looksLikeDate(value)),
  amount: (values) => values.some(Boolean) && values.every((value) => !value || MONEY.test(value)),
  debit: (values) => values.every((value) => !value || MONEY.test(value)),
  credit: (values) => values.every((value) => !value || MONEY.test(value)),
  balance: (values) => values.every((value) => !value || MONEY.test(value)),
  currency: (values) => values.some(Boolean) && values.every((value) => !value || /^[A-Z]{3}$/.test(value)),
  // A column named "Status" or "Info" is the booking status when banks' status words are in it; a word that is not is refused at its row.
  status: (values) => values.some((value) => statusOf(value, undefined) !== undefined),
  indicator: (values) => values.some(Boolean) && values.every((value) => !value || indicatorSide(value, undefined) !== undefined),
  // The account's own IBAN is the same on every row; a counterparty's account varies ("Kontonummer" is either).
  accountIban: sameValidIban,
  counterpartyIban: (values) => new Set(values).size > 1 || values.length < 2,
};

/**
 * Maps the header row's columns to what they mean, by their names (see csv-header-names.ts) and
 * checked against the values of the rows below. Refuses, saying what it found and what it
 * expected, when there is no booking date or amount, or two columns are equally likely to be it.
 */
export function mapColumns(header: CsvRecord, rows: CsvRecord[]): ColumnMap {
  const names = header.fields.map((field) => field.trim());
  const valuesOf = (column: number) => rows.map((row) => (row.fields[column] ?? '').trim());
  const roles = new Map<ColumnRole, { column: number; meaning: HeaderMeaning }[]>();
  const unmapped: ColumnMap['unmapped'] = [];
  let headerCurrency: string | undefined;
  names.forEach((name, column) => {
    const values = valuesOf(column);
    const { meanings, currency } = headerMeanings(name);
    // A column without a known name may still be an indicator by its values alone: "S" and "H" next to the amount.
    const candidates: HeaderMeaning[] = meanings.length > 0 ? meanings : [{ role: 'indicator', strength: 'generic' }];
    const meaning = candidates.find(({ role }) => FITS[role]?.(values) ?? true);
    if (!meaning) {
      const cell = (row: CsvRecord) => (row.fields[column] ?? '').trim();
      const misfit = rows.find((row) => cell(row) !== '' && meanings.every(({ role }) => !FITS[role]!([cell(row)])));
      const holds = misfit ? `, but it holds ${JSON.stringify(cell(misfit))} (line ${misfit.line})` : ', but it is empty';
      if (meanings.length > 0) unmapped.push({ column, why: `its name says ${meanings.map(({ role }) => role).join(' or ')}${holds}` });
      else if (name) unmapped.push({ column, why: 'an unknown name' });
      return;
    }
    if (currency && ['amount', 'debit', 'credit'].includes(meaning.role)) headerCurrency ??= currency;
    roles.set(meaning.role, [...(roles.get(meaning.role) ?? []), { column, meaning }]);
  });
  const found = names.map((name) => JSON.stringify(name)).join(', ');
  const bookingDate = onlyBest(roles.get('bookingDate'), 'booking date', names, header.line);
  if (bookingDate === undefined) {
    throw refusal(`no booking date column: found headers ${found}; expected one of ${exampleList('bookingDate')} (with dates in it), or send a preset`, header.line);
  }
  const map: ColumnMap = { bookingDate, text: (roles.get('text') ?? []).slice(0, 10).map(({ column }) => column), balance: (roles.get('balance') ?? []).map(({ column }) => column), unmapped };
  if (headerCurrency) map.headerCurrency = headerCurrency;
  for (const role of ['valueDate', 'amount', 'debit', 'credit', 'indicator', 'currency', 'counterpartyName', 'counterpartyIban', 'reference', 'endToEndId', 'mandateId', 'bankTransactionCode', 'accountIban', 'status'] as const satisfies readonly SingleRole[]) {
    const columns = roles.get(role) ?? [];
    if (role === 'amount' && columns.length > 1) {
      throw refusal(`two columns are equally likely to be the amount: ${columns.map(({ column }) => JSON.stringify(names[column])).join(' and ')}: send a preset that names one`, header.line);
    }
    const [first, ...rest] = columns;
    if (first) map[role] = first.column;
    for (const { column } of rest) unmapped.push({ column, why: `a second ${role} column (the first, ${JSON.stringify(names[first!.column])}, is read)` });
  }
  if (map.indicator !== undefined && map.amount === undefined) {
    unmapped.push({ column: map.indicator, why: 'a debit/credit indicator without an amount column' });
    delete map.indicator;
  }
  requireAmount(map, names, found, header.line);
  return map;
}

function requireAmount(map: ColumnMap, names: string[], found: string, line: number): void {
  if (map.amount !== undefined) {
    for (const role of ['debit', 'credit'] as const) {
      if (map[role] !== undefined) map.unmapped.push({ column: map[role], why: `a ${role} column next to the amount column ${JSON.stringify(names[map.amount])}, which is read` });
      delete map[role];
    }
    return;
  }
  if (map.debit !== undefined && map.credit !== undefined) return;
  const half = map.debit ?? map.credit;
  if (half !== undefined) {
    const [has, lacks]: ColumnRole[] = map.debit !== undefined ? ['debit', 'credit'] : ['credit', 'debit'];
    throw refusal(`a ${has} column (${JSON.stringify(names[half])}) but no ${lacks} column: expected one of ${exampleList(lacks!)} beside it, or send a preset`, line);
  }
  const misfits = map.unmapped.filter(({ why }) => why.startsWith('its name says')).map(({ column, why }) => `; ${JSON.stringify(names[column])}: ${why}`);
  throw refusal(`no amount column: found headers ${found}${misfits.join('')}; ${amountExpectation()}, or send a preset`, line);
}

/** The column of a role with the strongest name; two of equal strength are a tie detection does not break. */
function onlyBest(columns: { column: number; meaning: HeaderMeaning }[] | undefined, what: string, names: string[], line: number): number | undefined {
  if (!columns?.length) return undefined;
  const strongest = columns.some(({ meaning }) => meaning.strength === 'specific') ? columns.filter(({ meaning }) => meaning.strength === 'specific') : columns;
  if (strongest.length > 1) {
    const tied = strongest.map(({ column }) => JSON.stringify(names[column])).join(' and ');
    throw refusal(`two columns are equally likely to be the ${what}: ${tied}; send a preset that names one (columns.bookingDate)`, line);
  }
  return strongest[0]!.column;
}

function refusal(detail: string, line: number): StatementFormatError {
  return new StatementFormatError(detail, { location: `line ${line}`, line });
}
