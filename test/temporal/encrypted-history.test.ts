import { Client } from '@temporalio/client';
import { METADATA_ENCODING_KEY } from '@temporalio/common';
import proto from '@temporalio/proto';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { ENCRYPTED_ENCODING } from '../../temporal/encryption-codec.js';
import { bankConnectionWorkflowId } from '../../workflows/bank-connection.js';
import { statusQuery } from '../../workflows/messages.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';
import { NAMESPACE } from '../helpers/temporal.js';

let stack: LifecycleStack;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1 });
});

afterAll(() => stack?.close());

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

/** Every payload in a history, in protobuf JSON (the codec endpoint's format). */
function payloadsIn(value: unknown, found: JsonPayload[] = []): JsonPayload[] {
  if (Array.isArray(value)) for (const item of value) payloadsIn(item, found);
  else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      if (key === 'payloads' && Array.isArray(item)) found.push(...(item as JsonPayload[]));
      else payloadsIn(item, found);
    }
  }
  return found;
}

test('workflow payloads are encrypted in history, and the codec endpoint decodes them for the UI', async () => {
  const { temporal, app } = stack;
  const { connectionId } = await stack.link();
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null);
  const workflowId = bankConnectionWorkflowId(connectionId);
  const handle = temporal.client.workflow.getHandle(workflowId);
  // The encrypting client reads its own payloads back.
  expect((await handle.query(statusQuery)).status).toBe('active');
  await stack.connections.disconnect(connectionId);
  await handle.result();

  // What the server stores, fetched by a client without the codec, as the Temporal UI sees it.
  const plain = new Client({ connection: temporal.client.connection, namespace: NAMESPACE });
  const history = await plain.workflow.getHandle(workflowId).fetchHistory();
  const { History } = proto.temporal.api.history.v1;
  const raw = History.toObject(History.fromObject(history), { bytes: String });
  const payloads = payloadsIn(raw);
  expect(payloads.length).toBeGreaterThanOrEqual(3); // workflow input, activity inputs
  for (const payload of payloads) {
    expect(Buffer.from(payload.metadata![METADATA_ENCODING_KEY]!, 'base64').toString()).toBe(ENCRYPTED_ENCODING);
    expect(Buffer.from(payload.data ?? '', 'base64').toString('latin1')).not.toContain(connectionId);
  }

  const response = await app.inject({ method: 'POST', url: '/codec/decode', headers: { 'x-namespace': NAMESPACE }, payload: { payloads } });
  expect(response.statusCode).toBe(200);
  const decoded = (response.json() as { payloads: JsonPayload[] }).payloads.map((payload) => {
    const encoding = Buffer.from(payload.metadata![METADATA_ENCODING_KEY]!, 'base64').toString();
    // Results of activities without one are binary/null, with no data.
    return encoding === 'json/plain' ? { encoding, data: JSON.parse(Buffer.from(payload.data!, 'base64').toString()) as unknown } : { encoding };
  });
  expect(decoded[0]).toMatchObject({ encoding: 'json/plain', data: { connectionId } });
  expect(decoded).toContainEqual({ encoding: 'json/plain', data: expect.objectContaining({ connectionId, status: 'disconnected' }) });
});
