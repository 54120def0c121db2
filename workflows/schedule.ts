import type { Timings } from './timings.js';

/**
 * When a connection syncs unattended: `syncsPerDay` slots a day, a fixed distance apart, shifted
 * by an offset that is a hash of the connection id. Every connection keeps its times of day, and
 * 10,000 connections spread over the whole period instead of all firing at 06:00.
 */
export function slotOffsetMs(connectionId: string, timings: Timings): number {
  // FNV-1a: stable across processes and versions, unlike anything seeded.
  let hash = 0x811c9dc5;
  for (let i = 0; i < connectionId.length; i++) {
    hash ^= connectionId.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash % slotPeriodMs(timings);
}

export function slotPeriodMs(timings: Timings): number {
  return Math.floor(timings.dayMs / timings.syncsPerDay);
}

/** The first slot strictly after `afterMs`. */
export function nextSlotAfter(connectionId: string, timings: Timings, afterMs: number): number {
  const period = slotPeriodMs(timings);
  const offset = slotOffsetMs(connectionId, timings);
  return offset + (Math.floor((afterMs - offset) / period) + 1) * period;
}

/**
 * The bank counts unattended accesses on a rolling day: with `syncsPerDay` of them in the last
 * `dayMs`, the next may start only once the oldest of those has left the window.
 *
 * @param accessesMs when recent unattended syncs reached the bank, any order
 */
export function budgetFreeAt(accessesMs: readonly number[], timings: Timings): number {
  if (accessesMs.length < timings.syncsPerDay) return -Infinity;
  const newestFirst = [...accessesMs].sort((a, b) => b - a);
  return newestFirst[timings.syncsPerDay - 1]! + timings.dayMs + 1;
}

/** Accesses that still count at `nowMs`; older ones can be forgotten. */
export function accessesInWindow(accessesMs: readonly number[], timings: Timings, nowMs: number): number[] {
  return accessesMs.filter((at) => at > nowMs - timings.dayMs);
}

/** The next unattended sync: the first slot after the last one that is also within the bank's budget. */
export function nextScheduledSync(connectionId: string, timings: Timings, afterMs: number, accessesMs: readonly number[]): number {
  const free = budgetFreeAt(accessesMs, timings);
  return nextSlotAfter(connectionId, timings, Math.max(afterMs, free - 1));
}

/**
 * Reminders due by `nowMs` that have not been sent: the index of the latest one, or undefined.
 * When several fell due together (a worker was down), only the latest is worth sending.
 */
export function dueReminder(expiresAtMs: number, timings: Timings, sent: number, nowMs: number): number | undefined {
  let due: number | undefined;
  timings.reminderOffsetsMs.forEach((offset, index) => {
    if (index >= sent && expiresAtMs - offset <= nowMs) due = index;
  });
  return due;
}

/** When the next unsent reminder falls due, if any is left. */
export function nextReminderAt(expiresAtMs: number, timings: Timings, sent: number): number | undefined {
  const offset = timings.reminderOffsetsMs[sent];
  return offset === undefined ? undefined : expiresAtMs - offset;
}

/**
 * How many reminders count as sent when a consent starts: those already past due then are
 * skipped, so a 10-day consent never says "expires in 14 days".
 */
export function remindersAlreadyPast(expiresAtMs: number, timings: Timings, nowMs: number): number {
  return timings.reminderOffsetsMs.filter((offset) => expiresAtMs - offset <= nowMs).length;
}
