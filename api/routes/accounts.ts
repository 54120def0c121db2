import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { and, desc, eq, gt, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import type { Database } from '../../db/client.js';
import { balances, bankAccounts, bankConnections } from '../../db/schema.js';
import { decodeCursor, page } from '../pagination.js';
import { orNotFound } from '../problems.js';
import { Account, AccountUpdate, accountView } from '../schemas/accounts.js';
import { Amount, Currency, Instant, IsoDate, Nullable, Page, PageQuery, iso, Uuid } from '../schemas/common.js';
import { Transaction, transactionView, type TransactionRow } from '../schemas/transactions.js';
import { tenantScoped } from '../tenant-scope.js';
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
});

/** The caller's account, or 404 (accounts belong to a tenant through their connection). */
export async function tenantAccount(db: Database, request: FastifyRequest, accountId: string) {
  const [row] = await db
    .select({ account: bankAccounts })
    .from(bankAccounts)
    .innerJoin(bankConnections, eq(bankConnections.id, bankAccounts.connectionId))
    .where(tenantScoped(bankConnections, request, eq(bankAccounts.id, accountId)));
  return orNotFound(row, 'account', accountId).account;
}

/** The tenant's bank accounts: mapping to the ledger, balances, transactions. */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;
  const { db } = database;

  const load = (request: FastifyRequest, accountId: string) => tenantAccount(db, request, accountId);

  app.get(
    '/v1/accounts',
    {
      schema: {
        tags: ['accounts'],
        summary: "The tenant's bank accounts",
        querystring: Type.Object({ ...PageQuery, connection_id: Type.Optional(Uuid) }),
        response: { 200: Page(Account) },
      },
    },
    async (request) => {
      const { limit = 100, cursor, connection_id: connectionId } = request.query;
      const after = cursor ? decodeCursor<[string]>(cursor, ['string']) : undefined;
      const rows = await db
        .select({ account: bankAccounts })
        .from(bankAccounts)
        .innerJoin(bankConnections, eq(bankConnections.id, bankAccounts.connectionId))
        .where(tenantScoped(bankConnections, request, connectionId ? eq(bankAccounts.connectionId, connectionId) : undefined, after ? gt(bankAccounts.id, after[0]) : undefined))
        .orderBy(bankAccounts.id)
        .limit(limit + 1);
      return page(rows, limit, (row) => accountView(row.account), (row) => [row.account.id]);
    },
  );

  app.get(
    '/v1/accounts/:accountId',
    { schema: { tags: ['accounts'], summary: 'A bank account', params: Params, response: { 200: Account } } },
    async (request) => accountView(await load(request, request.params.accountId)),
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
      const [updated] = await db.update(bankAccounts).set({ ledgerAccountCode, enabled, importStart }).where(eq(bankAccounts.id, account.id)).returning();
      return accountView(updated!);
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
      const { limit = 100, cursor, status = 'booked', from, to, min_amount: min, max_amount: max, q } = request.query;
      const after = cursor ? decodeCursor<[string, string]>(cursor, ['string', 'string']) : undefined;
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
