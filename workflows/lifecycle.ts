import type { ConnectionStatus } from '../domain/connection-status.js';
import { nextReminderAt } from './schedule.js';
import type { Timings } from './timings.js';

/**
 * Everything the connection workflow remembers, as plain JSON (it crosses continue-as-new).
 * Instants are absolute (ms since the epoch), so waits are recomputed after continue-as-new.
 */
export interface LifecycleState {
  status: ConnectionStatus;
  statusReason?: string;
  /** The consent syncs run on, and when it ends. */
  consentId?: string;
  consentExpiresAt?: number;
  /** Reminders of consentId already sent (or skipped), counted from the longest offset. */
  remindersSent: number;
  /** A consent the user is authorising at the bank right now: linking, or renewing. */
  authorization?: {
    consentId: string;
    purpose: 'link' | 'renewal';
    deadline: number;
    /** The status to return to if a renewal is abandoned. */
    statusBefore: ConnectionStatus;
  };
  /** When recent unattended syncs reached the bank: its rolling budget. */
  accesses: number[];
  nextSyncAt?: number;
  lastSyncAt?: number;
  /** Messages not yet handled when the run continued as new. */
  inbox: Message[];
}

export type Message =
  | { kind: 'authorizationCompleted'; consentId: string; outcome: 'ok' | 'nok' }
  | { kind: 'syncNow'; syncId: string; attended: boolean }
  | { kind: 'renew'; consentId: string }
  | { kind: 'disconnect' };

export function initialState(consentId: string, timings: Timings, nowMs: number): LifecycleState {
  return {
    status: 'awaiting_authorization',
    remindersSent: 0,
    authorization: { consentId, purpose: 'link', deadline: nowMs + timings.linkTimeoutMs, statusBefore: 'awaiting_authorization' },
    accesses: [],
    inbox: [],
  };
}

/** Syncs run while a consent is in force: active, expiring, and during a renewal until the old one ends. */
export function canSync(state: LifecycleState, nowMs: number): boolean {
  return (
    (state.status === 'active' || state.status === 'expiring' || state.status === 'renewing') &&
    state.consentId !== undefined &&
    state.consentExpiresAt !== undefined &&
    state.consentExpiresAt > nowMs
  );
}

/** The consent in force has run out and has not been dealt with yet. */
export function consentRanOut(state: LifecycleState, nowMs: number): boolean {
  return (
    (state.status === 'active' || state.status === 'expiring' || state.status === 'renewing') &&
    state.consentExpiresAt !== undefined &&
    state.consentExpiresAt <= nowMs &&
    state.consentId !== undefined
  );
}

/** The earliest instant something is due: a link deadline, a reminder, the expiry, a sync slot. */
export function nextWakeup(state: LifecycleState, timings: Timings, nowMs: number): number | undefined {
  const candidates: (number | undefined)[] = [state.authorization?.deadline];
  if (state.consentId && state.consentExpiresAt !== undefined && state.status !== 'expired' && state.status !== 'reauth_required') {
    candidates.push(state.consentExpiresAt, nextReminderAt(state.consentExpiresAt, timings, state.remindersSent));
  }
  if (canSync(state, nowMs)) candidates.push(state.nextSyncAt);
  const due = candidates.filter((at): at is number => at !== undefined);
  return due.length > 0 ? Math.min(...due) : undefined;
}
