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
  /** Retries of a notice's delivery (webhook, e-mail); real time, not scaled. Missing in older inputs: the default. */
  deliveryRetry?: DeliveryRetry;
}

/** Exponential backoff (coefficient 2) from `initialIntervalMs` up to `maximumIntervalMs` per wait, for `expirationMs` in all. */
export interface DeliveryRetry {
  initialIntervalMs: number;
  maximumIntervalMs: number;
  expirationMs: number;
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
  deliveryRetry: { initialIntervalMs: 5_000, maximumIntervalMs: HOUR, expirationMs: DAY },
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
