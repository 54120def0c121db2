import type { BalanceCheck } from '../statements/index.js';

/** One statement of a file as an import or a preview reports it: its entries, balances and their check. */
export interface StatementSummary {
  statementId: string;
  sequenceNumber?: string;
  fromDate?: string;
  toDate?: string;
  /** Entries of any status in the statement. */
  entries: number;
  opening?: string;
  closing?: string;
  /** Sum of the booked entries. */
  sum: string;
  currency?: string;
  balance: BalanceCheck;
}
