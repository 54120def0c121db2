import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  addAmounts, amountIdentity, AmountError, compareAmounts, formatAmount, fromMinorUnits, minorUnits, negateAmount, parseAmount, sumAmounts,
} from '../../domain/amount.js';

describe('parseAmount', () => {
  test.each([
    ['12.50', '12.5'], ['-0012.500', '-12.5'], ['+7', '7'], ['0.00', '0'], ['-0.00', '0'], [' 3.1 ', '3.1'],
    ['1200', '1200'], ['0.0001', '0.0001'], ['99999999999999.999', '99999999999999.999'],
  ])('%s is %s', (text, canonical) => expect(parseAmount(text)).toBe(canonical));

  test('decimal comma and grouping, as in MT940 and European CSV files', () => {
    expect(parseAmount('1.234,56', { decimalSeparator: ',', thousandsSeparator: '.' })).toBe('1234.56');
    expect(parseAmount('-1 234,5', { decimalSeparator: ',', thousandsSeparator: ' ' })).toBe('-1234.5');
    expect(parseAmount('100,', { decimalSeparator: ',' })).toBe('100');
  });

  test.each(['', '-', '1.2.3', '1e5', '12,50', 'NaN', '١٢', '0x10', '1.23456', '12345678901234567'])('%j is refused', (text) => {
    expect(() => parseAmount(text)).toThrow(AmountError);
  });

  test('grouping separators stand only between groups of three integer digits', () => {
    expect(parseAmount('1,234,567.8', { thousandsSeparator: ',' })).toBe('1234567.8');
    expect(parseAmount("-12'345.5", { thousandsSeparator: "'" })).toBe('-12345.5');
    for (const text of ['1.50,00', '12.34', '1.2345,6', '.123,4', '1.234.', '1,234.5']) {
      expect(() => parseAmount(text, { decimalSeparator: ',', thousandsSeparator: '.' })).toThrow(/digit groups of three/);
    }
    expect(() => parseAmount('1,50', { thousandsSeparator: ',' })).toThrow(AmountError);
  });

  test('a decimal point where a comma is expected is refused, not misread', () => {
    expect(() => parseAmount('1.50', { decimalSeparator: ',' })).toThrow(/expected a decimal comma/);
  });
});

describe('arithmetic is exact', () => {
  test('0.1 + 0.2 = 0.3', () => expect(addAmounts('0.1', '0.2')).toBe('0.3'));
  test('sums of many small amounts do not drift', () => {
    expect(sumAmounts(Array.from({ length: 10_000 }, () => '0.01'))).toBe('100');
    expect(sumAmounts(['-12.5', '12.50', '0.001'])).toBe('0.001');
  });
  test('negate and compare', () => {
    expect(negateAmount('12.5')).toBe('-12.5');
    expect(negateAmount('0')).toBe('0');
    expect(compareAmounts('-1', '0.5')).toBe(-1);
    expect(compareAmounts('2.50', '2.5')).toBe(0);
    expect(compareAmounts('10', '9.999')).toBe(1);
  });
});

describe('currencies', () => {
  test('minor units follow ISO 4217 decimals', () => {
    expect(minorUnits('-12.5', 'EUR')).toBe(-1250n);
    expect(minorUnits('1200', 'JPY')).toBe(1200n);
    expect(minorUnits('1.234', 'KWD')).toBe(1234n);
    expect(() => minorUnits('0.005', 'EUR')).toThrow(/more decimals than EUR allows/);
  });
  test('minor units back to an amount', () => {
    expect(fromMinorUnits(-1250n, 'EUR')).toBe('-12.5');
    expect(fromMinorUnits(-5n, 'DKK')).toBe('-0.05');
    expect(fromMinorUnits(1200n, 'JPY')).toBe('1200');
    expect(fromMinorUnits(1234n, 'KWD')).toBe('1.234');
    expect(fromMinorUnits(0n, 'SEK')).toBe('0');
    for (const units of [-100001n, -1n, 7n, 123456789012n]) expect(minorUnits(fromMinorUnits(units, 'EUR'), 'EUR')).toBe(units);
  });
  test('amountIdentity is the minor units of the parsed amount, or the exact decimal when finer', () => {
    const reference = (text: string, currency: string) => {
      const amount = parseAmount(text);
      try {
        return minorUnits(amount, currency).toString();
      } catch (error) {
        if (error instanceof AmountError) return amount;
        throw error;
      }
    };
    const amounts = fc
      .tuple(fc.constantFrom('', '-', '+', ' '), fc.oneof(fc.constantFrom('0', '00', '1'), fc.stringMatching(/^\d{1,17}$/)), fc.option(fc.oneof(fc.constantFrom('0', '00', '50'), fc.stringMatching(/^\d{0,5}$/))))
      .map(([sign, integer, fraction]) => `${sign}${integer}${fraction === null ? '' : `.${fraction}`}`);
    fc.assert(
      fc.property(amounts, fc.constantFrom('EUR', 'JPY', 'KWD', 'CLF'), (text, currency) => {
        let expected: string | Error;
        try {
          expected = reference(text, currency);
        } catch (error) {
          expected = error as Error;
        }
        if (expected instanceof Error) expect(() => amountIdentity(text, currency)).toThrow(expected.message);
        else expect(amountIdentity(text, currency)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(amountIdentity('-12.50', 'EUR')).toBe('-1250');
    expect(amountIdentity('-0.00', 'EUR')).toBe('0');
    expect(amountIdentity('0.005', 'EUR')).toBe('0.005');
  });

  test('formatting pads to the currency decimals', () => {
    expect(formatAmount('-12.5', 'EUR')).toBe('-12.50');
    expect(formatAmount('0', 'DKK')).toBe('0.00');
    expect(formatAmount('0.5', 'SEK')).toBe('0.50');
    expect(formatAmount('7', 'JPY')).toBe('7');
    expect(formatAmount('0.005', 'EUR')).toBe('0.005');
  });
});
