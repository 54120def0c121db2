import { Type, type Static } from '@fastify/type-provider-typebox';
import type { AccountLink } from '../../accounts/links.js';
import type { bankAccounts, bankConnections, consents } from '../../db/schema.js';
import { CONNECTION_STATUSES } from '../../domain/connection-status.js';
import { Account, accountView } from './accounts.js';
import { Instant, IsoDate, Nullable, iso, Uuid } from './common.js';

const DAY_MS = 86_400_000;

export const NewConnection = Type.Object({
  institution_id: Type.String({ minLength: 1, maxLength: 64 }),
  history_days: Type.Optional(Type.Integer({ minimum: 1, maximum: 730, default: 30, description: 'how far back the first import reaches; clamped to what the bank serves' })),
  until_last_midnight: Type.Optional(Type.Boolean({ default: true, description: 'import complete bank days only (recommended)' })),
  redirect_url: Type.Optional(Type.String({ format: 'web-url', maxLength: 2000, description: "where the user's browser goes after the bank" })),
  notification_email: Type.Optional(
    Type.String({ format: 'email', maxLength: 254, description: 'who gets the e-mail reminders (renewal due, expired, log in again) when SMTP is configured; none: no e-mail' }),
  ),
});
export type NewConnection = Static<typeof NewConnection>;

export const ConnectionUpdate = Type.Object(
  {
    redirect_url: Type.Optional(Nullable(Type.String({ format: 'web-url', maxLength: 2000, description: "where the user's browser goes after the bank; null: a plain page" }))),
    notification_email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254, description: "who gets the e-mail reminders; null: the tenant's default recipient" }))),
  },
  { additionalProperties: false, minProperties: 1 },
);


/** An account as a connection attached it: new, or one the tenant had already (its history continues). */
export const ConnectionAccount = Type.Object({
  ...Account.properties,
  continued: Type.Boolean({ description: 'the tenant had this account before the connection attached it (an earlier connection, another one, or statement files): its history continues' }),
  attached: Type.Boolean({ description: 'attached now; false once the consent no longer shares it or the connection is disconnected (the account keeps everything)' }),
});

export const Consent = Type.Object({
  id: Uuid,
  purpose: Type.Union([Type.Literal('link'), Type.Literal('renewal')]),
  status: Type.String(),
  created_at: Instant,
  authorized_at: Nullable(Instant),
  valid_until: Nullable(IsoDate),
  expires_at: Nullable(Instant),
  closed_at: Nullable(Instant),
});

export const Connection = Type.Object({
  id: Uuid,
  institution_id: Type.String(),
  status: Type.Enum([...CONNECTION_STATUSES]),
  status_reason: Nullable(Type.String()),
  history_days: Type.Integer(),
  until_last_midnight: Type.Boolean(),
  redirect_url: Nullable(Type.String()),
  notification_email: Nullable(Type.String()),
  consent: Nullable(
    Type.Object({
      id: Uuid,
      granted_at: Nullable(Instant),
      expires_at: Nullable(Instant),
      days_left: Nullable(Type.Integer({ description: 'whole days until the consent expires' })),
    }),
  ),
  authorization_url: Nullable(Type.String({ description: 'where the user logs in at the bank, while a link or renewal waits for them' })),
  last_sync_at: Nullable(Instant),
  next_sync_at: Nullable(Instant),
  created_at: Instant,
  accounts: Type.Array(ConnectionAccount, { description: 'the accounts this connection has attached, the most recently attached first' }),
});
export type ConnectionView = Static<typeof Connection>;

type ConsentRow = typeof consents.$inferSelect;

export function consentView(row: ConsentRow): Static<typeof Consent> {
  return {
    id: row.id,
    purpose: row.purpose,
    status: row.status,
    created_at: row.createdAt.toISOString(),
    authorized_at: iso(row.authorizedAt),
    valid_until: row.validUntil,
    expires_at: iso(row.expiresAt),
    closed_at: iso(row.closedAt),
  };
}

export function connectionView(
  row: typeof bankConnections.$inferSelect,
  accounts: readonly { account: typeof bankAccounts.$inferSelect; links: readonly AccountLink[] }[],
  current: ConsentRow | undefined,
  authorizationUrl: string | undefined,
  now = Date.now(),
): ConnectionView {
  return {
    id: row.id,
    institution_id: row.institutionId,
    status: row.status,
    status_reason: row.statusReason,
    history_days: row.historyDays,
    until_last_midnight: row.untilLastMidnight,
    redirect_url: row.redirectUrl,
    notification_email: row.notificationEmail,
    consent: current
      ? {
          id: current.id,
          granted_at: iso(current.authorizedAt),
          expires_at: iso(current.expiresAt),
          days_left: current.expiresAt ? Math.max(0, Math.ceil((current.expiresAt.getTime() - now) / DAY_MS)) : null,
        }
      : null,
    authorization_url: authorizationUrl ?? null,
    last_sync_at: iso(row.lastSyncAt),
    next_sync_at: iso(row.nextSyncAt),
    created_at: row.createdAt.toISOString(),
    accounts: accounts.map(({ account, links }) => {
      const link = links.find((l) => l.connectionId === row.id)!;
      return { ...accountView(account, links), continued: !link.createdAccount, attached: link.detachedAt === null };
    }),
  };
}
