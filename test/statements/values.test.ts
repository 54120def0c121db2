import { describe, expect, test } from 'vitest';
import { calendarDate, datePart, daysBetween, isoDate, parseDate } from '../../statements/dates.js';
import { normaliseIban } from '../../domain/iban.js';
import { cleanReference, cleanText } from '../../statements/text.js';

describe('dates', () => {
  test('calendar dates, leap years included', () => {
    expect(calendarDate(2024, 2, 29)).toBe('2024-02-29');
    expect(calendarDate(2023, 2, 29)).toBeUndefined();
    expect(calendarDate(1900, 2, 29)).toBeUndefined();
    expect(calendarDate(2000, 2, 29)).toBe('2000-02-29');
    expect(calendarDate(2024, 4, 31)).toBeUndefined();
    expect(calendarDate(2024, 0, 1)).toBeUndefined();
    expect(isoDate('2024-12-31')).toBe('2024-12-31');
    expect(isoDate('2024-1-31')).toBeUndefined();
  });

  test('the date part of a date-time, as written (no time-zone shift)', () => {
    expect(datePart('2024-03-31T23:30:00-05:00')).toBe('2024-03-31');
    expect(datePart('2024-03-31T23:30:00.123Z')).toBe('2024-03-31');
    expect(datePart('2024-03-31+01:00')).toBe('2024-03-31');
    expect(datePart('2024-03-31T25')).toBeUndefined();
    expect(datePart('2024-03-32')).toBeUndefined();
  });

  test('days between dates across months, years and leap days', () => {
    expect(daysBetween('2023-12-29', '2024-01-02')).toBe(4);
    expect(daysBetween('2024-03-01', '2024-02-28')).toBe(-2);
    expect(daysBetween('2023-01-01', '2024-01-01')).toBe(365);
  });

  test('a time after a CSV date is ignored, other trailing text is not', () => {
    expect(parseDate(' 05.06.2024 ', 'DD.MM.YYYY')).toBe('2024-06-05');
    expect(parseDate('05.06.2024 10:00', 'DD.MM.YYYY')).toBe('2024-06-05');
    expect(parseDate('05.06.2024x', 'DD.MM.YYYY')).toBeUndefined();
    expect(parseDate('05.06.20245', 'DD.MM.YYYY')).toBeUndefined();
  });
});

describe('IBANs', () => {
  test('check digits, spaces and case', () => {
    expect(normaliseIban('de89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000');
    expect(normaliseIban('GB82WEST12345698765432')).toBe('GB82WEST12345698765432');
    expect(normaliseIban('DE89370400440532013001')).toBeUndefined();
    expect(normaliseIban('0532013000')).toBeUndefined();
  });
});

describe('text values', () => {
  test('white space collapses; empty is absent', () => {
    expect(cleanText('  a \n b\t')).toBe('a b');
    expect(cleanText(' \n ')).toBeUndefined();
  });
  test.each(['NONREF', 'nonref', 'NOTPROVIDED', 'NOT PROVIDED', '0', '000', ' ', ''])('reference placeholder %j is absent', (reference) => {
    expect(cleanReference(reference)).toBeUndefined();
  });
  test('a real reference is trimmed', () => expect(cleanReference(' 0815 ')).toBe('0815'));
});
