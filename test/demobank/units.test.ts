import { describe, expect, test } from 'vitest';
import { AccessBudget } from '../../demobank/budget.js';
import { BankClock, DAY_MS, epochDay, isoDate, parseIsoDate } from '../../demobank/clock.js';
import { DurationError, parseDuration } from '../../demobank/duration.js';
import { dailyCount, generateDay } from '../../demobank/generator.js';
import { isValidIban, makeIban } from '../../demobank/iban.js';
import { demoUsers } from '../../demobank/users.js';

describe('parseDuration', () => {
  test.each([
    ['P1D', DAY_MS], ['PT6H', 6 * 3_600_000], ['P2W', 14 * DAY_MS], ['P1DT12H30M', DAY_MS + 12.5 * 3_600_000], ['PT0.5S', 500], ['PT0S', 0],
  ])('%s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  test.each(['P', 'PT', 'P1DT', '1D', 'P1M', 'P1Y', '-P1D', 'p1d', 'P1.5D'])('%j is refused', (text) => {
    expect(() => parseDuration(text)).toThrow(DurationError);
  });
});

describe('IBANs', () => {
  test('known good and bad IBANs', () => {
    expect(isValidIban('DE89 3704 0044 0532 0130 00')).toBe(true);
    expect(isValidIban('GB82WEST12345698765432')).toBe(true);
    expect(isValidIban('DE89370400440532013001')).toBe(false);
    expect(isValidIban('DE8937040044053201300')).toBe(false);
  });

  test('makeIban computes the check digits', () => {
    expect(makeIban('DE', '370400440532013000')).toBe('DE89370400440532013000');
    expect(makeIban('GB', 'WEST12345698765432')).toBe('GB82WEST12345698765432');
  });
});

describe('BankClock', () => {
  test('start + real elapsed × scale + offset; a change of scale does not jump', () => {
    let real = 1_000;
    const clock = new BankClock(new Date('2025-01-01T00:00:00Z'), 60, () => real);
    const start = Date.parse('2025-01-01T00:00:00Z');
    real += 1_000;
    expect(clock.nowMs()).toBe(start + 60_000);
    clock.advance(DAY_MS);
    expect(clock.nowMs()).toBe(start + 60_000 + DAY_MS);
    clock.setScale(1);
    expect(clock.nowMs()).toBe(start + 60_000 + DAY_MS);
    real += 1_000;
    expect(clock.nowMs()).toBe(start + 61_000 + DAY_MS);
    expect(() => clock.advance(-1)).toThrow(RangeError);
    expect(() => clock.setScale(0)).toThrow(RangeError);
  });

  test('days are UTC days', () => {
    expect(isoDate(epochDay(Date.parse('2024-02-29T23:59:59Z')))).toBe('2024-02-29');
    expect(parseIsoDate('2024-02-29')).toBe(epochDay(Date.parse('2024-02-29T00:00:00Z')));
    expect(parseIsoDate('2025-02-29')).toBeUndefined();
    expect(parseIsoDate('2025-1-01')).toBeUndefined();
  });
});

describe('AccessBudget', () => {
  test('a rolling window of 24 hours per scope', () => {
    const budget = new AccessBudget();
    expect(budget.take('a', 2, 0)).toBe(true);
    expect(budget.take('a', 2, 10)).toBe(true);
    expect(budget.take('a', 2, DAY_MS - 1)).toBe(false);
    expect(budget.take('b', 2, DAY_MS - 1)).toBe(true);
    expect(budget.take('a', 2, DAY_MS + 1)).toBe(true);
    expect(budget.take('a', 2, DAY_MS + 2)).toBe(false);
  });
});

describe('generation', () => {
  const account = demoUsers().find((user) => user.username === 'firma')!.accounts[0]!;

  test('daily counts add up to the account size over any window of its history length, without drift', () => {
    for (const size of [1, 300, 11_000, 1_000_000]) {
      const sized = { ...account, historyTransactions: size };
      for (const first of [0, 19_000, 20_123]) {
        let total = 0;
        for (let day = first; day < first + 728; day++) total += dailyCount(sized, 728, day);
        expect(total, `${size} from day ${first}`).toBe(size);
      }
    }
  });

  test('a day\'s entries are a pure function of seed, account and day', () => {
    expect(generateDay('s', account, 730, 20_000)).toEqual(generateDay('s', account, 730, 20_000));
    expect(generateDay('s', account, 730, 20_000)).not.toEqual(generateDay('t', account, 730, 20_000));
    const entries = generateDay('s', account, 730, 20_000);
    expect(entries.map((entry) => entry.atMs)).toEqual(entries.map((entry) => entry.atMs).sort((a, b) => a - b));
    for (const entry of entries) expect(epochDay(entry.atMs)).toBe(20_000);
  });
});
