/**
 * Every duration the connection workflow waits on. Production uses the defaults; tests run the
 * same code with `scaleTimings(defaultTimings, factor)`, so that 90 days pass in 90 seconds on the
 * real Temporal server, with the Demo Bank's clock running at the same factor.
 */
export interface Timings {
  /** The length of a day: sync slots repeat and the bank's budget rolls over this period. */
  dayMs: number;
  /** Unattended syncs per day, spread evenly with a stable per-connection offset. */
  syncsPerDay: number;
  /** Renewal reminders, this long before the consent's expiry (longest first). */
  reminderOffsetsMs: number[];
  /** How long a user has to finish logging in at the bank. */
  linkTimeoutMs: number;
  /** Bank days re-read before the watermark on every sync, to catch late bookings (not scaled: a date range). */
  overlapDays: number;
  /** Consent length asked for in bank days, capped by what the institution allows (not scaled). */
  consentDays: number;
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;

export const defaultTimings: Timings = {
  dayMs: DAY,
  syncsPerDay: 4,
  reminderOffsetsMs: [14 * DAY, 7 * DAY, 1 * DAY],
  linkTimeoutMs: HOUR,
  overlapDays: 7,
  consentDays: 90,
};

/** The same timings with every waited-on duration divided by `factor` (86,400 turns a day into a second). */
export function scaleTimings(timings: Timings, factor: number): Timings {
  const scale = (ms: number) => Math.max(1, Math.round(ms / factor));
  return {
    ...timings,
    dayMs: scale(timings.dayMs),
    reminderOffsetsMs: timings.reminderOffsetsMs.map(scale),
    linkTimeoutMs: scale(timings.linkTimeoutMs),
  };
}
