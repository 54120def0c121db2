import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes.js';
import type { TemporalExecutable } from './cli.js';

export interface DevServerOptions {
  executable: TemporalExecutable;
  /** SQLite file that keeps workflows across restarts; in memory without one. */
  dbFilename?: string;
  /** gRPC port; a free one when unset. */
  port?: number;
  /** Web UI port; no UI when unset. */
  uiPort?: number;
  namespace?: string;
  /** More `temporal server start-dev` arguments, e.g. dynamic config. */
  extraArgs?: string[];
}

export interface DevServer {
  address: string;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` as a child process, with bankfeed's search attributes registered. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: options.executable,
      dbFilename: options.dbFilename,
      ip: '127.0.0.1',
      port: options.port,
      ui: options.uiPort !== undefined,
      uiPort: options.uiPort,
      namespace: options.namespace,
      searchAttributes: SEARCH_ATTRIBUTES,
      extraArgs: options.extraArgs,
      log: { format: 'pretty', level: 'error' },
    },
  });
  return { address: env.address, stop: () => env.teardown() };
}
