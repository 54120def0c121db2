/**
 * The re-matching workflow's orchestration on the real Temporal dev server, its activity replaced
 * by one over ids in memory that records each call: requests during a pass make exactly one more
 * pass, passes start from the first id and end at the last, and runs continue as new.
 */
import { fileURLToPath } from 'node:url';
import { Worker } from '@temporalio/worker';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRematchService } from '../../api/services/rematching.js';
import type { RematchResult } from '../../matching/rematch.js';
import { rematchWorkflowId } from '../../workflows/rematch.js';
import { connectTestTemporal, NAMESPACE } from '../helpers/temporal.js';

let temporal: Awaited<ReturnType<typeof connectTestTemporal>>;
beforeAll(async () => {
  temporal = await connectTestTemporal();
});
afterAll(() => temporal?.close());

const IDS = Array.from({ length: 23 }, (_, i) => `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);

test('three requests during a pass make one more pass; each pass reads every batch once, in order, across runs', async () => {
  const calls: (string | null)[] = [];
  let releaseFirst!: () => void;
  const firstCallHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
  let firstCallStarted!: () => void;
  const started = new Promise<void>((resolve) => (firstCallStarted = resolve));
  const activities = {
    async rematchBatch({ afterId, limit }: { tenantId: string; afterId: string | null; limit: number }): Promise<RematchResult> {
      calls.push(afterId);
      if (calls.length === 1) {
        firstCallStarted();
        await firstCallHeld;
      }
      const batch = IDS.filter((id) => afterId === null || id > afterId).slice(0, limit);
      return { scanned: batch.length, changed: 1, lastId: batch.at(-1) ?? null };
    },
  };
  const worker = await Worker.create({
    connection: temporal.workerConnection,
    namespace: NAMESPACE,
    taskQueue: temporal.taskQueue,
    dataConverter: temporal.dataConverter,
    workflowsPath: fileURLToPath(new URL('../../workflows/index.ts', import.meta.url)),
    activities,
  });
  const tenantId = '11111111-1111-4111-8111-111111111111';
  const rematch = createRematchService({ temporal: temporal.client, taskQueue: temporal.taskQueue, batching: { batchSize: 5, batchesPerRun: 2 } });
  const totals = await worker.runUntil(async () => {
    await rematch.request(tenantId);
    await started;
    for (let i = 0; i < 3; i++) await rematch.request(tenantId);
    releaseFirst();
    return temporal.client.workflow.getHandle(rematchWorkflowId(tenantId)).result();
  });
  // 23 ids in batches of 5: 5 calls a pass, the last reading 3.
  const pass = [null, IDS[4], IDS[9], IDS[14], IDS[19]];
  expect(calls).toEqual([...pass, ...pass]);
  expect(totals).toEqual({ passes: 2, batches: 10, changed: 10 });
  // Two batches a run: the last run was continued from another.
  const history = await temporal.client.workflow.getHandle(rematchWorkflowId(tenantId)).fetchHistory();
  expect(history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId).toBeTruthy();
}, 60_000);
