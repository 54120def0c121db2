import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@fastify/type-provider-typebox';
import { sql } from 'drizzle-orm';
import { changeHorizon } from '../../db/change-horizon.js';
import { decodeCursor, encodeCursor } from '../pagination.js';
import { HttpProblem } from '../problems.js';
import { Nullable, Uuid } from '../schemas/common.js';
import { Transaction, transactionView, type TransactionRow } from '../schemas/transactions.js';
import { bookedRow, pendingRow, removedRow } from '../transaction-rows.js';

const Removed = Type.Object({
  id: Uuid,
  account_id: Uuid,
  settled_transaction_id: Nullable(Type.String({ format: 'uuid', description: 'the booked transaction that replaced this pending entry, if known' })),
  replaced_by: Nullable(Type.String({ format: 'uuid', description: 'a booked transaction removed as a duplicate: the transaction that holds it' })),
});

type ChangeRow = TransactionRow & { created_xid: string; changed_xid: string; change_seq: string | number; removed_at: Date | null; replaced_by: string | null };

/**
 * GET /v1/transactions/sync: everything added, modified and removed since a cursor, Plaid-style.
 *
 * Rows carry the database transaction that last changed them (xid) and a sequence number. A
 * page holds only changes below the horizon, in (xid, seq) order: every database transaction
 * below it had finished when the page was read, so a sync committing while the ledger reads can
 * never put a change behind a cursor already handed out. The horizon is the snapshot's oldest
 * transaction still running, skipping those running in another database of the cluster (a
 * backend never changes database, so they cannot write these tables): a long report or migration
 * elsewhere does not hold the feed back.
 */
export const transactionFeedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { database } = app.deps;

  app.get(
    '/v1/transactions/sync',
    {
      schema: {
        tags: ['transactions'],
        summary: 'Changes since a cursor: added, modified and removed transactions',
        description:
          'Start without a cursor, then pass `next_cursor` back until `has_more` is false; keep the last cursor for next time. ' +
          'Pending entries come as `status: "pending"` and go to `removed` when they book (the booked one names them in `pending_transaction_id`) or vanish. ' +
          'Treat `added` as an upsert: at the edge of a page an entry can be added twice.',
        querystring: Type.Object({
          cursor: Type.Optional(Type.String({ maxLength: 200 })),
          count: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
          account_id: Type.Optional(Uuid),
        }),
        response: {
          200: Type.Object({
            added: Type.Array(Transaction),
            modified: Type.Array(Transaction),
            removed: Type.Array(Removed),
            next_cursor: Type.String(),
            has_more: Type.Boolean(),
          }),
        },
      },
    },
    async (request) => {
      const { count = 100, account_id: accountId = '' } = request.query;
      const [xid, seq, filter] = request.query.cursor ? decodeCursor(request.query.cursor, ['xid', 'count', 'filter']) : ['0', 0, accountId];
      if (filter !== accountId) throw new HttpProblem(400, 'The cursor belongs to another account_id filter.', { type: 'invalid-cursor' });

      const scope = (alias: 't' | 'p' | 'r') => sql`
        join bank_accounts a on a.id = ${sql.raw(alias)}.account_id
        where a.tenant_id = ${request.tenantId}
          ${accountId ? sql`and ${sql.raw(alias)}.account_id = ${accountId}` : sql``}
          and (${sql.raw(alias)}.changed_xid, ${sql.raw(alias)}.change_seq) > (${xid}::xid8, ${seq}::bigint)
          and ${sql.raw(alias)}.changed_xid < (select xid from horizon)`;
      const rows = await database.rows<ChangeRow>(sql`
        with ${changeHorizon}
        select * from (
          select ${bookedRow}, t.created_xid::text as created_xid, t.changed_xid::text as changed_xid, t.changed_xid as changed_order, t.change_seq,
            null::timestamptz as removed_at, null::uuid as replaced_by
          from transactions t ${scope('t')}
          union all
          select ${pendingRow}, p.created_xid::text, p.changed_xid::text, p.changed_xid, p.change_seq, p.removed_at, null::uuid
          from pending_transactions p ${scope('p')}
          union all
          select ${removedRow}, r.created_xid::text, r.changed_xid::text, r.changed_xid, r.change_seq, r.removed_at, r.replaced_by
          from removed_transactions r ${scope('r')}
        ) changes
        order by changed_order, change_seq
        limit ${count + 1}`);

      const hasMore = rows.length > count;
      const shown = hasMore ? rows.slice(0, count) : rows;
      const added = [];
      const modified = [];
      const removed = [];
      for (const row of shown) {
        if (row.removed_at) removed.push({ id: row.id, account_id: row.account_id, settled_transaction_id: row.settled_transaction_id, replaced_by: row.replaced_by });
        // Created at or after the cursor's database transaction: new to the reader (or possibly seen once, at a page's edge).
        else if (BigInt(row.created_xid) >= BigInt(xid)) added.push(transactionView(row));
        else modified.push(transactionView(row));
      }
      const last = shown.at(-1);
      return {
        added,
        modified,
        removed,
        next_cursor: encodeCursor(last ? [last.changed_xid, Number(last.change_seq), accountId] : [xid, seq, accountId]),
        has_more: hasMore,
      };
    },
  );
};
