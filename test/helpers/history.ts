import { fileURLToPath } from 'node:url';
import type { Client } from '@temporalio/client';
import { defaultPayloadConverter, type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import protos from '@temporalio/proto';
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
  const decoded: unknown[] = [];
  for (const payload of payloadsOf(history)) decoded.push(defaultPayloadConverter.fromPayload(await decodedPayload(payload, codecs)));
  const withoutBytes = JSON.stringify(history, (_key, value) => (value instanceof Uint8Array ? undefined : value));
  return `${withoutBytes}\n${JSON.stringify(decoded)}`;
}

/**
 * The history in protobuf with its payloads decoded, as the codec endpoint shows them:
 * replayable with the default data converter, no key needed.
 */
export async function decodedHistoryBytes(history: temporal.api.history.v1.IHistory, codecs: PayloadCodec[]): Promise<Uint8Array> {
  for (const payload of payloadsOf(history)) Object.assign(payload, await decodedPayload({ ...payload }, codecs));
  return protos.temporal.api.history.v1.History.encode(history).finish();
}

export function historyFromBytes(bytes: Uint8Array): temporal.api.history.v1.History {
  return protos.temporal.api.history.v1.History.decode(bytes);
}

function payloadsOf(history: unknown): Payload[] {
  const payloads: Payload[] = [];
  const walk = (value: unknown) => {
    if (!value || typeof value !== 'object') return;
    if ('metadata' in value && 'data' in value && (value as Payload).metadata?.encoding) payloads.push(value as Payload);
    for (const child of Object.values(value)) walk(child);
  };
  walk(history);
  return payloads;
}

async function decodedPayload(payload: Payload, codecs: PayloadCodec[]): Promise<Payload> {
  for (const codec of [...codecs].reverse()) payload = (await codec.decode([payload]))[0]!;
  return payload;
}

/** Histories of a full lifecycle, recorded by test/lifecycle/lifecycle.test.ts with RECORD_HISTORIES=1. */
export const RECORDED_HISTORIES = new URL('../fixtures/histories/', import.meta.url);

const workflowsPath = fileURLToPath(new URL('../../workflows/index.ts', import.meta.url));

/** Replays a history against today's workflow code: throws on any non-determinism. */
export async function replay(history: unknown, workflowId: string, dataConverter?: DataConverter) {
  await Worker.runReplayHistory({ workflowsPath, dataConverter }, history, workflowId);
}
