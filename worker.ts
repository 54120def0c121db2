import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { type NativeConnection, Worker } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from './activities/index.js';

export interface WorkerOptions extends ActivityDeps {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** The same as the clients': payloads encrypted (see temporal/data-converter.ts). */
  dataConverter: DataConverter;
}

const workflowsPath = fileURLToPath(new URL('./workflows/index.ts', import.meta.url));

/** The bankfeed worker: the connection workflows and the activities they call. */
export function createWorker({ connection, namespace, taskQueue, dataConverter, ...deps }: WorkerOptions): Promise<Worker> {
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    dataConverter,
    workflowsPath,
    activities: createActivities(deps),
    // Activities get this long to finish on shutdown (SIGTERM in a deploy) before they are cancelled.
    shutdownGraceTime: '10 seconds',
    shutdownForceTime: '20 seconds',
  });
}
