import { condition, continueAsNew, defineSignal, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';

/** One re-matching workflow per tenant: requests while it runs join it instead of starting another. */
export const rematchWorkflowId = (tenantId: string) => `rematch-${tenantId}`;

/** Something matching reads changed and committed (parties, rules, a confirmation, the invoice-number pattern): one more pass is due. */
export const rematchRequestedSignal = defineSignal('rematchRequested');

export interface RematchInput {
  tenantId: string;
  /** Transactions per activity call. */
  batchSize?: number;
  /** Batches before the workflow continues as new, so its history stays short whatever the tenant's size. */
  batchesPerRun?: number;
  /** Carried over continue-as-new: the pass in progress (where its next batch starts, null for its first). */
  pass?: { afterId: string | null };
  /** Carried over continue-as-new: a request came in during the pass, so one more pass follows it. */
  again?: boolean;
  totals?: RematchTotals;
}

/** Counts only: what history holds of a re-matching is ids and numbers, never what matched. */
export interface RematchTotals {
  passes: number;
  batches: number;
  changed: number;
}

export const REMATCH_BATCH_SIZE = 1_000;
export const REMATCH_BATCHES_PER_RUN = 100;

/** A batch is a short statement or three; retried, it writes only what still differs. */
const { rematchBatch } = proxyActivities<Pick<Activities, 'rematchBatch'>>({
  startToCloseTimeout: '5 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * Matches a tenant's existing transactions again after what matching reads has changed: a pass
 * goes through them batch by batch in id order (rematchBatch writes only the rows whose result
 * changed, never a confirmed one). Requests that arrive during a pass make one more pass after
 * it, however many there are: a pass reads the state of its own time, and rows it read before a
 * change must be read again. The workflow ends when no request is left; the API starts it again
 * with the next one (signal-with-start). The cursor is workflow state, so a worker restart
 * resumes where the pass was, and every `batchesPerRun` batches it continues as new.
 */
export async function rematchWorkflow(input: RematchInput): Promise<RematchTotals> {
  const { tenantId, batchSize = REMATCH_BATCH_SIZE, batchesPerRun = REMATCH_BATCHES_PER_RUN } = input;
  let requested = input.again ?? false;
  setHandler(rematchRequestedSignal, () => {
    requested = true;
  });
  let pass = input.pass;
  const totals: RematchTotals = { ...(input.totals ?? { passes: 0, batches: 0, changed: 0 }) };
  // A fresh start comes with its request (signal-with-start); the signal may be delivered after this line runs.
  if (!pass) await condition(() => requested);

  for (let batches = 0; ; batches++) {
    if (!pass) {
      if (!requested) return totals;
      requested = false;
      pass = { afterId: null };
      totals.passes++;
    }
    if (batches >= batchesPerRun || workflowInfo().continueAsNewSuggested) {
      await continueAsNew<typeof rematchWorkflow>({ tenantId, batchSize, batchesPerRun, pass, again: requested, totals });
    }
    const result = await rematchBatch({ tenantId, afterId: pass.afterId, limit: batchSize });
    totals.batches++;
    totals.changed += result.changed;
    pass = result.scanned < batchSize ? undefined : { afterId: result.lastId };
  }
}
