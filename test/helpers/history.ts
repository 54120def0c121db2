import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { Worker } from '@temporalio/worker';

/** Every run of a workflow (continue-as-new starts new ones), oldest first, with its history. */
export async function allRuns(client: Client, workflowId: string) {
  const runs = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = "${workflowId}"` })) {
    runs.push({ runId: execution.runId, startTime: execution.startTime, history: await client.workflow.getHandle(workflowId, execution.runId).fetchHistory() });
  }
  return runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
}

/**
 * A history as text with every payload decoded (through the codecs, if any, then the payload
 * converter): what someone with access to the Temporal UI and the codec endpoint could read.
 */
export async function readableHistory(history: unknown, codecs: PayloadCodec[] = []): Promise<string> {
  const payloads: Payload[] = [];
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    if ('metadata' in value && 'data' in value && (value as Payload).metadata?.encoding) payloads.push(value as Payload);
    for (const child of Object.values(value)) walk(child);
  };
  walk(history);
  const decoded: unknown[] = [];
  for (let payload of payloads) {
    for (const codec of [...codecs].reverse()) payload = (await codec.decode([payload]))[0]!;
    decoded.push(defaultPayloadConverter.fromPayload(payload));
  }
  const withoutBytes = JSON.stringify(history, (_key, value) => (value instanceof Uint8Array ? undefined : value));
  return `${withoutBytes}\n${JSON.stringify(decoded)}`;
}

const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** Replays a history against today's workflow code: throws on any non-determinism. */
export async function replay(history: unknown, workflowId: string, dataConverter?: DataConverter) {
  await Worker.runReplayHistory({ workflowsPath, dataConverter }, history, workflowId);
}
