import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import { loadAccountLinks } from '../../accounts/links.js';
import { accountLockKey } from '../../accounts/lock.js';
import { markRefetch, planRefetch } from '../../accounts/refetch.js';
import { LockBusyError, type Database } from '../../db/client.js';
import { balances, bankAccounts, connectionAccounts } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { compactIban, normaliseIban } from '../../domain/iban.js';
import { decodeCursor, page } from '../pagination.js';
import { conflict, HttpProblem, orNotFound } from '../problems.js';
import { Account, AccountUpdate, accountView, Iban, NewAccount, Refetch } from '../schemas/accounts.js';
import { Amount, Currency, Instant, IsoDate, Nullable, Page, PageQuery, PsuHeaders, iso, Uuid } from '../schemas/common.js';
import { PartyId } from '../schemas/parties.js';
import { Transaction, transactionView, type TransactionRow } from '../schemas/transactions.js';
import { tenantScoped } from '../tenant-scope.js';
import { audit } from '../audit.js';
import { bookedRow, pendingRow } from '../transaction-rows.js';
import { formatAmount, parseAmount } from '../../domain/amount.js';

const Params = Type.Object({ accountId: Uuid });

const Balance = Type.Object({
  type: Type.String({ description: "the bank's balance type: closingBooked, interimAvailable, expected, ..." }),
  amount: Amount,
  currency: Currency,
  reference_date: Nullable(IsoDate),
  fetched_at: Instant,
});

const TransactionQuery = Type.Object({
  ...PageQuery,
  status: Type.Optional(Type.Union([Type.Literal('booked'), Type.Literal('pending')], { default: 'booked' })),
  from: Type.Optional(IsoDate),
  to: Type.Optional(IsoDate),
  min_amount: Type.Optional(Amount),
  max_amount: Type.Optional(Amount),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'text in the counterparty or the remittance information' })),
  party_id: Type.Optional({ ...PartyId, description: "transactions matched to this party (the ledger's id); pending entries are never matched" }),
  unmatched: Type.Optional(Type.Boolean({ description: 'true: only transactions without a party (nothing matched, or ambiguous); false: only those with one' })),
});

/** The party filters of a transaction list: pending entries have no party. */
function partyConditions(status: 'booked' | 'pending', tenantId: string, partyId: string | undefined, unmatched: boolean | undefined) {
  if (status === 'pending') return [partyId !== undefined || unmatched === false ? sql`false` : undefined];
  return [
    partyId !== undefined ? sql`t.party_id = (select pp.id from parties pp where pp.tenant_id = ${tenantId} and pp.external_id = ${partyId})` : undefined,
    unmatched === undefined ? undefined : unmatched ? sql`t.party_id is null` : sql`t.party_id is not null`,
  ];
}

/** The caller's account, or 404. */
export async function tenantAccount(db: Database, request: FastifyRequest, accountId: string) {
  const [account] = await db.select().from(bankAccounts).where(tenantScoped(bankAccounts, request, eq(bankAccounts.id, accountId)));
  return orNotFound(account, 'account', accountId);
}

/** The tenant's bank accounts: create for statement files, map to the ledger, re-fetch, balances, transactions. */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database, connections, providers, clock } = app.deps;
  const { db } = database;

  const load = (request: FastifyRequest, accountId: string) => tenantAccount(db, request, accountId);
  const view = async (account: typeof bankAccounts.$inferSelect) => accountView(account, (await loadAccountLinks(db, [account.id])).get(account.id)!);

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: "The tenant's bank accounts",
        querystring: Type.Object({
          ...PageQuery,
          iban: Type.Optional(Iban),
          currency: Type.Optional(Currency),
          connection_id: Type.Optional(Type.String({ format: 'uuid', description: 'accounts this connection has fed' })),
        }),
        response: { 200: Page(Account) },
      },
    },
    async (request) => {
      const { limit = 100, cursor, iban, currency, connection_id: connectionId } = request.query;
      const after = cursor ? decodeCursor(cursor, ['uuid']) : undefined;
      const rows = await db
        .select()
        .from(bankAccounts)
        .where(
          tenantScoped(
            bankAccounts,
            request,
            iban ? eq(bankAccounts.iban, compactIban(iban)) : undefined,
            currency ? eq(bankAccounts.currency, currency) : undefined,
            connectionId
              ? inArray(bankAccounts.id, db.select({ id: connectionAccounts.accountId }).from(connectionAccounts).where(eq(connectionAccounts.connectionId, connectionId)))
              : undefined,
            after ? gt(bankAccounts.id, after[0]) : undefined,
          ),
        )
        .orderBy(bankAccounts.id)
        .limit(limit + 1);
      const links = await loadAccountLinks(db, rows.map((row) => row.id));
      return page(rows, limit, (row) => accountView(row, links.get(row.id)!), (row) => [row.id]);
    },
  );

  app.post(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Add a bank account before any bank connection, for statement files',
        description:
          'A bank connection that later shares the same IBAN and currency attaches to this account, and its first import brings only what the files did not already hold. ' +
          'The IBAN is normalised (upper case, no spaces) and its check digits verified; an account with that IBAN and currency already exists: 409 naming it.',
        body: NewAccount,
        response: { 201: Account },
      },
    },
    async (request, reply) => {
      const iban = normaliseIban(request.body.iban);
      if (!iban) throw new HttpProblem(400, `${request.body.iban} is not a valid IBAN: its check digits do not match.`, { type: 'invalid-iban' });
      const { currency, name, ledger_account_code: ledgerAccountCode, import_start: importStart } = request.body;
      const created = await inTransaction(database, async (tx) => {
        const [inserted] = await tx.db
          .insert(bankAccounts)
          .values({ tenantId: request.tenantId, iban, currency, name, ledgerAccountCode, importStart })
          .onConflictDoNothing({ target: [bankAccounts.tenantId, bankAccounts.iban, bankAccounts.currency] })
          .returning();
        if (inserted) await audit(tx.db, request, 'account.created', { type: 'account', id: inserted.id }, { currency });
        return inserted;
      });
      if (!created) {
        const [existing] = await db.select({ id: bankAccounts.id }).from(bankAccounts).where(tenantScoped(bankAccounts, request, eq(bankAccounts.iban, iban), eq(bankAccounts.currency, currency)));
        throw new HttpProblem(409, `The tenant has an account for ${iban} in ${currency} already: ${existing!.id}.`, { type: 'account-exists', extensions: { account_id: existing!.id } });
      }
      return reply.code(201).header('location', `/v1/accounts/${created.id}`).send(await view(created));
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    { schema: { tags: ['accounts'], summary: 'A bank account, and the connections that feed it', params: Params, response: { 200: Account } } },
    async (request) => view(await load(request, request.params.accountId)),
  );

  app.patch(
    '/v1/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Map a bank account to a ledger account, turn its sync on or off, or move its import start',
        description: 'An import start moved earlier is backfilled at the next sync (as far as the bank serves history).',
        params: Params,
        body: AccountUpdate,
        response: { 200: Account },
      },
    },
    async (request) => {
      const account = await load(request, request.params.accountId);
      const { ledger_account_code: ledgerAccountCode, enabled, import_start: importStart } = request.body;
      const updated = await inTransaction(database, async (tx) => {
        const [row] = await tx.db.update(bankAccounts).set({ ledgerAccountCode, enabled, importStart }).where(eq(bankAccounts.id, account.id)).returning();
        await audit(tx.db, request, 'account.updated', { type: 'account', id: account.id }, { fields: Object.keys(request.body) });
        return row!;
      });
      return view(updated);
    },
  );

  app.delete(
    '/v1/accounts/:accountId',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Remove an account that holds nothing',
        description: 'Only an account with no transactions (booked or pending) and no connection attached: 409 otherwise. Imported data is never deleted.',
        params: Params,
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const account = await load(request, request.params.accountId);
      const refusal = await inTransaction(database, async (tx) => {
        // Locked first: a sync or an import that starts now waits, and then finds no account.
        const release = await database.lockForTransaction(tx, accountLockKey(account.id), 0).catch((error: unknown) => {
          if (error instanceof LockBusyError) return undefined;
          throw error;
        });
        if (!release) return 'A sync or an import of this account is running.';
        try {
          const [held] = await tx.rows<{ transactions: boolean; attached: boolean }>(sql`
            select exists(select 1 from transactions where account_id = ${account.id})
                or exists(select 1 from pending_transactions where account_id = ${account.id} and removed_at is null) as transactions,
              exists(select 1 from connection_accounts where account_id = ${account.id} and detached_at is null) as attached`);
          if (held!.transactions) return 'The account holds transactions: they are never deleted.';
          if (held!.attached) return 'A bank connection feeds this account: disconnect it first.';
          for (const table of ['sync_runs', 'balances', 'statement_imports', 'pending_transactions', 'removed_transactions', 'connection_accounts']) {
            await tx.rows(sql`delete from ${sql.identifier(table)} where account_id = ${account.id}`);
          }
          await tx.db.delete(bankAccounts).where(eq(bankAccounts.id, account.id));
          await audit(tx.db, request, 'account.deleted', { type: 'account', id: account.id }, { currency: account.currency });
          return undefined;
        } finally {
          release();
        }
      });
      if (refusal) throw conflict(refusal, 'account-in-use');
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/v1/accounts/:accountId/refetch',
    {
      schema: {
        tags: ['accounts'],
        summary: 'Read the account from the bank again from a date (moves its Last Integration Date back)',
        description:
          "Starts a sync of the connection that feeds the account; this account is read from `from` on. Nothing is stored twice: what changed shows in the feed as modified. " +
          "A date before the first day the bank serves under the current consent, or an account no connection feeds under a valid consent, is a 422 naming the earliest date allowed and what to do. " +
          'With the person\'s IP address in PSU-IP-Address the bank counts the access as attended; without it a sync over the day\'s budget is skipped and the next scheduled sync reads from `from` instead.',
        params: Params,
        body: Refetch,
        headers: PsuHeaders,
        response: { 202: Type.Object({ sync_id: Uuid, connection_id: Uuid, from: IsoDate, status: Type.Literal('requested') }) },
      },
    },
    async (request, reply) => {
      const account = await load(request, request.params.accountId);
      const { from } = request.body;
      const plan = await planRefetch(db, { providers, clock }, account.id, from);
      if (!plan.ok) {
        if (plan.reason === 'no-consent') {
          throw new HttpProblem(422, 'No bank connection feeds this account under a valid consent: renew its connection (or link the bank again), or upload a statement file for the period.', {
            type: 'refetch-no-consent',
          });
        }
        if (plan.reason === 'in-the-future') throw new HttpProblem(422, `${from} is after the bank's today (${plan.latest}).`, { type: 'refetch-too-late', extensions: { latest: plan.latest } });
        throw new HttpProblem(422, `The bank serves this account from ${plan.earliest} on under the current consent: re-fetch from ${plan.earliest} or later, and upload a statement file for the days before.`, {
          type: 'refetch-too-early',
          extensions: { earliest: plan.earliest },
        });
      }
      // Marked, the re-fetch happens at the next sync even when Temporal cannot be told now: that is the change audited.
      await inTransaction(database, async (tx) => {
        await markRefetch(tx.db, account.id, from);
        await audit(tx.db, request, 'account.refetch_requested', { type: 'account', id: account.id }, { from, connection_id: plan.connectionId });
      });
      const psuIp = request.headers['psu-ip-address'];
      const { syncId } = await connections.syncNow(plan.connectionId, typeof psuIp === 'string' ? psuIp : undefined);
      return reply
        .code(202)
        .header('location', `/v1/syncs/${syncId}`)
        .send({ sync_id: syncId, connection_id: plan.connectionId, from, status: 'requested' as const });
    },
  );

  app.get(
    '/v1/accounts/:accountId/balances',
    {
      schema: {
        tags: ['accounts'],
        summary: 'The balances the bank reported at the last sync',
        params: Params,
        response: { 200: Type.Object({ data: Type.Array(Balance) }) },
      },
    },
    async (request) => {
      const account = await load(request, request.params.accountId);
      const [last] = await db.select({ at: balances.fetchedAt }).from(balances).where(eq(balances.accountId, account.id)).orderBy(desc(balances.fetchedAt)).limit(1);
      const rows = last ? await db.select().from(balances).where(and(eq(balances.accountId, account.id), eq(balances.fetchedAt, last.at))) : [];
      return {
        data: rows.map((b) => ({
          type: b.type,
          amount: formatAmount(parseAmount(b.amount), b.currency),
          currency: b.currency,
          reference_date: b.referenceDate,
          fetched_at: iso(b.fetchedAt)!,
        })),
      };
    },
  );

  app.get(
    '/v1/accounts/:accountId/transactions',
    {
      schema: {
        tags: ['transactions'],
        summary: "An account's booked (or pending) transactions, newest first, filtered",
        params: Params,
        querystring: TransactionQuery,
        response: { 200: Page(Transaction) },
      },
    },
    async (request) => {
      const account = await load(request, request.params.accountId);
      const { limit = 100, cursor, status = 'booked', from, to, min_amount: min, max_amount: max, q, party_id: partyId, unmatched } = request.query;
      const after = cursor ? decodeCursor(cursor, ['date', 'uuid']) : undefined;
      const alias = status === 'booked' ? sql.raw('t') : sql.raw('p');
      const date = status === 'booked' ? sql.raw('t.booking_date') : sql.raw('p.expected_date');
      const pattern = q ? `%${q.replace(/[\\%_]/g, '\\$&')}%` : undefined;
      const conditions = [
        sql`${alias}.account_id = ${account.id}`,
        status === 'pending' ? sql`p.removed_at is null` : undefined,
        from ? sql`${date} >= ${from}` : undefined,
        to ? sql`${date} <= ${to}` : undefined,
        min ? sql`${alias}.amount >= ${min}::numeric` : undefined,
        max ? sql`${alias}.amount <= ${max}::numeric` : undefined,
        pattern ? sql`(${alias}.counterparty_name ilike ${pattern} or ${alias}.remittance_information ilike ${pattern})` : undefined,
        ...partyConditions(status, request.tenantId, partyId, unmatched),
        after ? sql`(${date}, ${alias}.id) < (${after[0]}::date, ${after[1]}::uuid)` : undefined,
      ].filter((c) => c !== undefined);
      const rows = await database.rows<TransactionRow>(sql`
        select ${status === 'booked' ? bookedRow : pendingRow}
        from ${status === 'booked' ? sql.raw('transactions t') : sql.raw('pending_transactions p')}
        where ${sql.join(conditions, sql` and `)}
        order by ${date} desc, ${alias}.id desc
        limit ${limit + 1}`);
      return page(rows, limit, transactionView, (row) => [row.booking_date, row.id]);
    },
  );
};
