import { Type, type Static } from 'typebox';
import Value from 'typebox/value';
import { footerPatternProblems } from './csv-footer.js';
import { DATE_FORMATS } from './dates.js';
import { StatementFormatError } from './errors.js';
import { normaliseIban } from '../domain/iban.js';
import { TEXT_ENCODINGS } from './text-decoding.js';

const column = Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Integer({ minimum: 1, maximum: 1000 })], {
  description: 'a column: its header name (matched ignoring case and surrounding spaces) or its number, counting from 1',
});
const optionalColumn = (description: string) => Type.Optional(Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Integer({ minimum: 1, maximum: 1000 })], { description }));
const currencyCode = Type.String({ pattern: '^[A-Z]{3}$', description: 'an ISO 4217 currency code such as EUR' });

/**
 * How to read one bank's CSV export: plain JSON that a tenant saves and reuses. Either `amount`
 * (signed, or unsigned with an `indicator` column) or `debit` and `credit` (each unsigned, or
 * signed either way) must be mapped, and the currency must come from the `currency` column or
 * the fixed `currency`.
 */
export const csvPresetSchema = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'what the preset is for, e.g. "Sparkasse CSV-CAMT"' })),
    encoding: Type.Enum([...TEXT_ENCODINGS, 'auto'], {
      description: 'the text encoding; a byte order mark in the file decides over it. "auto": UTF-8 when the first non-ASCII bytes are UTF-8, else Windows-1252, for banks that have changed their export\'s encoding',
    }),
    delimiter: Type.Enum([',', ';', '\t', '|'], { description: 'the field separator' }),
    quote: Type.Optional(Type.Enum(['"', "'"], { description: 'the quote character (RFC 4180 quoting, doubled to escape); default "' })),
    skipRows: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, description: 'rows to skip before the header (or before the data when header is false)' })),
    header: Type.Boolean({
      description: 'whether the file has a header row; it is found as the first row (after skipRows) that holds every column named below, so a preamble of varying length is skipped',
    }),
    dateFormat: Type.Enum([...DATE_FORMATS], { description: 'how dates are written' }),
    decimalSeparator: Type.Enum(['.', ','], { description: 'the decimal separator of amounts' }),
    thousandsSeparator: Type.Optional(Type.Enum(['.', ',', ' ', "'", '\u00a0'], { description: 'a digit-grouping character to ignore in amounts' })),
    currency: Type.Optional(currencyCode),
    accountIban: Type.Optional(Type.String({ minLength: 15, maxLength: 42, description: "the account's IBAN, when the file has no column for it" })),
    indicatorValues: Type.Optional(
      Type.Object(
        {
          debit: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 20 }),
          credit: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { minItems: 1, maxItems: 20 }),
        },
        {
          additionalProperties: false,
          description:
            'the values of the indicator column that mean debit (money out) and credit (money in), matched ignoring case and surrounding spaces; without it S/H, Soll/Haben, D/C, DR/CR, DBIT/CRDT, Debit/Credit, Af/Bij, Débit/Crédit and Debet/Kredit. Any other value is refused',
        },
      ),
    ),
    invertSign: Type.Optional(Type.Boolean({ description: 'negate every amount: for card accounts that export purchases as positive amounts' })),
    footerPatterns: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 200 }), {
        minItems: 1,
        maxItems: 20,
        description:
          'regular expressions (ignoring case) for the summary lines after the rows, such as "^Kontostand" or "^Total": a row whose fields joined by the delimiter match one starts the footer, which is not read; every later row must match one too (blank rows are always skipped)',
      }),
    ),
    pendingValues: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: 50,
        description:
          'values of the status column (matched ignoring case and surrounding spaces) that make a row pending; every other value is booked, except the built-in words for cancelled or declined rows. Without it the built-in words decide (vorgemerkt, ausstehend, pending, reserveret, reserverad, varaus, in behandeling, en attente, ...; gebucht, booked, completed, ...) and an unknown value is refused',
      }),
    ),
    columns: Type.Object(
      {
        bookingDate: column,
        valueDate: optionalColumn('the value date'),
        amount: optionalColumn('the signed amount (debits negative)'),
        debit: optionalColumn('the amount of debits (money out)'),
        credit: optionalColumn('the amount of credits (money in)'),
        currency: optionalColumn("the entry's currency"),
        counterpartyName: optionalColumn('the payer or payee'),
        counterpartyIban: optionalColumn("the payer's or payee's IBAN (or other account number)"),
        text: Type.Optional(Type.Array(column, { minItems: 1, maxItems: 10, description: 'columns joined with a space as the remittance information' })),
        reference: optionalColumn("the bank's own id of the transaction"),
        endToEndId: optionalColumn('the SEPA end-to-end reference'),
        mandateId: optionalColumn('the SEPA direct debit mandate reference'),
        bankTransactionCode: optionalColumn("the bank's transaction type"),
        accountIban: optionalColumn("the account's own IBAN"),
        indicator: optionalColumn('whether the amount is a debit or a credit (S/H, Soll/Haben, D/C, DBIT/CRDT, Af/Bij ...; see indicatorValues): the amount is then unsigned'),
        status: optionalColumn('whether the bank has booked the row yet (see pendingValues); may be the booking date column, for banks that write "Reserveret" in place of the date'),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export type CsvPreset = Static<typeof csvPresetSchema>;
export type CsvColumn = CsvPreset['columns']['bookingDate'];

/** Every way `preset` is not a usable CSV preset: schema violations first, then rules a schema cannot say. Empty when it is fine. */
export function csvPresetProblems(preset: unknown): string[] {
  if (!Value.Check(csvPresetSchema, preset)) {
    return Value.Errors(csvPresetSchema, preset).map((error) => `${error.instancePath || '/'}: ${error.message}`);
  }
  const { columns } = preset;
  const problems: string[] = [];
  if (columns.amount === undefined && (columns.debit === undefined || columns.credit === undefined)) {
    problems.push('/columns: map either amount (signed) or both debit and credit');
  }
  if (columns.amount !== undefined && (columns.debit !== undefined || columns.credit !== undefined)) {
    problems.push('/columns: map either amount or debit and credit, not both');
  }
  if (columns.currency === undefined && preset.currency === undefined) problems.push('/currency: set a fixed currency, or map the currency column');
  if (columns.indicator !== undefined && columns.amount === undefined) problems.push('/columns/indicator: an indicator gives the sign of the amount column: map amount');
  if (preset.indicatorValues !== undefined) {
    if (columns.indicator === undefined) problems.push('/indicatorValues: map the indicator column they are values of');
    const debit = new Set(preset.indicatorValues.debit.map((value) => value.trim().toLowerCase()));
    const both = preset.indicatorValues.credit.filter((value) => debit.has(value.trim().toLowerCase()));
    if (both.length > 0) problems.push(`/indicatorValues: ${both.map((value) => JSON.stringify(value)).join(', ')} cannot mean both debit and credit`);
  }
  if (preset.footerPatterns !== undefined) problems.push(...footerPatternProblems(preset.footerPatterns));
  if (preset.pendingValues !== undefined && columns.status === undefined) problems.push('/pendingValues: map the status column they are values of');
  if (preset.thousandsSeparator === preset.decimalSeparator) problems.push('/thousandsSeparator: must differ from the decimal separator');
  if (preset.accountIban !== undefined && !normaliseIban(preset.accountIban)) problems.push('/accountIban: not a valid IBAN');
  if (!preset.header) {
    for (const [name, value] of Object.entries(columns)) {
      for (const item of [value].flat()) {
        if (typeof item === 'string') problems.push(`/columns/${name}: "${item}" is a header name, but the preset has no header row: use a column number`);
      }
    }
  }
  return problems;
}

/** The preset, when it is usable; else a StatementFormatError listing what is wrong with it. */
export function checkedCsvPreset(preset: unknown): CsvPreset {
  const problems = csvPresetProblems(preset);
  if (problems.length > 0) throw new StatementFormatError(`the CSV preset is not valid: ${problems.join('; ')}`, { location: 'CSV preset' });
  return preset as CsvPreset;
}
