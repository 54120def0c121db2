import { Type, type Static } from '@fastify/type-provider-typebox';
import type { csvPresets } from '../../db/schema.js';
import { BUILT_IN_CSV_PRESETS, csvPresetSchema } from '../../statements/index.js';
import type { StatementFileImport as StatementFileImportResult, StatementImportResult } from '../../transactions/statement-import.js';
import type { StatementSummary } from '../../transactions/statement-summary.js';
import { Amount, Currency, Instant, IsoDate, Nullable, Uuid } from './common.js';

export const StatementFormatName = Type.Union([Type.Literal('camt052'), Type.Literal('camt053'), Type.Literal('camt054'), Type.Literal('mt940'), Type.Literal('mt942'), Type.Literal('csv')], {
  description: 'the file format; detected from the content when absent',
});

export const StatementUploadQuery = Type.Object({
  format: Type.Optional(StatementFormatName),
  preset: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: `for CSV: a saved preset (its name or id) or a built-in one (${Object.keys(BUILT_IN_CSV_PRESETS).join(', ')})` })),
  on_balance_mismatch: Type.Optional(
    Type.Union([Type.Literal('refuse'), Type.Literal('import')], {
      default: 'refuse',
      description: 'a file whose balances do not add up (opening + booked entries ≠ closing) is refused with 422 balance-mismatch, or with import imported anyway, the mismatch recorded on the import (balance_mismatch, the statement\'s balance_ok and balance_reason)',
    }),
  ),
});

export const TenantStatementUploadQuery = Type.Object({
  ...StatementUploadQuery.properties,
  create_accounts: Type.Optional(
    Type.Boolean({ default: false, description: 'create the accounts the file names that the tenant does not have yet; without it such a file is refused whole (422 naming them)' }),
  ),
});

export const StatementResult = Type.Object({
  statement_id: Type.String(),
  sequence_number: Nullable(Type.String()),
  from_date: Nullable(IsoDate),
  to_date: Nullable(IsoDate),
  currency: Nullable(Currency),
  entries: Type.Integer({ description: 'entries of any status in the statement' }),
  opening: Nullable(Amount),
  closing: Nullable(Amount),
  sum: Type.String({ description: 'sum of the booked entries' }),
  balance_checked: Type.Boolean({ description: 'false when the file has no opening or closing balance (CSV)' }),
  balance_ok: Type.Boolean({ description: 'opening + sum = closing (true when not checked)' }),
  balance_reason: Nullable(Type.String()),
});

export const StatementImport = Type.Object({
  id: Uuid,
  account_id: Uuid,
  format: Type.String({ description: 'camt.052, camt.053, camt.054, mt940, mt942 or csv' }),
  file_sha256: Type.String(),
  bytes: Type.Integer(),
  message_id: Nullable(Type.String()),
  already_imported: Type.Boolean({ description: 'an earlier import held this file, message or statements, and nothing new was added' }),
  duplicate_of: Nullable(Uuid),
  balance_mismatch: Type.Boolean({ description: 'a statement\'s balances did not add up and the file was imported anyway (on_balance_mismatch=import)' }),
  statements: Type.Array(StatementResult),
  counts: Type.Object({
    entries: Type.Integer(),
    booked: Type.Integer(),
    inserted: Type.Integer(),
    updated: Type.Integer({ description: 'stored transactions the file completed (a bank reference, a value date)' }),
    duplicates: Type.Integer({ description: 'booked entries already stored, from the feed or an earlier file' }),
    pending_skipped: Type.Integer({ description: 'pending and information-only entries, not stored as transactions: pending ones join the account\'s pending entries until their booking arrives' }),
  }),
  warnings: Type.Array(Type.String()),
  created_at: Instant,
});

export const StatementFileImport = Type.Object({
  imports: Type.Array(StatementImport, { description: 'one import per account the file holds statements of, in file order' }),
  created_accounts: Type.Array(Uuid, { description: 'accounts the upload created (create_accounts=true)' }),
});

export function statementFileImportView(result: StatementFileImportResult): Static<typeof StatementFileImport> {
  return { imports: result.imports.map(statementImportView), created_accounts: result.createdAccounts };
}

export function statementResultView(statement: StatementSummary): Static<typeof StatementResult> {
  return {
    statement_id: statement.statementId,
    sequence_number: statement.sequenceNumber ?? null,
    from_date: statement.fromDate ?? null,
    to_date: statement.toDate ?? null,
    currency: statement.currency ?? null,
    entries: statement.entries,
    opening: statement.opening ?? null,
    closing: statement.closing ?? null,
    sum: statement.sum,
    balance_checked: statement.balance.checked,
    balance_ok: statement.balance.ok,
    balance_reason: statement.balance.reason ?? null,
  };
}

export function statementImportView(result: StatementImportResult): Static<typeof StatementImport> {
  return {
    id: result.importId,
    account_id: result.accountId,
    format: result.format,
    file_sha256: result.fileSha256,
    bytes: result.bytes,
    message_id: result.messageId ?? null,
    already_imported: result.alreadyImported,
    duplicate_of: result.duplicateOf ?? null,
    balance_mismatch: result.balanceMismatch,
    statements: result.statements.map(statementResultView),
    counts: {
      entries: result.counts.entries,
      booked: result.counts.booked,
      inserted: result.counts.inserted,
      updated: result.counts.updated,
      duplicates: result.counts.duplicates,
      pending_skipped: result.counts.pendingSkipped,
    },
    warnings: result.warnings,
    created_at: result.createdAt,
  };
}

export const CsvPresetInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100, pattern: '^[^\\s].*$', description: 'how uploads name it (?preset=<name>); unique per tenant' }),
    preset: csvPresetSchema,
  },
  { additionalProperties: false },
);

export const CsvPreset = Type.Object({ id: Uuid, name: Type.String(), preset: csvPresetSchema, created_at: Instant });

export function csvPresetView(row: typeof csvPresets.$inferSelect): Static<typeof CsvPreset> {
  return { id: row.id, name: row.name, preset: row.preset, created_at: row.createdAt.toISOString() };
}
