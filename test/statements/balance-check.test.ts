import { describe, expect, test } from 'vitest';
import { BalanceTally, checkBalances } from '../../statements/balance-check.js';
import type { StatementEntry, StatementEvent } from '../../statements/model.js';

const entry = (amount: string, changes: Partial<StatementEntry> = {}): StatementEvent => ({
  kind: 'entry',
  entry: { status: 'booked', bookingDate: '2024-01-02', amount, currency: 'EUR', reversal: false, location: 'line 1', ...changes },
});
const balance = (amount: string, currency = 'EUR') => ({ amount, currency, date: '2024-01-02' });

function check(events: StatementEvent[]) {
  const tally = new BalanceTally();
  for (const event of events) tally.add(event);
  return checkBalances(tally.statements);
}

describe('checkBalances: opening + booked entries = closing, per statement', () => {
  test('consistent statements, exactly (no floating point drift over many cents)', () => {
    const cents = Array.from({ length: 1000 }, () => entry('0.01'));
    expect(check([
      { kind: 'file', format: 'mt940' },
      { kind: 'statement', statement: { statementId: 'A', sequenceNumber: '1', account: { currency: 'EUR' }, openingBalance: balance('0.1') } },
      ...cents,
      entry('0.2'),
      { kind: 'statementEnd', closingBalance: balance('10.3') },
    ])).toEqual([{ statementId: 'A', sequenceNumber: '1', currency: 'EUR', checked: true, ok: true, expected: '10.3', actual: '10.3', difference: '0' }]);
  });

  test('an inconsistent statement reports expected, actual and the difference; pending and info entries do not count', () => {
    const [first, second] = check([
      { kind: 'statement', statement: { statementId: 'A', account: {}, openingBalance: balance('100') } },
      entry('-30.5'),
      entry('500', { status: 'pending' }),
      entry('7', { status: 'info' }),
      { kind: 'statementEnd', closingBalance: balance('70') },
      { kind: 'statement', statement: { statementId: 'B', account: {}, openingBalance: balance('70') } },
      entry('-80'),
      { kind: 'statementEnd', closingBalance: balance('-10') },
    ]);
    expect(first).toEqual({
      statementId: 'A', currency: 'EUR', checked: true, ok: false, expected: '70', actual: '69.5', difference: '-0.5',
      reason: 'opening 100 + 1 booked entries (-30.5) = 69.5 EUR, but the closing balance is 70',
    });
    expect(second).toMatchObject({ statementId: 'B', ok: true, difference: '0' });
  });

  test('a statement without balances (CSV) is not checked, and not failed', () => {
    expect(check([
      { kind: 'statement', statement: { statementId: 'csv:1', account: { currency: 'EUR' } } },
      entry('5'),
      { kind: 'statementEnd', contentSha256: 'x' },
    ])).toEqual([{ statementId: 'csv:1', currency: 'EUR', checked: false, ok: true, reason: 'no opening balance in the file: nothing to check against' }]);
  });

  test('entries or balances in another currency cannot add up', () => {
    const [mixedEntries] = check([
      { kind: 'statement', statement: { statementId: 'A', account: {}, openingBalance: balance('0') } },
      entry('5', { currency: 'USD' }),
      { kind: 'statementEnd', closingBalance: balance('0') },
    ]);
    expect(mixedEntries).toMatchObject({ ok: false, checked: true, reason: 'the balances cannot be checked: 1 booked entries in another currency than EUR' });
    const [mixedBalances] = check([
      { kind: 'statement', statement: { statementId: 'A', account: {}, openingBalance: balance('0') } },
      { kind: 'statementEnd', closingBalance: balance('0', 'USD') },
    ]);
    expect(mixedBalances).toMatchObject({ ok: false, reason: 'the balances cannot be checked: opening balance in EUR, closing balance in USD' });
  });

  test('an entry before any statement is a programming error', () => {
    expect(() => new BalanceTally().add(entry('1'))).toThrow(/before any statement event/);
  });
});
