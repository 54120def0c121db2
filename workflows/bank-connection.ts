import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  continueAsNew,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  upsertSearchAttributes,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { Activities } from '../activities/index.js';
import type { Notice, NoticeWritten } from '../activities/notifications.js';
import type { ConnectionStatus } from '../domain/connection-status.js';
import { FailureType } from '../domain/failure-types.js';
import { notificationDeliveryWorkflow, notificationDeliveryWorkflowId } from './notification-delivery.js';
import { canSync, consentRanOut, initialState, nextWakeup, type LifecycleState, type Message } from './lifecycle.js';
import { authorizationCompletedSignal, disconnectSignal, renewSignal, statusQuery, syncNowSignal } from './messages.js';
import { accessesInWindow, dueReminder, nextScheduledSync, remindersAlreadyPast } from './schedule.js';
import { BankConnectionStatus, ConsentExpiresAt, LastSyncAt } from '../domain/search-attributes.js';
import type { SyncTrigger } from '../domain/sync-trigger.js';
import { defaultTimings, type Timings } from './timings.js';

export interface BankConnectionInput {
  connectionId: string;
  /** The consent the API asked for when it created the connection (its row holds the requester's IP). */
  consentId: string;
  timings?: Timings;
  /** Set when the workflow continues as new. */
  state?: LifecycleState;
}

export const bankConnectionWorkflowId = (connectionId: string) => `bank-connection:${connectionId}`;

/** Short calls: retried until they succeed, a minute at most each. */
const shortCall = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
} as const;

/** The connection's rows in Postgres: its state, its syncs and the notices it raises. */
const records = proxyActivities<Pick<Activities, 'recordConnectionState' | 'startSync' | 'finishSync' | 'settleSyncRequest' | 'notify'>>(shortCall);

/** The consent at the bank: ask for one, take it once authorized, close it. */
const consents = proxyActivities<Pick<Activities, 'requestConsent' | 'completeAuthorization' | 'closeConsent'>>(shortCall);

/** Fetching an account's transactions: retried with backoff for a while; after that the sync fails and the next one fills the gap. */
const accountFetches = proxyActivities<Pick<Activities, 'syncAccount'>>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '10 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '2 minutes', maximumAttempts: 12 },
});

const SYNCING: ConnectionStatus[] = ['active', 'expiring', 'renewing'];

/**
 * One bank connection for its whole life: linking, the consent timer, four syncs a day and syncs
 * on demand, renewal reminders, expiry, renewal and disconnect. One loop sleeps until the
 * earliest thing due or the next message, then does what is due.
 */
export async function bankConnectionWorkflow(input: BankConnectionInput): Promise<void> {
  const { connectionId } = input;
  const timings = input.timings ?? defaultTimings;
  const state: LifecycleState = input.state ?? initialState(input.consentId, timings, Date.now());
  let runningSyncId: string | undefined;
  let joiners: string[] = [];
  const published = new Map<string, unknown>();

  const receive = (message: Message) => {
    // A manual sync during a running one joins it instead of starting a second.
    if (message.kind === 'syncNow' && runningSyncId) joiners.push(message.syncId);
    else state.inbox.push(message);
  };
  setHandler(authorizationCompletedSignal, (m) => receive({ kind: 'authorizationCompleted', ...m }));
  setHandler(syncNowSignal, (m) => receive({ kind: 'syncNow', ...m }));
  setHandler(renewSignal, (m) => receive({ kind: 'renew', ...m }));
  setHandler(disconnectSignal, () => receive({ kind: 'disconnect' }));
  setHandler(statusQuery, () => ({
    connectionId,
    status: state.status,
    statusReason: state.statusReason,
    consentExpiresAt: iso(state.consentExpiresAt),
    lastSyncAt: iso(state.lastSyncAt),
    nextSyncAt: canSync(state, Date.now()) ? iso(state.nextSyncAt) : undefined,
    syncing: runningSyncId !== undefined,
    awaitingAuthorization: state.authorization !== undefined,
  }));

  /** Postgres and the search attributes follow the state; attributes only when they change. */
  const publish = async () => {
    const attributes = [
      { key: BankConnectionStatus, value: state.status },
      { key: ConsentExpiresAt, value: state.consentExpiresAt !== undefined ? new Date(state.consentExpiresAt) : null },
      { key: LastSyncAt, value: state.lastSyncAt !== undefined ? new Date(state.lastSyncAt) : null },
    ];
    const changed = attributes.filter(({ key, value }) => String(published.get(key.name)) !== String(value));
    if (changed.length > 0) {
      upsertSearchAttributes(changed as Parameters<typeof upsertSearchAttributes>[0]);
      for (const { key, value } of changed) published.set(key.name, value);
    }
    await records.recordConnectionState({
      connectionId,
      status: state.status,
      statusReason: state.statusReason ?? null,
      consentExpiresAt: iso(state.consentExpiresAt) ?? null,
      lastSyncAt: iso(state.lastSyncAt) ?? null,
      nextSyncAt: (canSync(state, Date.now()) && iso(state.nextSyncAt)) || null,
    });
  };

  /**
   * A notice written to the outbox goes out in a workflow of its own (`notification:<id>`), which
   * outlives this one (ABANDON) and retries for as long as a receiver is down. Only the id crosses
   * history; the id dedupes (one delivery workflow per notice, ever).
   */
  const deliver = async ({ noticeId }: NoticeWritten) => {
    if (!noticeId) return;
    try {
      await startChild(notificationDeliveryWorkflow, {
        workflowId: notificationDeliveryWorkflowId(noticeId),
        args: [{ notificationId: noticeId, retry: timings.deliveryRetry }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) throw error;
    }
  };
  const notify = async (notice: Notice) => deliver(await records.notify(notice));

  const moveTo = (status: ConnectionStatus, reason?: string) => {
    state.status = status;
    state.statusReason = reason;
  };

  const requestConsent = (consentId: string, purpose: 'link' | 'renewal') =>
    consents.requestConsent({ connectionId, consentId, purpose, linkTimeoutMs: timings.linkTimeoutMs, consentDays: timings.consentDays });

  async function runSync(trigger: SyncTrigger, syncId: string, attended: boolean) {
    runningSyncId = syncId;
    const consentId = state.consentId!;
    const { accountIds } = await records.startSync({ connectionId, syncId, trigger, consentId });
    const results = await Promise.allSettled(
      accountIds.map((accountId) => accountFetches.syncAccount({ connectionId, syncId, accountId, consentId, overlapDays: timings.overlapDays })),
    );
    // The fetching is over: a request from now on wants newer data than this sync read, so it starts a sync of its own.
    runningSyncId = undefined;
    const joined = joiners;
    joiners = [];
    const now = Date.now();
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [failureType(r.reason)] : []));
    if (!attended && accountIds.length > 0) {
      const reached = results.flatMap((r) => (r.status === 'fulfilled' && r.value.accessedAt !== undefined ? [r.value.accessedAt] : []));
      state.accesses = accessesInWindow([...state.accesses, reached.length > 0 ? Math.max(...reached) : now], timings, now);
    }
    if (failures.length < results.length || results.length === 0) state.lastSyncAt = now;
    state.nextSyncAt = nextScheduledSync(connectionId, timings, now, state.accesses);

    const reason = failures.length > 0 ? syncFailureReason(failures) : undefined;
    await deliver(await records.finishSync({ syncId, status: failures.length === 0 ? 'completed' : 'failed', reason }));
    for (const joiner of joined) await records.settleSyncRequest({ syncId: joiner, status: 'joined', joinedSyncId: syncId });

    if (failures.includes(FailureType.ConsentInvalid)) await consentLost('revoked');
    else if (failures.includes(FailureType.ConsentExpired)) {
      // Within the last bank hour it is the expiry we were waiting for (clocks differ a little); earlier, the bank cut it short.
      if (now >= state.consentExpiresAt! - timings.dayMs / 24) await consentRanOutNow();
      else await consentLost('expired');
    } else await publish();
  }

  /** The consent reached the expiry the bank granted: syncing stops, imported data stays. */
  async function consentRanOutNow() {
    const consentId = state.consentId!;
    await consents.closeConsent({ consentId, status: 'expired' });
    state.consentId = undefined;
    state.consentExpiresAt = undefined;
    if (state.status !== 'renewing') moveTo('expired', 'the consent ran out');
    await notify({ connectionId, event: 'consent.expired', payload: { consent_id: consentId }, dedupKey: `consent:${consentId}:expired` });
    await publish();
  }

  /** The bank stopped honouring the consent before its expiry (revoked, invalid, expired early). */
  async function consentLost(how: 'revoked' | 'expired') {
    const consentId = state.consentId!;
    await consents.closeConsent({ consentId, status: how });
    state.consentId = undefined;
    state.consentExpiresAt = undefined;
    if (state.status !== 'renewing') moveTo('reauth_required', `the bank no longer accepts the consent (${how})`);
    await notify({ connectionId, event: 'connection.reauth_required', payload: { reason: how }, dedupKey: `consent:${consentId}:lost` });
    await publish();
  }

  async function authorizationCompleted(message: Extract<Message, { kind: 'authorizationCompleted' }>) {
    const pending = state.authorization;
    if (!pending || pending.consentId !== message.consentId) return; // stale: a superseded or finished attempt
    const result = message.outcome === 'ok' ? await consents.completeAuthorization({ connectionId, consentId: pending.consentId }) : undefined;
    state.authorization = undefined;
    if (result?.outcome !== 'authorized') {
      await consents.closeConsent({ consentId: pending.consentId, status: 'closed' });
      moveTo(statusAfterAbandoning(pending), 'the authorization was cancelled or rejected at the bank');
      await publish();
      return;
    }

    const previous = state.consentId;
    state.consentId = pending.consentId;
    state.consentExpiresAt = Date.parse(result.consentExpiresAt);
    // Reminders already due when the user authorised are not sent (a 10-day consent gets no 14-day
    // reminder); one that fell due while the link was being completed is (histories before
    // authorizedAt existed go by the workflow's time, as they did).
    state.remindersSent = remindersAlreadyPast(state.consentExpiresAt, timings, result.authorizedAt ? Date.parse(result.authorizedAt) : Date.now());
    moveTo('active');
    if (previous) await consents.closeConsent({ consentId: previous, status: 'closed' });
    await notify({
      connectionId,
      event: 'connection.linked',
      payload: { consent_id: pending.consentId, renewal: pending.purpose === 'renewal', accounts: result.accounts, consent_expires_at: result.consentExpiresAt },
      dedupKey: `consent:${pending.consentId}:linked`,
    });
    await publish();
    // The first import, or after a renewal everything missed meanwhile: on behalf of the user who just authorised.
    await runSync(pending.purpose === 'link' ? 'initial' : 'backfill', uuid4(), true);
    if (pending.purpose === 'renewal') await continueAsNew<typeof bankConnectionWorkflow>({ connectionId, consentId: state.consentId!, timings, state });
  }

  /** Where a link or renewal the user did not complete leaves the connection. */
  function statusAfterAbandoning(pending: NonNullable<LifecycleState['authorization']>): ConnectionStatus {
    if (pending.purpose === 'link') return 'expired';
    return state.consentId || !SYNCING.includes(pending.statusBefore) ? pending.statusBefore : 'expired';
  }

  async function renew(message: Extract<Message, { kind: 'renew' }>) {
    if (state.status === 'disconnected') return;
    if (state.authorization) await consents.closeConsent({ consentId: state.authorization.consentId, status: 'closed' });
    // Never linked (a new URL for a first link) or linked before (renewal, keeping accounts and watermarks).
    const purpose = state.consentId === undefined && state.lastSyncAt === undefined ? 'link' : 'renewal';
    const statusBefore = state.authorization?.statusBefore ?? state.status;
    // The status first: by the time the API hands out the new URL, a read of the connection says so.
    moveTo(purpose === 'link' ? 'awaiting_authorization' : 'renewing');
    await publish();
    await requestConsent(message.consentId, purpose);
    state.authorization = { consentId: message.consentId, purpose, deadline: Date.now() + timings.linkTimeoutMs, statusBefore };
  }

  async function disconnect() {
    if (state.authorization) await consents.closeConsent({ consentId: state.authorization.consentId, status: 'closed' });
    if (state.consentId) await consents.closeConsent({ consentId: state.consentId, status: 'closed' });
    state.authorization = undefined;
    state.consentId = undefined;
    state.consentExpiresAt = undefined;
    moveTo('disconnected');
    await notify({ connectionId, event: 'connection.disconnected', payload: {}, dedupKey: `connection:${connectionId}:disconnected` });
    for (const message of state.inbox) {
      if (message.kind === 'syncNow') await records.settleSyncRequest({ syncId: message.syncId, status: 'skipped', reason: 'the connection was disconnected' });
    }
    state.inbox = [];
    await publish();
  }

  async function syncNow(message: Extract<Message, { kind: 'syncNow' }>) {
    const now = Date.now();
    if (!canSync(state, now)) {
      await records.settleSyncRequest({ syncId: message.syncId, status: 'skipped', reason: `the connection is ${state.status.replace('_', ' ')}` });
      return;
    }
    if (!message.attended && accessesInWindow(state.accesses, timings, now).length >= timings.syncsPerDay) {
      const reason = "the bank's daily limit of unattended accesses is used up: pass the person's IP address for an attended sync, or wait for the next scheduled one";
      await records.settleSyncRequest({ syncId: message.syncId, status: 'skipped', reason });
      return;
    }
    await runSync('manual', message.syncId, message.attended);
  }

  /** Whatever has fallen due by now: link deadline, expiry, reminders, the scheduled sync. */
  async function handleDue() {
    const now = Date.now();
    const pending = state.authorization;
    if (pending && pending.deadline <= now) {
      state.authorization = undefined;
      await consents.closeConsent({ consentId: pending.consentId, status: 'closed' });
      moveTo(statusAfterAbandoning(pending), `the user did not finish ${pending.purpose === 'link' ? 'linking' : 'renewing'} at the bank in time`);
      await publish();
    }
    if (consentRanOut(state, now)) await consentRanOutNow();
    if (state.consentId && state.consentExpiresAt !== undefined) {
      const reminder = dueReminder(state.consentExpiresAt, timings, state.remindersSent, now);
      if (reminder !== undefined) {
        const daysLeft = Math.round(timings.reminderOffsetsMs[reminder]! / timings.dayMs);
        state.remindersSent = reminder + 1;
        if (state.status === 'active') moveTo('expiring');
        await notify({
          connectionId,
          event: 'consent.expiring',
          payload: { consent_id: state.consentId, days_left: daysLeft, consent_expires_at: iso(state.consentExpiresAt) },
          dedupKey: `consent:${state.consentId}:expiring:${daysLeft}d`,
        });
        await publish();
      }
    }
    if (canSync(state, now) && state.nextSyncAt === undefined) state.nextSyncAt = nextScheduledSync(connectionId, timings, now, state.accesses);
    if (canSync(state, now) && state.nextSyncAt! <= now) await runSync('scheduled', uuid4(), false);
  }

  if (!input.state) {
    await requestConsent(input.consentId, 'link');
    await publish();
  }

  for (;;) {
    while (state.inbox.length > 0) {
      const message = state.inbox.shift()!;
      if (message.kind === 'disconnect') {
        await disconnect();
        return;
      }
      if (message.kind === 'authorizationCompleted') await authorizationCompleted(message);
      else if (message.kind === 'renew') await renew(message);
      else await syncNow(message);
    }
    await handleDue();
    if (workflowInfo().continueAsNewSuggested && state.inbox.length === 0) {
      await continueAsNew<typeof bankConnectionWorkflow>({ connectionId, consentId: input.consentId, timings, state });
    }
    const wakeAt = nextWakeup(state, timings, Date.now());
    await condition(() => state.inbox.length > 0, wakeAt === undefined ? undefined : Math.max(wakeAt - Date.now(), 1));
  }
}

function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** The failure type an activity ended with, or "other". */
function failureType(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause instanceof ApplicationFailure && error.cause.type) return error.cause.type;
  return 'other';
}

function syncFailureReason(failures: string[]): string {
  if (failures.includes(FailureType.ConsentInvalid) || failures.includes(FailureType.ConsentExpired)) return 'the bank no longer accepts the consent';
  if (failures.includes(FailureType.AccessExceeded)) return "the bank's daily limit of accesses was reached: the next scheduled sync fetches what is missing";
  return 'the bank could not be read: the next sync fetches what is missing';
}
