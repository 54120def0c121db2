import { rematchBatch, type RematchResult } from '../matching/rematch.js';
import type { ActivityDeps } from './deps.js';

/** Re-matching a tenant's transactions, one batch per call (workflows/rematch.ts drives the passes). */
export function createRematchActivities(deps: ActivityDeps) {
  return {
    /** The tenant's next `limit` transactions after `afterId` matched again; only changed rows are written. Ids and counts in, ids and counts out. */
    async rematchBatch(input: { tenantId: string; afterId: string | null; limit: number }): Promise<RematchResult> {
      return rematchBatch(deps.database, input);
    },
  };
}
