import { Type, type Static } from '@fastify/type-provider-typebox';
import type { bankAccounts } from '../../db/schema.js';
import { Currency, IsoDate, Nullable, Uuid } from './common.js';

export const Account = Type.Object({
  id: Uuid,
  connection_id: Uuid,
  iban: Type.String(),
  currency: Currency,
  name: Nullable(Type.String()),
  ledger_account_code: Nullable(Type.String({ description: "the ledger's account this bank account posts to" })),
  enabled: Type.Boolean({ description: 'synced when true' }),
  import_start: Nullable(IsoDate),
  last_integration_date: Nullable(Type.String({ format: 'date', description: 'the last bank day imported completely (the watermark)' })),
  shared: Type.Boolean({ description: 'shared under the current consent; false when the user left it out at renewal' }),
});

export const AccountUpdate = Type.Object(
  {
    ledger_account_code: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 64 }))),
    enabled: Type.Optional(Type.Boolean()),
    import_start: Type.Optional(IsoDate),
  },
  { minProperties: 1 },
);
export type AccountUpdate = Static<typeof AccountUpdate>;

export function accountView(row: typeof bankAccounts.$inferSelect): Static<typeof Account> {
  return {
    id: row.id,
    connection_id: row.connectionId,
    iban: row.iban,
    currency: row.currency,
    name: row.name,
    ledger_account_code: row.ledgerAccountCode,
    enabled: row.enabled,
    import_start: row.importStart,
    last_integration_date: row.lastIntegrationDate,
    shared: row.providerAccountId !== null,
  };
}
