import { describe, expect, test } from 'vitest';
import { scaledClock } from '../../time/bank-clock.js';
import { addDays, dateInZone, daysBetween, isIsoDate, startOfDay } from '../../domain/dates.js';

describe('dates', () => {
  test('arithmetic across months, leap days and years', () => {
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(daysBetween('2026-01-10', '2026-01-01')).toBe(-9);
  });

  test('validation', () => {
    expect(isIsoDate('2028-02-29')).toBe(true);
    for (const bad of ['2026-02-29', '2026-13-01', '2026-1-1', '20260101', '']) expect(isIsoDate(bad)).toBe(false);
  });

  test('a bank day in its own time zone, across daylight saving changes', () => {
    expect(dateInZone(new Date('2026-11-22T23:30:00Z'), 'Europe/Berlin')).toBe('2026-11-23');
    expect(dateInZone(new Date('2026-11-22T23:30:00Z'), 'UTC')).toBe('2026-11-22');
    expect(startOfDay('2026-11-23', 'Europe/Berlin').toISOString()).toBe('2026-11-22T23:00:00.000Z');
    expect(startOfDay('2026-07-01', 'Europe/Berlin').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfDay('2026-03-29', 'Europe/Berlin').toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(startOfDay('2026-10-25', 'Europe/Berlin').toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfDay('2026-11-23', 'UTC').toISOString()).toBe('2026-11-23T00:00:00.000Z');
  });
});

test('a scaled clock maps bank time to real time and back', () => {
  const origin = new Date();
  const clock = scaledClock(86_400, origin);
  const inThirtyBankDays = new Date(origin.getTime() + 30 * 86_400_000);
  expect(clock.toReal(inThirtyBankDays).getTime() - origin.getTime()).toBe(30_000);
  expect(clock.bankNow().getTime()).toBeGreaterThanOrEqual(origin.getTime());
});
