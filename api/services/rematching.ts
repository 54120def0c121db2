import type { Client } from '@temporalio/client';
import { TenantId } from '../../domain/search-attributes.js';
import { rematchRequestedSignal, rematchWorkflow, rematchWorkflowId, type RematchInput } from '../../workflows/rematch.js';

export interface RematchServiceDeps {
  temporal: Client;
  taskQueue: string;
  /** Tests take small batches and short runs, to see many of them; production uses the defaults. */
  batching?: Pick<RematchInput, 'batchSize' | 'batchesPerRun'>;
}

/** Re-matching a tenant's existing transactions after what matching reads has changed (workflows/rematch.ts). */
export function createRematchService(deps: RematchServiceDeps) {
  return {
    /**
     * Asks for one more pass over the tenant's transactions. Call it after the change has
     * committed, so the pass reads it. A pass in progress is signalled (one more pass follows it,
     * however many requests come in), else a new run starts: never two passes side by side.
     */
    async request(tenantId: string): Promise<void> {
      await deps.temporal.workflow.signalWithStart(rematchWorkflow, {
        workflowId: rematchWorkflowId(tenantId),
        taskQueue: deps.taskQueue,
        args: [{ tenantId, ...deps.batching }],
        signal: rematchRequestedSignal,
        signalArgs: [],
        typedSearchAttributes: [{ key: TenantId, value: tenantId }],
      });
    },
  };
}

export type RematchService = ReturnType<typeof createRematchService>;
