import { AmountError, negateAmount, parseAmount } from '../domain/amount.js';
import { calendarDate, daysBetween } from './dates.js';
import { StatementFormatError } from './errors.js';
import { normaliseIban } from '../domain/iban.js';
import type { Balance, StatementHeader } from './model.js';
import type { Mt940Dialect } from './mt940-dialects.js';
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

/**
 * :28C: statement number / sequence number `5n[/5n]`, as written (banks write more digits, or
 * other text, in one line). Wrapped over lines (broken after the slash) it is read joined when
 * the lines together are numbers; any other second line is refused.
 */
export function statementNumberField(field: Field, dialects: Set<Mt940Dialect>): string {
  const joined = field.lines.map((line) => line.trim()).join('');
  if (field.lines.length < 2 || !/^\d+\/?\d+$/.test(joined)) return singleLine(field, 'the statement number');
  dialects.add('wrapped-28c');
  return joined;
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
  /** Money in: C, EC and RD (a zero amount has no sign to tell). */
  credit: boolean;
  reversal: boolean;
  /** EC or ED: an expected entry, not booked (MT942 only). */
  expected: boolean;
  typeCode: string;
  bankReference?: string;
  supplementaryDetails?: string;
}

// 6!n[4!n]2a[1!a]15d1!a3!c16x[//16x] and a second line [34x]. Marks: C, D, the reversals RC (a
// reversed credit, so a debit) and RD (a credit), and in MT942 the expected entries EC and ED. The
// funds code is the third letter of a currency. Blanks some banks write between the subfields:
// - four blanks for the entry date (ASN Bank's exports, wolph/mt940 pull request #108);
// - a blank after the mark (Cuscal, noted in wolph/mt940's statement-line pattern) or before the
//   transaction type (wolph/mt940 pull request #101).
const STATEMENT_LINE = /^(\d{6})(\d{4}| {4})?( *)(RC|RD|EC|ED|C|D)([A-Z])?( *)(\d[\d,]*)( *)([SNF][A-Z0-9]{3})(.*)$/;

/**
 * :61: statement line. The first line runs up to 66 characters after the tag, so it may not fit
 * a 65-character SWIFT line: a first line that does not match alone continues on the next line
 * (Sparkassen wrap it after the mark, noted in wolph/mt940's statement-line pattern); then the line
 * after that holds the supplementary details.
 */
export function statementLineField(field: Field, { interim, dialects }: { interim: boolean; dialects: Set<Mt940Dialect> }): StatementLine {
  const [first, match, detailsAt] = statementLine(field);
  if (field.lines.length > detailsAt + 1) {
    throw fieldError(field, `has ${field.lines.length} lines: expected the statement line${detailsAt > 1 ? ' (wrapped over two lines)' : ''} and at most one line of supplementary details`);
  }
  if (!match) {
    throw fieldError(
      field,
      valueDateProblem(field) ??
        `"${first.slice(0, 40)}" is not a statement line: expected value date YYMMDD, optional entry date MMDD, mark C/D/RC/RD, optional funds code, amount with a decimal comma, type such as NTRF, then references`,
    );
  }
  const [, valueDateText, entryDateText, beforeMark, mark, , beforeAmount, amountText, beforeType, typeCode, references] = match;
  if (detailsAt > 1) dialects.add('wrapped-61');
  if (entryDateText === '    ' || beforeMark || beforeAmount || beforeType) dialects.add('blanks-in-61');
  const expected = mark === 'EC' || mark === 'ED';
  if (expected && !interim) throw fieldError(field, `mark ${mark} (expected, not booked) belongs to MT942 interim reports: expected C, D, RC or RD`);
  const valueDate = swiftDate(field, valueDateText!);
  const amount = swiftAmount(field, amountText!);
  const debit = mark === 'D' || mark === 'RC' || mark === 'ED';
  const separator = references!.indexOf('//');
  const bankReference = separator === -1 ? undefined : cleanReference(references!.slice(separator + 2));
  const supplementaryDetails = field.lines[detailsAt]?.trim();
  return {
    valueDate,
    bookingDate: entryDateText?.trim() ? entryDate(field, entryDateText, valueDate) : valueDate,
    amount: debit ? negateAmount(amount) : amount,
    credit: !debit,
    reversal: mark!.startsWith('R'),
    expected,
    typeCode: typeCode!,
    ...(bankReference ? { bankReference } : {}),
    ...(supplementaryDetails ? { supplementaryDetails } : {}),
  };
}

/**
 * Why the value date is not one, with the columns of the line, when a character of its six is not
 * a digit. A month in letters ("24JAN02") is named as such: no bank's MT940 description has that
 * layout, every parser we know of (wolph/mt940, php-mt940, phpFinTS, qoomon's and Prowide's Java
 * libraries) reads 6!n digits only, and whether 24 is the year or the day cannot be told.
 */
function valueDateProblem(field: Field): string | undefined {
  const line = field.lines[0]!;
  const value = line.trimStart();
  const at = /\D/.exec(value.slice(0, 6))?.index;
  if (at === undefined) return undefined;
  // The value starts after the tag (":61:") and any blanks: columns are 1-based.
  const start = field.tag.length + 3 + (line.length - value.length);
  const expected = `expected the value date as six digits YYMMDD in columns ${start}-${start + 5}, such as 240102 for 2 January 2024`;
  const lettersMonth = /^\d{2}([A-Za-z]{3})\d{2}/.exec(value);
  if (lettersMonth) {
    return `the value date "${lettersMonth[0]}" has its month in letters ("${lettersMonth[1]}" in columns ${start + 2}-${start + 4}): ${expected}; a month in letters is no MT940 layout, and whether "${lettersMonth[0]}" is YYMMMDD or DDMMMYY cannot be told (export the statement again as MT940, or as camt.053)`;
  }
  return `the value date "${value.slice(0, 6)}" has "${value[at]}" in column ${start + at}: ${expected}`;
}

/** The statement line's text and match, and the index of the line that holds supplementary details. */
function statementLine(field: Field): [string, RegExpExecArray | null, number] {
  const first = field.lines[0]!.trim();
  const alone = STATEMENT_LINE.exec(first);
  if (alone || field.lines.length < 2) return [first, alone, 1];
  const wrapped = (field.lines[0]! + field.lines[1]!).trim();
  const joined = STATEMENT_LINE.exec(wrapped);
  return joined ? [wrapped, joined, 2] : [first, null, 1];
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

/** :34F: floor limit `3!a[1!a]15d` (MT942): the currency of the report, an optional D/C mark, the least amount reported. */
export function floorLimitField(field: Field): { currency: string } {
  const value = singleLine(field, 'the floor limit');
  const match = /^([A-Z]{3})([CD])?(\d.*)$/.exec(value);
  if (!match) throw fieldError(field, `"${value}" is not a floor limit: expected a currency such as EUR, an optional D or C and an amount such as 0,00`);
  swiftAmount(field, match[3]!);
  return { currency: match[1]! };
}

/** :13D: date-time indication `6!n4!n1!x4!n` (MT942): when the report was made, YYMMDD HHMM and the UTC offset. */
export function dateTimeField(field: Field): string {
  const value = singleLine(field, 'the date-time indication');
  const match = /^(\d{6})(\d{2})(\d{2})([+-]\d{4})?$/.exec(value);
  if (!match || Number(match[2]) > 23 || Number(match[3]) > 59) throw fieldError(field, `"${value}" is not a date-time indication: expected YYMMDDHHMM and an offset such as +0100`);
  return swiftDate(field, match[1]!);
}

/** :90D: / :90C: number and sum of entries `5n3!a15d` (MT942). */
export function entrySumField(field: Field): { currency: string } {
  const value = singleLine(field, 'the number and sum of entries');
  const match = /^(\d{1,5})([A-Z]{3})(.*)$/.exec(value);
  if (!match) throw fieldError(field, `"${value}" is not a number and sum of entries: expected a count, a currency such as EUR and an amount such as 1234,56`);
  swiftAmount(field, match[3]!);
  return { currency: match[2]! };
}
