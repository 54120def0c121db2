/**
 * The unattended-access budget: a consent's `frequencyPerDay` calls per account and endpoint in
 * any rolling 24 hours of the bank's clock. Calls with a PSU-IP-Address (the PSU is present) are
 * not counted, and neither are follow-up pages of one transaction report.
 */
import { DAY_MS } from './clock.js';
import type { BudgetState } from './state.js';

export class AccessBudget {
  /** Bank instants of the counted calls of each scope, oldest first. */
  private readonly calls: Map<string, number[]>;

  constructor(saved: BudgetState = {}) {
    this.calls = new Map(Object.entries(saved));
  }

  /** Counts a call and says yes, or says no (and counts nothing) when the window is full. */
  take(scope: string, perDay: number, nowMs: number): boolean {
    const recent = (this.calls.get(scope) ?? []).filter((atMs) => atMs > nowMs - DAY_MS);
    if (recent.length >= perDay) {
      this.calls.set(scope, recent);
      return false;
    }
    recent.push(nowMs);
    this.calls.set(scope, recent);
    return true;
  }

  /** The calls that still count at `nowMs` (older ones can never refuse a call again). */
  state(nowMs: number): BudgetState {
    const state: BudgetState = {};
    for (const [scope, calls] of this.calls) {
      const recent = calls.filter((atMs) => atMs > nowMs - DAY_MS);
      if (recent.length > 0) state[scope] = recent;
    }
    return state;
  }
}
