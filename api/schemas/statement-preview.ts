import { Type, type Static } from '@fastify/type-provider-typebox';
import { csvPresetSchema, MT940_DIALECTS, type Mt940Dialect } from '../../statements/index.js';
import type { StatementPreview as StatementPreviewResult } from '../../transactions/statement-preview.js';
import { Amount, Currency, IsoDate, Nullable, Uuid } from './common.js';
import { StatementResult, statementResultView } from './statements.js';

const PreviewAccount = Type.Object({
  iban: Nullable(Type.String()),
  other_id: Nullable(Type.String({ description: 'the account as the file names it when that is no IBAN' })),
  currency: Nullable(Currency),
  status: Type.Union([Type.Literal('existing'), Type.Literal('new'), Type.Literal('unknown')], {
    description: "existing: the tenant's account account_id; new: the import would create it (create_accounts=true); unknown: the import would refuse the file for it",
  }),
  account_id: Nullable(Uuid),
});

const PreviewEntry = Type.Object({
  status: Type.Union([Type.Literal('booked'), Type.Literal('pending'), Type.Literal('info')]),
  stored_as: Type.Union([Type.Literal('transaction'), Type.Literal('pending'), Type.Literal('not stored')]),
  booking_date: IsoDate,
  value_date: Nullable(IsoDate),
  amount: Amount,
  currency: Currency,
  counterparty_name: Nullable(Type.String()),
  counterparty_iban: Nullable(Type.String()),
  remittance_information: Nullable(Type.String()),
  bank_reference: Nullable(Type.String({ description: 'the bank reference the transaction is keyed by among files' })),
  end_to_end_id: Nullable(Type.String()),
  mandate_id: Nullable(Type.String({ description: 'the SEPA direct debit mandate reference' })),
  bank_transaction_code: Nullable(Type.String()),
  location: Type.String({ description: 'where in the file' }),
});

const Dialect = Type.Object({
  name: Type.Enum(Object.keys(MT940_DIALECTS) as Mt940Dialect[], {
    description: Object.entries(MT940_DIALECTS)
      .map(([name, description]) => `${name}: ${description}`)
      .join('; '),
  }),
  description: Type.String({ description: 'what the dialect is, and the banks known to write it' }),
});

const CsvFinding = Type.Object({
  aspect: Type.String({ description: 'what was detected: encoding, delimiter, header row, date format, amount columns, ...' }),
  detected: Type.String(),
  evidence: Type.String({ description: 'what in the file it was detected from' }),
});

export const StatementPreview = Type.Object({
  format: Type.String({ description: 'camt.052, camt.053, camt.054, mt940, mt942 or csv: as named, or as detected' }),
  version: Nullable(Type.String({ description: 'the camt message version, e.g. camt.052.001.08' })),
  message_id: Nullable(Type.String()),
  csv: Nullable(
    Type.Object({
      preset_name: Nullable(Type.String({ description: 'the preset named in the request (a saved or built-in one)' })),
      detected: Type.Boolean({ description: 'no preset was named: this one was detected from the file (save it with POST /v1/csv-presets to reuse or correct it)' }),
      preset: csvPresetSchema,
      findings: Type.Array(CsvFinding, { description: 'what detection found, each with its evidence; empty when a preset was named' }),
    }),
  ),
  dialects: Type.Array(Dialect, {
    description: 'MT940 and MT942: how the file departs from the plain SWIFT layout, as the banks named write it; empty for the plain layout, camt and CSV',
  }),
  accounts: Type.Array(PreviewAccount, { description: 'the account of each statement, in file order' }),
  from_date: Nullable(IsoDate),
  to_date: Nullable(IsoDate),
  counts: Type.Object({ entries: Type.Integer(), booked: Type.Integer(), pending: Type.Integer(), info: Type.Integer() }),
  statements: Type.Array(StatementResult),
  balance_ok: Type.Boolean({ description: 'every statement with balances adds up; when false the import refuses the file unless on_balance_mismatch=import' }),
  entries: Type.Array(PreviewEntry, { description: 'the first 20 entries, as they would be stored' }),
});

export function statementPreviewView(preview: StatementPreviewResult): Static<typeof StatementPreview> {
  return {
    format: preview.format,
    version: preview.version ?? null,
    message_id: preview.messageId ?? null,
    csv: preview.csv ? { preset_name: preview.csv.presetName ?? null, detected: preview.csv.detected, preset: preview.csv.preset, findings: preview.csv.findings } : null,
    dialects: preview.dialects.map((name) => ({ name, description: MT940_DIALECTS[name] })),
    accounts: preview.accounts.map((account) => ({
      iban: account.iban ?? null,
      other_id: account.otherId ?? null,
      currency: account.currency ?? null,
      status: account.status,
      account_id: account.accountId ?? null,
    })),
    from_date: preview.fromDate ?? null,
    to_date: preview.toDate ?? null,
    counts: preview.counts,
    statements: preview.statements.map(statementResultView),
    balance_ok: preview.balanceOk,
    entries: preview.entries.map((entry) => ({
      status: entry.status,
      stored_as: entry.storedAs,
      booking_date: entry.bookingDate,
      value_date: entry.valueDate ?? null,
      amount: entry.amount,
      currency: entry.currency,
      counterparty_name: entry.counterpartyName ?? null,
      counterparty_iban: entry.counterpartyIban ?? null,
      remittance_information: entry.remittanceInformation ?? null,
      bank_reference: entry.bankReference ?? null,
      end_to_end_id: entry.endToEndId ?? null,
      mandate_id: entry.mandateId ?? null,
      bank_transaction_code: entry.bankTransactionCode ?? null,
      location: entry.location,
    })),
  };
}
