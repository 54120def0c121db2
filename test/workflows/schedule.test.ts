import { describe, expect, test } from 'vitest';
import {
  accessesInWindow, budgetFreeAt, dueReminder, nextReminderAt, nextScheduledSync, nextSlotAfter, remindersAlreadyPast, slotOffsetMs,
} from '../../workflows/schedule.js';
import { defaultTimings, scaleTimings } from '../../workflows/timings.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const t = defaultTimings;
const midnight = Date.UTC(2026, 10, 22);

describe('sync slots', () => {
  test('four a day, six hours apart, at the same times every day', () => {
    const id = 'c0ffee00-0000-4000-8000-000000000001';
    const slots = [nextSlotAfter(id, t, midnight)];
    for (let i = 0; i < 8; i++) slots.push(nextSlotAfter(id, t, slots.at(-1)!));
    expect(slots.slice(1).map((s, i) => s - slots[i]!)).toEqual(Array(8).fill(6 * HOUR));
    expect(slots[4]! - slots[0]!).toBe(DAY);
    expect(slots[0]! - midnight).toBe(slotOffsetMs(id, t));
  });

  test('the offset is stable for a connection and spreads connections over the whole period', () => {
    expect(slotOffsetMs('a', t)).toBe(slotOffsetMs('a', t));
    const offsets = Array.from({ length: 10_000 }, (_, i) => slotOffsetMs(`connection-${i}`, t));
    const perHour = Array(6).fill(0);
    for (const offset of offsets) perHour[Math.floor(offset / HOUR)]++;
    // 10,000 connections in six one-hour buckets: each close to 1,667, none crowded.
    for (const count of perHour) {
      expect(count).toBeGreaterThan(1400);
      expect(count).toBeLessThan(1950);
    }
  });

  test('scaled timings keep the shape: four slots per scaled day', () => {
    const fast = scaleTimings(t, 86_400);
    expect(fast.dayMs).toBe(1000);
    const first = nextSlotAfter('x', fast, 0);
    expect(nextSlotAfter('x', fast, first) - first).toBe(250);
  });
});

describe('the bank budget (rolling day)', () => {
  test('free until four accesses are in the window, then when the oldest of the last four leaves it', () => {
    expect(budgetFreeAt([], t)).toBe(-Infinity);
    expect(budgetFreeAt([1, 2, 3], t)).toBe(-Infinity);
    expect(budgetFreeAt([10, 40, 20, 30, 5], t)).toBe(10 + DAY + 1);
  });

  test('an initial import between slots pushes the one slot that would be the fifth access to the next', () => {
    const id = 'budget-test';
    const linkedAt = nextSlotAfter(id, t, midnight) - HOUR; // one hour before a slot
    const accesses = [linkedAt];
    let at = linkedAt;
    const syncs: number[] = [];
    for (let i = 0; i < 8; i++) {
      at = nextScheduledSync(id, t, at, accessesInWindow(accesses, t, at));
      syncs.push(at);
      accesses.push(at);
    }
    // Never more than four accesses in any 24 h window.
    for (const start of accesses) expect(accesses.filter((a) => a >= start && a < start + DAY).length).toBeLessThanOrEqual(4);
    // The slot 23 h after linking is skipped; every sync is on the slot grid.
    expect(syncs[3]! - syncs[2]!).toBe(12 * HOUR);
    for (const sync of syncs) expect((sync - slotOffsetMs(id, t)) % (6 * HOUR)).toBe(0);
  });

  test('old accesses drop out of the window', () => {
    expect(accessesInWindow([0, DAY, DAY + 5], t, DAY + 10)).toEqual([DAY, DAY + 5]);
  });
});

describe('renewal reminders', () => {
  const expires = midnight + 90 * DAY;

  test('fall due 14, 7 and 1 days before the expiry', () => {
    expect(nextReminderAt(expires, t, 0)).toBe(expires - 14 * DAY);
    expect(nextReminderAt(expires, t, 2)).toBe(expires - DAY);
    expect(nextReminderAt(expires, t, 3)).toBeUndefined();
    expect(dueReminder(expires, t, 0, expires - 15 * DAY)).toBeUndefined();
    expect(dueReminder(expires, t, 0, expires - 14 * DAY)).toBe(0);
    expect(dueReminder(expires, t, 1, expires - 10 * DAY)).toBeUndefined();
  });

  test('after downtime only the latest due reminder is sent', () => {
    expect(dueReminder(expires, t, 0, expires - 2 * DAY)).toBe(1);
    expect(dueReminder(expires, t, 0, expires - HOUR)).toBe(2);
  });

  test('a short consent skips the reminders that were past due when it started', () => {
    expect(remindersAlreadyPast(midnight + 10 * DAY, t, midnight)).toBe(1);
    expect(remindersAlreadyPast(midnight + 90 * DAY, t, midnight)).toBe(0);
    expect(remindersAlreadyPast(midnight + HOUR, t, midnight)).toBe(3);
  });
});
