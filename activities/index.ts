import { createConnectionStateActivities } from './connection-state.js';
import { createConsentActivities } from './consents.js';
import { createDeliveryActivities } from './deliveries.js';
import type { ActivityDeps } from './deps.js';
import { createNotificationActivities } from './notifications.js';
import { createRematchActivities } from './rematch.js';
import { createSyncActivities } from './sync.js';

export type { ActivityDeps } from './deps.js';

/** Every activity the worker registers, built from its dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createConnectionStateActivities(deps),
    ...createConsentActivities(deps),
    ...createSyncActivities(deps),
    ...createNotificationActivities(deps),
    ...createDeliveryActivities(deps),
    ...createRematchActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
