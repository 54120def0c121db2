import { AmountError, negateAmount, parseAmount } from '../domain/amount.js';
import { calendarDate, daysBetween } from './dates.js';
import { StatementFormatError } from './errors.js';
import { normaliseIban } from '../domain/iban.js';
import type { Balance, StatementHeader } from './model.js';
import { cleanReference } from './text.js';

/** The values of single MT940 fields (SWIFT User Handbook layouts); every failure names the line. */

export interface Field {
  tag: string;
  lines: string[];
  line: number;
}

export function fieldError(field: Field, detail: string): StatementFormatError {
  return new StatementFormatError(`:${field.tag}: ${detail}`, { location: `line ${field.line}`, line: field.line });
}

/** The field's one line; a field that continues on further lines is malformed. */
export function singleLine(field: Field, what: string): string {
  if (field.lines.length > 1) throw fieldError(field, `${what} continues on a second line ("${field.lines[1]!.trim().slice(0, 30)}"): expected one line`);
  const value = field.lines[0]!.trim();
  if (!value) throw fieldError(field, `${what} is empty`);
  return value;
}

/** Balance `1!a6!n3!a15d`: D/C mark, YYMMDD, currency, amount with a decimal comma (:60F: :60M: :62F: :62M: :64: :65:). */
export function balanceField(field: Field): Balance {
  const value = singleLine(field, 'the balance');
  const match = /^([CD])(\d{6})([A-Z]{3})(.*)$/.exec(value);
  if (!match) throw fieldError(field, `"${value}" is not a balance: expected C or D, a date YYMMDD, a currency such as EUR and an amount such as 1234,56`);
  const [, mark, date, currency, amountText] = match;
  const amount = swiftAmount(field, amountText!);
  return { amount: mark === 'D' ? negateAmount(amount) : amount, currency: currency!, date: swiftDate(field, date!) };
}

export interface StatementLine {
  valueDate: string;
  bookingDate: string;
  amount: string;
  /** Money in: C and RD (a zero amount has no sign to tell). */
  credit: boolean;
  reversal: boolean;
  typeCode: string;
  bankReference?: string;
  supplementaryDetails?: string;
}

// 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x] and a second line [34x]. Marks: C, D, and the reversals RC
// (a reversed credit, so a debit) and RD (a credit). The funds code is the third letter of a currency.
const STATEMENT_LINE = /^(\d{6})(\d{4})?(RC|RD|EC|ED|C|D)([A-Z])?(\d[\d,]*)([SNF][A-Z0-9]{3})(.*)$/;

/** :61: statement line. */
export function statementLineField(field: Field): StatementLine {
  if (field.lines.length > 2) throw fieldError(field, `has ${field.lines.length} lines: expected the statement line and at most one line of supplementary details`);
  const first = field.lines[0]!.trim();
  const match = STATEMENT_LINE.exec(first);
  if (!match) {
    throw fieldError(
      field,
      `"${first.slice(0, 40)}" is not a statement line: expected value date YYMMDD, optional entry date MMDD, mark C/D/RC/RD, optional funds code, amount with a decimal comma, type such as NTRF, then references`,
    );
  }
  const [, valueDateText, entryDateText, mark, , amountText, typeCode, references] = match;
  if (mark === 'EC' || mark === 'ED') throw fieldError(field, `mark ${mark} (expected, not booked) belongs to MT942 interim reports: expected C, D, RC or RD`);
  const valueDate = swiftDate(field, valueDateText!);
  const amount = swiftAmount(field, amountText!);
  const debit = mark === 'D' || mark === 'RC';
  const separator = references!.indexOf('//');
  const bankReference = separator === -1 ? undefined : cleanReference(references!.slice(separator + 2));
  const supplementaryDetails = field.lines[1]?.trim();
  return {
    valueDate,
    bookingDate: entryDateText ? entryDate(field, entryDateText, valueDate) : valueDate,
    amount: debit ? negateAmount(amount) : amount,
    credit: !debit,
    reversal: mark!.startsWith('R'),
    typeCode: typeCode!,
    ...(bankReference ? { bankReference } : {}),
    ...(supplementaryDetails ? { supplementaryDetails } : {}),
  };
}

/** :25: the account: an IBAN (some banks append the currency: NL...EUR), else the bank's own notation such as BLZ/account. */
export function accountField(field: Field): StatementHeader['account'] {
  const value = field.lines[0]!.trim();
  if (!value) throw fieldError(field, 'the account identification is empty');
  const iban = normaliseIban(value) ?? (/[A-Z]{3}$/.test(value) ? normaliseIban(value.slice(0, -3)) : undefined);
  return iban ? { iban } : { otherId: value };
}

/** YYMMDD; SWIFT years are two digits, read as 20YY. */
function swiftDate(field: Field, text: string): string {
  const date = calendarDate(2000 + Number(text.slice(0, 2)), Number(text.slice(2, 4)), Number(text.slice(4, 6)));
  if (!date) throw fieldError(field, `"${text}" is not a date: expected YYMMDD that exists in the calendar`);
  return date;
}

/**
 * The entry (booking) date MMDD has no year: it is the one nearest to the value date, so a
 * booking on 31 December for value 2 January lands in the year before, and the reverse at New Year.
 */
function entryDate(field: Field, text: string, valueDate: string): string {
  const year = Number(valueDate.slice(0, 4));
  const candidates = [year - 1, year, year + 1]
    .map((candidate) => calendarDate(candidate, Number(text.slice(0, 2)), Number(text.slice(2, 4))))
    .filter((date): date is string => date !== undefined);
  if (candidates.length === 0) throw fieldError(field, `entry date "${text}" is not a date: expected MMDD that exists in the calendar`);
  return candidates.reduce((best, date) => (Math.abs(daysBetween(valueDate, date)) < Math.abs(daysBetween(valueDate, best)) ? date : best));
}

/** SWIFT amounts: digits with a mandatory decimal comma ("1234,56", "100,"). */
function swiftAmount(field: Field, text: string): string {
  if (!/^\d+,\d*$/.test(text)) throw fieldError(field, `"${text}" is not an amount: expected digits with one decimal comma, such as 1234,56`);
  try {
    return parseAmount(text, { decimalSeparator: ',' });
  } catch (error) {
    if (error instanceof AmountError) throw fieldError(field, error.message);
    throw error;
  }
}
