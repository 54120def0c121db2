import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { Connection } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes.js';
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
  /**
   * Run the server in a process group of its own (`npm start`): Ctrl-C in a terminal signals the
   * whole foreground group, and the server must outlive the worker's last words to it; `stop()`
   * ends it last. Needs a CLI on disk and a `port`; otherwise the Temporal SDK starts it.
   */
  ownProcessGroup?: boolean;
}

export interface DevServer {
  address: string;
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/** `temporal server start-dev`'s names of the search attribute types. */
const CLI_TYPES: Record<string, string> = {
  TEXT: 'Text',
  KEYWORD: 'Keyword',
  INT: 'Int',
  DOUBLE: 'Double',
  BOOL: 'Bool',
  DATETIME: 'Datetime',
  KEYWORD_LIST: 'KeywordList',
};

/** Starts `temporal server start-dev` as a child process, with bankfeed's search attributes registered. */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const { executable, port } = options;
  return options.ownProcessGroup && executable.type === 'existing-path' && port !== undefined ? startInOwnGroup(options, executable.path, port) : startWithSdk(options);
}

async function startInOwnGroup(options: DevServerOptions, executable: string, port: number): Promise<DevServer> {
  const address = `127.0.0.1:${port}`;
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-format', 'pretty', '--log-level', 'error'];
  if (options.uiPort !== undefined) args.push('--ui-port', String(options.uiPort));
  else args.push('--headless');
  if (options.dbFilename) args.push('--db-filename', options.dbFilename);
  if (options.namespace) args.push('--namespace', options.namespace);
  for (const { name, type } of SEARCH_ATTRIBUTES) args.push('--search-attribute', `${name}=${CLI_TYPES[type]}`);
  args.push(...(options.extraArgs ?? []));

  const child = spawn(executable, args, { detached: true, stdio: ['ignore', 'inherit', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
    process.stderr.write(chunk);
  });
  // A crash of this process must not leave the server behind (a SIGKILL still can).
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  const stop = async () => {
    await stopProcess(child);
    process.off('exit', killOnExit);
  };
  try {
    await untilReady(address, child, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { address, stop };
}

async function untilReady(address: string, child: ChildProcess, stderr: () => string) {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the Temporal dev server exited (${child.exitCode ?? child.signalCode}) before answering on ${address}: ${stderr().trim()}`);
    }
    try {
      const connection = await Connection.connect({ address, connectTimeout: 1000 });
      try {
        await connection.workflowService.getSystemInfo({});
        return;
      } finally {
        await connection.close();
      }
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`the Temporal dev server did not answer on ${address} within ${READY_TIMEOUT_MS / 1000} s`, { cause: error });
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

async function stopProcess(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

async function startWithSdk(options: DevServerOptions): Promise<DevServer> {
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
