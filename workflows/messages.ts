import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { ConnectionStatus } from '../domain/connection-status.js';

/**
 * The connection workflow's messages. Signals carry references (ids) and flags only: tokens,
 * authorization codes, IP addresses and account data stay in Postgres.
 */

/** The user came back from the bank (the callback validated its single-use state). */
export const authorizationCompletedSignal = defineSignal<[{ consentId: string; outcome: 'ok' | 'nok' }]>('authorizationCompleted');

/** Sync now. `attended`: a person asked and their IP address is on the sync row, so it does not use the day's budget. */
export const syncNowSignal = defineSignal<[{ syncId: string; attended: boolean }]>('syncNow');

/** Start renewing: a new consent and authorization URL while the old consent still works. */
export const renewSignal = defineSignal<[{ consentId: string }]>('renew');

/** Revoke the consent at the bank and stop for good; imported data stays. */
export const disconnectSignal = defineSignal('disconnect');

/** What the `status` query answers: ids, states and instants only. */
export interface ConnectionStatusView {
  connectionId: string;
  status: ConnectionStatus;
  statusReason?: string;
  consentExpiresAt?: string;
  lastSyncAt?: string;
  nextSyncAt?: string;
  /** A sync is running right now. */
  syncing: boolean;
  /** A consent waits for the user to log in at the bank. */
  awaitingAuthorization: boolean;
}

export const statusQuery = defineQuery<ConnectionStatusView>('status');
