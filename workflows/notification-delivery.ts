import { ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import { defaultTimings, type DeliveryRetry } from './timings.js';

export interface NotificationDeliveryInput {
  /** The notice in the outbox (`notifications`); its payload stays in Postgres. */
  notificationId: string;
  retry?: DeliveryRetry;
}

/** One delivery workflow per notice: a second start with the same id is refused. */
export const notificationDeliveryWorkflowId = (notificationId: string) => `notification:${notificationId}`;

const planning = proxyActivities<Activities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

/**
 * Delivers one notice to every target it has (webhook endpoints, e-mail), each on its own,
 * retried with exponential backoff until it arrives or the retry window ends.
 */
export async function notificationDeliveryWorkflow({ notificationId, retry = defaultTimings.deliveryRetry! }: NotificationDeliveryInput): Promise<{ delivered: number; failed: number }> {
  const { deliverNotification } = proxyActivities<Activities>({
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: retry.expirationMs,
    retry: { initialInterval: retry.initialIntervalMs, backoffCoefficient: 2, maximumInterval: retry.maximumIntervalMs },
  });
  const { targets } = await planning.planDeliveries({ notificationId });
  const results = await Promise.allSettled(targets.map((target) => deliverNotification({ notificationId, target })));
  const failed = results.filter((result) => result.status === 'rejected').length;
  // Visible as a failed workflow in the Temporal UI; the delivery log says what the receivers answered.
  if (failed > 0) throw ApplicationFailure.nonRetryable(`${failed} of ${targets.length} deliveries did not arrive in time`, 'NotificationNotDelivered');
  return { delivered: targets.length, failed };
}
