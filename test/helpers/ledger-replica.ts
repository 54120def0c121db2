import type { FastifyInstance } from 'fastify';
import type { TransactionView } from '../../api/schemas/transactions.js';
import { contentKey } from '../../transactions/identity.js';

interface FeedPage {
  added: TransactionView[];
  modified: TransactionView[];
  removed: { id: string; account_id: string; replaced_by: string | null }[];
  next_cursor: string;
  has_more: boolean;
}

/**
 * What a ledger app holds when it follows GET /v1/transactions/sync as the README says: added and
 * modified are upserts by id, removed deletes. `catchUp` reads on from the last cursor.
 */
export class LedgerReplica {
  readonly rows = new Map<string, TransactionView>();
  cursor = '';
  readonly seen = { added: [] as string[], modified: [] as string[], removed: [] as string[] };

  constructor(
    private readonly app: FastifyInstance,
    private readonly headers: Record<string, string>,
  ) {}

  async catchUp(): Promise<this> {
    for (;;) {
      const response = await this.app.inject({ method: 'GET', url: `/v1/transactions/sync?count=500${this.cursor && `&cursor=${this.cursor}`}`, headers: this.headers });
      if (response.statusCode !== 200) throw new Error(`the feed answered ${response.statusCode}: ${response.body}`);
      const page = response.json<FeedPage>();
      for (const row of [...page.added, ...page.modified]) this.rows.set(row.id, row);
      for (const gone of page.removed) this.rows.delete(gone.id);
      this.seen.added.push(...page.added.map((r) => r.id));
      this.seen.modified.push(...page.modified.map((r) => r.id));
      this.seen.removed.push(...page.removed.map((r) => r.id));
      this.cursor = page.next_cursor;
      if (!page.has_more) return this;
    }
  }

  /** The booked transactions of an account between two days, as sorted content keys (a twin shows as a repeat). */
  booked(accountId: string, from: string, to: string): string[] {
    return [...this.rows.values()]
      .filter((row) => row.account_id === accountId && row.status === 'booked' && row.booking_date >= from && row.booking_date <= to)
      .map((row) =>
        contentKey({
          bookingDate: row.booking_date,
          amount: row.amount,
          currency: row.currency,
          counterpartyName: row.counterparty_name,
          counterpartyIban: row.counterparty_iban,
          remittanceInformation: row.remittance_information,
        }),
      )
      .sort();
  }
}
