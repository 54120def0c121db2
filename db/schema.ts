import { sql } from 'drizzle-orm';
import { bigint, boolean, check, customType, date, index, integer, jsonb, numeric, pgSequence, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { ConnectionStatus } from '../domain/connection-status.js';
import type { MatchingRuleField, MatchingRuleOperator } from '../domain/matching-rules.js';
import type { PartyCandidate, PartyIdentifierKind, PartyKind, PartyMatchKind, PaymentReference } from '../domain/parties.js';
import type { SyncTrigger } from '../domain/sync-trigger.js';
import type { BalanceCheck, CsvPreset, StatementFormat } from '../statements/index.js';

export type ConsentStatus = 'requested' | 'active' | 'rejected' | 'expired' | 'revoked' | 'closed';
export const NOTIFICATION_EVENTS = [
  'connection.linked',
  'sync.completed',
  'consent.expiring',
  'consent.expired',
  'connection.reauth_required',
  'connection.disconnected',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
export interface DateRange {
  from: string;
  to: string;
}
export interface SyncRunProblem {
  message: string;
  /** Where: a page and entry, a date range. */
  location?: string;
  /** The raw entry as the bank sent it, for entries that could not be read. */
  raw?: unknown;
}

const createdAt = () => timestamp({ withTimezone: true }).notNull().defaultNow();

/**
 * Change markers for the transactions feed (GET /v1/transactions/sync): the id of the database
 * transaction that created and last changed a row, and a sequence number. A trigger moves them on
 * every change that matters (migration 0002); the feed reads only changes of committed database
 * transactions in (xid, seq) order, so concurrent syncs never slip a change past a cursor.
 */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });
export const transactionChanges = pgSequence('transaction_changes');
const changeMarkers = () => ({
  createdXid: xid8().notNull().default(sql`pg_current_xact_id()`),
  changedXid: xid8().notNull().default(sql`pg_current_xact_id()`),
  changeSeq: bigint({ mode: 'number' }).notNull().default(sql`nextval('transaction_changes')`),
});
const updatedAt = () =>
  timestamp({ withTimezone: true })
    .notNull()
    .defaultNow()
    .$onUpdate(() => new Date());

/** A company using the ledger app; everything below belongs to exactly one tenant. */
export const tenants = pgTable('tenants', {
  id: uuid().primaryKey().defaultRandom(),
  name: text().notNull(),
  /** Who gets the e-mail reminders of connections that name nobody of their own. */
  notificationEmail: text(),
  /** The tenant's own invoice numbers (a regular expression, matching/references checks it): found in transactions as references. */
  invoiceNumberPattern: text(),
  createdAt: createdAt(),
});

/** What an API key may do: everything, or only read (GET and HEAD). */
export type ApiKeyScope = 'full' | 'read_only';

/** API keys are stored as SHA-256 hashes; the key itself is shown once, at creation. */
export const apiKeys = pgTable(
  'api_keys',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    keyHash: text().notNull(),
    /** The key's first characters (`bfk_` and 8 more): tell keys apart without revealing them. */
    prefix: text().notNull(),
    /** The tenant's own name for the key ("ledger production"). */
    label: text(),
    scope: text().$type<ApiKeyScope>().notNull().default('full'),
    createdAt: createdAt(),
    /** From then on the key is refused, as a revoked one. */
    expiresAt: timestamp({ withTimezone: true }),
    /** Kept to the minute: written at most once a minute per key, not on every request. */
    lastUsedAt: timestamp({ withTimezone: true }),
    revokedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex().on(t.keyHash), index().on(t.tenantId)],
);

/**
 * A customer, supplier, employee or other party of the tenant's ledger, registered by the ledger
 * under its own id (PUT /v1/parties). Personal data: kept in Postgres only, never in Temporal history.
 */
export const parties = pgTable(
  'parties',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** The ledger's own id for the party: the id the API speaks. */
    externalId: text().notNull(),
    kind: text().$type<PartyKind>().notNull(),
    name: text().notNull(),
    /** Other names the ledger knows it by, as the ledger wrote them. */
    otherNames: jsonb().$type<string[]>().notNull().default([]),
    /** As the ledger gave them, in electronic form. */
    ibans: jsonb().$type<string[]>().notNull().default([]),
    defaultLedgerAccountCode: text(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex().on(t.tenantId, t.externalId)],
);

/**
 * What recognises a party in a transaction, normalised for lookup: its IBANs and names, the
 * ledger's own (replaced on every upsert) and those learned from transactions the ledger confirmed
 * (kept). The trigram index serves the similar-name lookup (pg_trgm, migration 0008).
 */
export const partyIdentifiers = pgTable(
  'party_identifiers',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    partyId: uuid()
      .notNull()
      .references(() => parties.id, { onDelete: 'cascade' }),
    kind: text().$type<PartyIdentifierKind>().notNull(),
    /** An IBAN in electronic form, or a name normalised by matching/. */
    value: text().notNull(),
    origin: text().$type<'ledger' | 'learned'>().notNull(),
  },
  (t) => [
    uniqueIndex().on(t.partyId, t.kind, t.value),
    index().on(t.tenantId, t.kind, t.value),
    index('party_identifiers_name_trigrams').using('gin', t.value.op('gin_trgm_ops')).where(sql`${t.kind} = 'name'`),
  ],
);

/**
 * A tenant's own rule for transactions the counterparty's IBAN and name do not match
 * (POST /v1/matching-rules): conditions that must all hold, and what a transaction that meets
 * them gets. The highest priority wins (the oldest among equals). matching/rules.ts evaluates them.
 */
export const matchingRules = pgTable(
  'matching_rules',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Higher first. */
    priority: integer().notNull().default(0),
    /** The text condition: all three set, or none. */
    field: text().$type<MatchingRuleField>(),
    operator: text().$type<MatchingRuleOperator>(),
    /** The text to look for, or the regular expression (checked for safety before it is stored). */
    value: text(),
    /** Signed, inclusive bounds on the amount: exact decimals. */
    amountMin: numeric({ precision: 20, scale: 4 }),
    amountMax: numeric({ precision: 20, scale: 4 }),
    /** Only transactions of this bank account of the tenant; a rule for an account that is deleted goes with it. */
    accountId: uuid().references(() => bankAccounts.id, { onDelete: 'cascade' }),
    /** The party it assigns; a rule whose party the ledger deletes goes with it. */
    partyId: uuid().references(() => parties.id, { onDelete: 'cascade' }),
    ledgerAccountCode: text(),
    createdAt: createdAt(),
  },
  (t) => [
    index().on(t.tenantId, t.priority),
    check('matching_rules_condition', sql`${t.value} is not null or ${t.amountMin} is not null or ${t.amountMax} is not null or ${t.accountId} is not null`),
    check('matching_rules_text_condition', sql`(${t.field} is null) = (${t.operator} is null) and (${t.field} is null) = (${t.value} is null)`),
    check('matching_rules_result', sql`${t.partyId} is not null or ${t.ledgerAccountCode} is not null`),
  ],
);

/**
 * One tenant's link to one bank (institution). Its state is mirrored here by the connection
 * workflow so reads never need a running worker.
 */
export const bankConnections = pgTable(
  'bank_connections',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    institutionId: text().notNull(),
    status: text().$type<ConnectionStatus>().notNull(),
    /** How far back the first import reaches, in days. */
    historyDays: integer().notNull().default(30),
    /** Import only complete days, up to the bank's last midnight. */
    untilLastMidnight: boolean().notNull().default(true),
    /** Where the user's browser goes after linking at the bank. */
    redirectUrl: text(),
    /** Who gets the e-mail reminders (renewal due, expired, re-authorisation needed); none: no e-mail. */
    notificationEmail: text(),
    /** Why the connection is in its status, when that needs saying (e.g. "consent revoked at the bank"). */
    statusReason: text(),
    consentExpiresAt: timestamp({ withTimezone: true }),
    lastSyncAt: timestamp({ withTimezone: true }),
    nextSyncAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index().on(t.tenantId, t.createdAt), check('history_days_positive', sql`${t.historyDays} > 0`)],
);

/** A consent granted (or requested) at the bank; a connection has a new one on every renewal. */
export const consents = pgTable(
  'consents',
  {
    id: uuid().primaryKey().defaultRandom(),
    connectionId: uuid()
      .notNull()
      .references(() => bankConnections.id),
    purpose: text().$type<'link' | 'renewal'>().notNull(),
    status: text().$type<ConsentStatus>().notNull(),
    /** The provider's reference to the consent (e.g. Berlin Group consentId), encrypted. */
    providerConsentRef: text(),
    /** Where the user logs in at the bank, encrypted: it can carry the bank's session reference. */
    authorizationUrl: text(),
    /** SHA-256 of the single-use `state` in the callback URL; the state itself is never stored. */
    stateHash: text(),
    stateExpiresAt: timestamp({ withTimezone: true }),
    stateUsedAt: timestamp({ withTimezone: true }),
    /** When the user came back from the bank (the callback): from then on the consent counts as granted. */
    returnedAt: timestamp({ withTimezone: true }),
    /**
     * The IP address the user came back from the bank with: the import right after linking runs
     * on their behalf (attended), so it does not use up the day's unattended budget.
     */
    psuIpAddress: text(),
    /** The last day of access the bank actually granted (not the one we asked for). */
    validUntil: date({ mode: 'string' }),
    /** validUntil's end as an instant on bankfeed's clock. */
    expiresAt: timestamp({ withTimezone: true }),
    frequencyPerDay: integer(),
    createdAt: createdAt(),
    authorizedAt: timestamp({ withTimezone: true }),
    closedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.connectionId, t.createdAt), uniqueIndex().on(t.stateHash)],
);

/**
 * A bank account of the tenant, identified by IBAN + currency (never by a provider's id, which
 * changes on renewal and between providers). It keeps its history, mapping and watermark for as
 * long as it exists, across any number of connections over time (connectionAccounts), or none:
 * an account made for statement files.
 */
export const bankAccounts = pgTable(
  'bank_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Electronic form: upper case, no spaces (ISO 13616). */
    iban: text().notNull(),
    currency: text().notNull(),
    name: text(),
    /** The ledger's account this bank account posts to. */
    ledgerAccountCode: text(),
    enabled: boolean().notNull().default(true),
    importStart: date({ mode: 'string' }),
    /** The last bank day imported completely: the watermark. */
    lastIntegrationDate: date({ mode: 'string' }),
    /** Date ranges fetched successfully from a bank, merged; what is missing from importStart on is a gap to retry. */
    coveredRanges: jsonb().$type<DateRange[]>().notNull().default([]),
    /** Asked for through a re-fetch: the next sync reads the bank from this day again; cleared once one did. */
    refetchFrom: date({ mode: 'string' }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex().on(t.tenantId, t.iban, t.currency)],
);

/**
 * A connection's link to one of the tenant's accounts: attached when a consent shares the account,
 * re-attached with the provider's new id on renewal, detached (never deleted) when the consent no
 * longer shares it or the connection is disconnected.
 */
export const connectionAccounts = pgTable(
  'connection_accounts',
  {
    id: uuid().primaryKey().defaultRandom(),
    connectionId: uuid()
      .notNull()
      .references(() => bankConnections.id),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    /** The provider's id for the account under the connection's current consent; null once detached. */
    providerAccountId: text(),
    /** This connection created the account; false: it attached to one the tenant already had. */
    createdAccount: boolean().notNull(),
    attachedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    detachedAt: timestamp({ withTimezone: true }),
  },
  (t) => [uniqueIndex().on(t.connectionId, t.accountId), index().on(t.accountId)],
);

/** A booked bank transaction, stored once per bank account. */
export const transactions = pgTable(
  'transactions',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    /** The provider's own id when it is usable (trimmed, not blank, not a placeholder). */
    providerKey: text(),
    /**
     * Whose key it is: the provider kind of the feed (`nextgenpsd2`, ...) or `file`. A key says
     * nothing in another namespace; there only the fingerprint recognises the transaction.
     */
    keyNamespace: text(),
    /** Content identity: catches re-keyed ids and file-vs-feed duplicates. */
    fingerprint: text().notNull(),
    bookingDate: date({ mode: 'string' }).notNull(),
    valueDate: date({ mode: 'string' }),
    /** Signed: debits are negative. Exact decimal, never floating point. */
    amount: numeric({ precision: 20, scale: 4 }).notNull(),
    currency: text().notNull(),
    counterpartyName: text(),
    counterpartyIban: text(),
    remittanceInformation: text(),
    endToEndId: text(),
    /** The SEPA direct debit mandate reference. */
    mandateId: text(),
    bankTransactionCode: text(),
    /** Where it first came from: the bank feed or a statement file. */
    source: text().$type<'feed' | 'file'>().notNull().default('feed'),
    /** The ledger's party this transaction belongs to, null when nothing matched or the match is ambiguous. */
    partyId: uuid().references(() => parties.id, { onDelete: 'set null' }),
    partyMatch: text().$type<PartyMatchKind>(),
    /** 0 to 1: how certain the match is. */
    partyConfidence: numeric({ precision: 4, scale: 3 }),
    /** Set instead of partyId when two or more parties are equally likely: reported, never guessed. */
    partyCandidates: jsonb().$type<PartyCandidate[]>(),
    /** The ledger account suggested for it (a matching rule's, or the party's default). */
    ledgerAccountCode: text(),
    /**
     * The matching rule that gave it its party or ledger account (match `rule:<id>`). No foreign
     * key: deleting a rule leaves the row as it is until re-matching recomputes it, so the feed
     * reports the row once, with its new match, rather than once more in between.
     */
    matchingRuleId: uuid(),
    /** Payment references found in its remittance information and structured fields. */
    references: jsonb().$type<PaymentReference[]>().notNull().default([]),
    ...changeMarkers(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index().on(t.changedXid, t.changeSeq),
    uniqueIndex().on(t.accountId, t.keyNamespace, t.providerKey),
    uniqueIndex().on(t.accountId, t.fingerprint),
    index().on(t.accountId, t.bookingDate),
    index().on(t.partyId),
  ],
);

/**
 * Pending (not yet booked) entries: provisional, kept apart from transactions, replaced on every
 * sync and never used to recognise a booked transaction. When one disappears because it booked,
 * it points to the transaction that settled it.
 */
export const pendingTransactions = pgTable(
  'pending_transactions',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    providerKey: text(),
    /** The value date the bank expects, or the day it was first seen. */
    expectedDate: date({ mode: 'string' }).notNull(),
    amount: numeric({ precision: 20, scale: 4 }).notNull(),
    currency: text().notNull(),
    counterpartyName: text(),
    counterpartyIban: text(),
    remittanceInformation: text(),
    firstSeenAt: timestamp({ withTimezone: true }).notNull(),
    lastSeenAt: timestamp({ withTimezone: true }).notNull(),
    /** Set when a sync no longer sees it: it booked (settledTransactionId) or vanished. */
    removedAt: timestamp({ withTimezone: true }),
    settledTransactionId: uuid().references(() => transactions.id),
    ...changeMarkers(),
  },
  (t) => [index().on(t.accountId).where(sql`${t.removedAt} is null`), index().on(t.changedXid, t.changeSeq)],
);

/**
 * Booked transactions that were removed because another row holds the same transaction (twins
 * that the one-account-per-IBAN upgrade merged): the feed reports them as removed, once.
 */
export const removedTransactions = pgTable(
  'removed_transactions',
  {
    /** The removed transaction's id, as the ledger knows it. */
    id: uuid().primaryKey(),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    /** The transaction that holds it now. */
    replacedBy: uuid().references(() => transactions.id),
    removedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    ...changeMarkers(),
  },
  (t) => [index().on(t.changedXid, t.changeSeq)],
);

/** Balances as the bank reported them at each sync. */
export const balances = pgTable(
  'balances',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    /** The bank's balance type, e.g. closingBooked, interimAvailable, expected. */
    type: text().notNull(),
    amount: numeric({ precision: 20, scale: 4 }).notNull(),
    currency: text().notNull(),
    referenceDate: date({ mode: 'string' }),
    fetchedAt: timestamp({ withTimezone: true }).notNull(),
  },
  (t) => [index().on(t.accountId, t.fetchedAt)],
);

/** A request to sync a connection (the id the API gives out to follow it); it has a run per account. */
export const syncs = pgTable(
  'syncs',
  {
    id: uuid().primaryKey().defaultRandom(),
    connectionId: uuid()
      .notNull()
      .references(() => bankConnections.id),
    trigger: text().$type<SyncTrigger>().notNull(),
    status: text().$type<'requested' | 'running' | 'completed' | 'failed' | 'joined' | 'skipped'>().notNull(),
    /** The requesting person's IP address for attended access; personal data, kept out of Temporal. */
    psuIpAddress: text(),
    /** A manual request made while a sync ran joins it instead of starting a second one. */
    joinedSyncId: uuid(),
    /** Why it failed or was skipped, in words for the ledger's users. */
    reason: text(),
    requestedAt: createdAt(),
    startedAt: timestamp({ withTimezone: true }),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.connectionId, t.requestedAt)],
);

/** One sync of one account: what was asked for, what came back, what went wrong. */
export const syncRuns = pgTable(
  'sync_runs',
  {
    id: uuid().primaryKey().defaultRandom(),
    syncId: uuid()
      .notNull()
      .references(() => syncs.id),
    connectionId: uuid()
      .notNull()
      .references(() => bankConnections.id),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    status: text().$type<'running' | 'completed' | 'failed'>().notNull(),
    dateFrom: date({ mode: 'string' }),
    dateTo: date({ mode: 'string' }),
    fetched: integer().notNull().default(0),
    inserted: integer().notNull().default(0),
    updated: integer().notNull().default(0),
    pending: integer().notNull().default(0),
    /** Entries the bank sent that could not be read, and other failures: never dropped silently. */
    errors: jsonb().$type<SyncRunProblem[]>().notNull().default([]),
    /** Things the user should know that did not stop the sync (e.g. history the bank no longer offers). */
    warnings: jsonb().$type<SyncRunProblem[]>().notNull().default([]),
    startedAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [index().on(t.connectionId, t.startedAt), uniqueIndex().on(t.syncId, t.accountId)],
);

/**
 * The outbox of things to tell the ledger app and its users (webhooks, e-mail). Written once per
 * event: dedupKey makes a retried activity or a replayed reminder a no-op.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    connectionId: uuid()
      .notNull()
      .references(() => bankConnections.id),
    event: text().$type<NotificationEvent>().notNull(),
    payload: jsonb().$type<Record<string, unknown>>().notNull(),
    dedupKey: text().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.dedupKey), index().on(t.tenantId, t.createdAt)],
);

/** Where a tenant's notices go over HTTP: signed POSTs (see notifications/webhook-signature.ts). */
export const webhookEndpoints = pgTable(
  'webhook_endpoints',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    url: text().notNull(),
    /** The events it wants; null: all of them. */
    events: text().array().$type<NotificationEvent[]>(),
    /** The signing secret, encrypted (bound to `webhook:<id>`); shown to the tenant once, at creation. */
    secret: text().notNull(),
    /** Set when the receiver answered 410 Gone: nothing more is sent. */
    disabledAt: timestamp({ withTimezone: true }),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.tenantId, t.createdAt)],
);

/**
 * One attempt to deliver a notice on one channel (`target`: `webhook:<endpointId>` or `email`).
 * At most one succeeded attempt per (notification, target): the delivery checks before sending.
 */
export const notificationDeliveries = pgTable(
  'notification_deliveries',
  {
    id: uuid().primaryKey().defaultRandom(),
    notificationId: uuid()
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    target: text().notNull(),
    endpointId: uuid().references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    attempt: integer().notNull(),
    statusCode: integer(),
    error: text(),
    succeeded: boolean().notNull().default(false),
    startedAt: createdAt(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    index().on(t.endpointId, t.startedAt),
    uniqueIndex('notification_deliveries_once').on(t.notificationId, t.target).where(sql`${t.succeeded}`),
  ],
);

/** A tenant's saved way of reading one bank's CSV export (statements/csv-preset.ts says what a preset holds). */
export const csvPresets = pgTable(
  'csv_presets',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    name: text().notNull(),
    /** A CsvPreset, checked with csvPresetProblems before it is stored. */
    preset: jsonb().$type<CsvPreset>().notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex().on(t.tenantId, t.name)],
);

/** One statement file imported into one account: what it was, what it added, and whether its balances added up. */
export const statementImports = pgTable(
  'statement_imports',
  {
    id: uuid().primaryKey().defaultRandom(),
    accountId: uuid()
      .notNull()
      .references(() => bankAccounts.id),
    format: text().$type<StatementFormat>().notNull(),
    /** SHA-256 (hex) of the file's bytes: the same file again is recognised by it. */
    fileSha256: text().notNull(),
    bytes: bigint({ mode: 'number' }).notNull(),
    /** camt GrpHdr/MsgId. */
    messageId: text(),
    statementIds: jsonb().$type<string[]>().notNull().default([]),
    /** The earlier import of this account that held the same file, message or statements. */
    duplicateOf: uuid(),
    entries: integer().notNull(),
    inserted: integer().notNull(),
    updated: integer().notNull(),
    duplicates: integer().notNull(),
    pendingSkipped: integer().notNull(),
    balanceChecks: jsonb().$type<BalanceCheck[]>().notNull().default([]),
    warnings: jsonb().$type<string[]>().notNull().default([]),
    createdAt: createdAt(),
  },
  (t) => [index().on(t.accountId, t.createdAt), index().on(t.accountId, t.fileSha256), index().on(t.accountId, t.messageId)],
);

/** What the audit trail records: security-relevant changes, by who made them. */
export const AUDIT_ACTIONS = [
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.deleted',
  'connection.created',
  'connection.updated',
  'connection.renewal_started',
  'connection.disconnect_requested',
  'account.created',
  'account.updated',
  'account.deleted',
  'account.refetch_requested',
  'csv_preset.created',
  'csv_preset.deleted',
  'statement.imported',
  'tenant.updated',
  'matching_rule.created',
  'matching_rule.deleted',
  'transaction.party_confirmed',
  'transaction.party_unconfirmed',
  'parties.upserted',
  'party.deleted',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/**
 * The audit trail: who (key id and prefix; none for the command line or a renewal link) did what
 * to which target, when, in which request. Append-only: a trigger (migration 0007) refuses every
 * UPDATE, DELETE and TRUNCATE. `details` holds ids, counts and field names only: no personal data, no secrets.
 */
export const auditEvents = pgTable(
  'audit_events',
  {
    id: uuid().primaryKey().defaultRandom(),
    tenantId: uuid()
      .notNull()
      .references(() => tenants.id),
    /** Milliseconds, as the API's cursors carry instants: a page never splits a microsecond. */
    occurredAt: timestamp({ withTimezone: true })
      .notNull()
      .default(sql`date_trunc('milliseconds', now())`),
    actorKeyId: uuid().references(() => apiKeys.id),
    actorKeyPrefix: text(),
    requestId: text(),
    action: text().$type<AuditAction>().notNull(),
    targetType: text().notNull(),
    targetId: uuid().notNull(),
    details: jsonb().$type<Record<string, unknown>>().notNull().default({}),
  },
  (t) => [index().on(t.tenantId, t.occurredAt, t.id), index().on(t.tenantId, t.targetId)],
);
