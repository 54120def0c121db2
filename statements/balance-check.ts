import { addAmounts, compareAmounts, negateAmount } from '../domain/amount.js';
import type { Balance, StatementEvent } from './model.js';

/** What a statement adds up to, collected from its events. */
export interface StatementTotals {
  statementId: string;
  sequenceNumber?: string;
  currency?: string;
  openingBalance?: Balance;
  closingBalance?: Balance;
  /** Sum of the booked entries (pending and info entries are not on the balance). */
  bookedTotal: string;
  bookedCount: number;
  /** Booked entries in another currency than the statement's: they cannot be added to its balance. */
  otherCurrencyCount: number;
}

/** Collects per-statement totals from events as they stream by, so the import can check balances without keeping entries. */
export class BalanceTally {
  private readonly totals: StatementTotals[] = [];

  add(event: StatementEvent): void {
    if (event.kind === 'statement') {
      const { statementId, sequenceNumber, openingBalance, account } = event.statement;
      const currency = openingBalance?.currency ?? account.currency;
      this.totals.push({ statementId, sequenceNumber, currency, openingBalance, bookedTotal: '0', bookedCount: 0, otherCurrencyCount: 0 });
      return;
    }
    if (event.kind === 'file') return;
    const current = this.totals.at(-1);
    if (!current) throw new Error(`BalanceTally: a ${event.kind} event before any statement event`);
    if (event.kind === 'statementEnd') current.closingBalance = event.closingBalance;
    else if (event.entry.status === 'booked') {
      if (current.currency !== undefined && event.entry.currency !== current.currency) current.otherCurrencyCount++;
      else current.bookedTotal = addAmounts(current.bookedTotal, event.entry.amount);
      current.bookedCount++;
    }
  }

  get statements(): readonly StatementTotals[] {
    return this.totals;
  }
}

export interface BalanceCheck {
  statementId: string;
  sequenceNumber?: string;
  currency?: string;
  /** False when the statement lacks an opening or closing balance (CSV files have none). */
  checked: boolean;
  /** False only when checked and opening + booked entries differ from the closing balance. */
  ok: boolean;
  /** The closing balance the file states. */
  expected?: string;
  /** Opening balance + the booked entries. */
  actual?: string;
  /** actual - expected. */
  difference?: string;
  /** Why the statement was not checked or did not add up, in words. */
  reason?: string;
}

/** Opening + sum(booked entries) = closing, per statement, in exact decimals. */
export function checkBalances(statements: Iterable<StatementTotals>): BalanceCheck[] {
  return [...statements].map((totals) => {
    const { statementId, sequenceNumber, currency, openingBalance: opening, closingBalance: closing } = totals;
    const base = { statementId, ...(sequenceNumber ? { sequenceNumber } : {}), ...(currency ? { currency } : {}) };
    if (!opening || !closing) {
      return { ...base, checked: false, ok: true, reason: `no ${!opening ? 'opening' : 'closing'} balance in the file: nothing to check against` };
    }
    if (opening.currency !== closing.currency || totals.otherCurrencyCount > 0) {
      const why = opening.currency !== closing.currency ? `opening balance in ${opening.currency}, closing balance in ${closing.currency}` : `${totals.otherCurrencyCount} booked entries in another currency than ${opening.currency}`;
      return { ...base, checked: true, ok: false, expected: closing.amount, reason: `the balances cannot be checked: ${why}` };
    }
    const actual = addAmounts(opening.amount, totals.bookedTotal);
    const difference = addAmounts(actual, negateAmount(closing.amount));
    const ok = compareAmounts(difference, '0') === 0;
    return {
      ...base,
      checked: true,
      ok,
      expected: closing.amount,
      actual,
      difference,
      ...(ok ? {} : { reason: `opening ${opening.amount} + ${totals.bookedCount} booked entries (${totals.bookedTotal}) = ${actual} ${opening.currency}, but the closing balance is ${closing.amount}` }),
    };
  });
}
