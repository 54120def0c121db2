/**
 * The bank's own clock: `start + (real elapsed) × scale + offset` (DESIGN.md, "Time").
 * Everything time-dependent in the Demo Bank reads it: consent expiry, which transactions exist,
 * when pending entries book, the rolling 24 h access budget.
 */
import type { ClockState } from './state.js';

export const DAY_MS = 86_400_000;

export class BankClock {
  /** Bank time and real time at the last change of scale. */
  private baseBankMs: number;
  private baseRealMs: number;
  private offsetMs = 0;

  constructor(
    start: Date,
    private scaleFactor = 1,
    private readonly realNow: () => number = Date.now,
  ) {
    if (!(scaleFactor > 0)) throw new RangeError(`clock scale must be positive, got ${scaleFactor}`);
    this.baseBankMs = start.getTime();
    this.baseRealMs = realNow();
  }

  /**
   * The clock as it would be had the bank never stopped: the time it was down passed at the speed
   * it ran at (a test's bankfeed keeps counting bank time so), never backwards.
   */
  static resume(state: ClockState, realNow: () => number = Date.now): BankClock {
    return new BankClock(new Date(state.bankMs + Math.max(0, realNow() - state.realMs) * state.scale), state.scale, realNow);
  }

  /** Changes only when the clock is moved or its speed changed, not as it runs. */
  state(): ClockState {
    return { bankMs: this.baseBankMs + this.offsetMs, realMs: this.baseRealMs, scale: this.scaleFactor };
  }

  nowMs(): number {
    return this.baseBankMs + (this.realNow() - this.baseRealMs) * this.scaleFactor + this.offsetMs;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  get scale(): number {
    return this.scaleFactor;
  }

  /** Jumps forward; the bank never goes back in time (booked entries would become pending again). */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`the clock only moves forward, got ${ms} ms`);
    this.offsetMs += ms;
  }

  /** Changes the speed from now on, without a jump. */
  setScale(scale: number): void {
    if (!(scale > 0)) throw new RangeError(`clock scale must be positive, got ${scale}`);
    const realMs = this.realNow();
    this.baseBankMs += (realMs - this.baseRealMs) * this.scaleFactor;
    this.baseRealMs = realMs;
    this.scaleFactor = scale;
  }
}

/** Days since 1970-01-01 (UTC): the Demo Bank's days run from UTC midnight to UTC midnight. */
export function epochDay(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

const isoDates = new Map<number, string>();

/** "YYYY-MM-DD" of an epoch day (memoised: paging formats the same few dates over and over). */
export function isoDate(day: number): string {
  let text = isoDates.get(day);
  if (text === undefined) {
    text = new Date(day * DAY_MS).toISOString().slice(0, 10);
    if (isoDates.size > 10_000) isoDates.clear();
    isoDates.set(day, text);
  }
  return text;
}

/** The epoch day of a strict "YYYY-MM-DD" that names a real date, else undefined. */
export function parseIsoDate(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return undefined;
  const ms = Date.parse(`${text}T00:00:00Z`);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== text) return undefined;
  return epochDay(ms);
}
