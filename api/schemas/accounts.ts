import { Type, type Static } from '@fastify/type-provider-typebox';
import type { AccountLink } from '../../accounts/links.js';
import type { bankAccounts } from '../../db/schema.js';
import { CONNECTION_STATUSES } from '../../domain/connection-status.js';
import { Currency, Instant, IsoDate, Nullable, iso, Uuid } from './common.js';

/** An IBAN as people write it: spaces allowed; normalised and its check digits verified by the route. */
export const Iban = Type.String({ minLength: 15, maxLength: 42, pattern: '^[A-Za-z]{2}[0-9]{2}[A-Za-z0-9 ]+$', description: 'IBAN (spaces allowed)' });

export const AccountConnection = Type.Object({
  connection_id: Uuid,
  institution_id: Type.String(),
  status: Type.Enum([...CONNECTION_STATUSES]),
  attached_at: Instant,
  detached_at: Nullable(Instant),
  shared: Type.Boolean({ description: "shared under the connection's current consent" }),
});

export const Account = Type.Object({
  id: Uuid,
  iban: Type.String({ description: 'electronic form: upper case, no spaces' }),
  currency: Currency,
  name: Nullable(Type.String()),
  ledger_account_code: Nullable(Type.String({ description: "the ledger's account this bank account posts to" })),
  enabled: Type.Boolean({ description: 'synced when true' }),
  import_start: Nullable(IsoDate),
  last_integration_date: Nullable(Type.String({ format: 'date', description: 'the last bank day imported completely (the watermark)' })),
  refetch_from: Nullable(Type.String({ format: 'date', description: 'a re-read of the bank from this day waits for the next sync' })),
  connection_id: Nullable(Type.String({ format: 'uuid', description: 'the connection that feeds it now (the most recently attached that shares it); null: none, statement files only' })),
  shared: Type.Boolean({ description: 'a connection shares it under a valid consent: the bank feeds it' }),
  connections: Type.Array(AccountConnection, { description: 'every connection that has fed the account, the most recently attached first' }),
  created_at: Instant,
});

export const NewAccount = Type.Object({
  iban: Iban,
  currency: Currency,
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
  ledger_account_code: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  import_start: Type.Optional(IsoDate),
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

export const Refetch = Type.Object({
  from: Type.String({ format: 'date', description: 'the first day to read from the bank again (YYYY-MM-DD)' }),
});

const feeds = (link: AccountLink) => link.detachedAt === null && link.providerAccountId !== null;

/** `links`: the account's, the most recently attached first. */
export function accountView(row: typeof bankAccounts.$inferSelect, links: readonly AccountLink[]): Static<typeof Account> {
  const feeding = links.find(feeds);
  return {
    id: row.id,
    iban: row.iban,
    currency: row.currency,
    name: row.name,
    ledger_account_code: row.ledgerAccountCode,
    enabled: row.enabled,
    import_start: row.importStart,
    last_integration_date: row.lastIntegrationDate,
    refetch_from: row.refetchFrom,
    connection_id: feeding?.connectionId ?? null,
    shared: feeding !== undefined,
    connections: links.map((link) => ({
      connection_id: link.connectionId,
      institution_id: link.institutionId,
      status: link.status,
      attached_at: iso(link.attachedAt)!,
      detached_at: iso(link.detachedAt),
      shared: feeds(link),
    })),
    created_at: iso(row.createdAt)!,
  };
}
