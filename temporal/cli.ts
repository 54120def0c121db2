import { execFile, spawn } from 'node:child_process';
import { constants, accessSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';

/** The one place the Temporal CLI version is pinned: the newest tag that `go install` can build. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
const MIN_GO = [1, 25] as const;
const BINARY = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

/** What runs the dev server: a binary on disk, or the SDK's own download (needs internet). */
export type TemporalExecutable = { type: 'existing-path'; path: string } | { type: 'cached-download' };

export interface ResolveOptions {
  env?: NodeJS.ProcessEnv;
  /** Where progress lines go; a first build takes minutes, so people need to see it move. */
  log?: (line: string) => void;
  /** Runs `go install` into `gobin`; replaceable so tests need not compile the CLI. */
  goInstall?: (gobin: string, log: (line: string) => void) => Promise<void>;
  /** The installed Go version as [major, minor], or undefined when there is no Go. */
  goVersion?: () => Promise<readonly [number, number] | undefined>;
}

/**
 * Finds a Temporal CLI, in this order: TEMPORAL_CLI_PATH; `temporal` on PATH; a cached build in
 * the user's cache folder; a fresh `go install` into that folder when Go >= 1.25 is present;
 * last, the SDK's own download.
 */
export async function resolveTemporalCli(options: ResolveOptions = {}): Promise<TemporalExecutable> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((line: string) => console.error(line));

  const configured = env.TEMPORAL_CLI_PATH;
  if (configured) {
    if (!isExecutable(configured)) {
      throw new Error(`TEMPORAL_CLI_PATH=${configured} is not an executable file: expected the path of a temporal CLI binary`);
    }
    return { type: 'existing-path', path: configured };
  }

  const onPath = findOnPath(BINARY, env.PATH ?? '');
  if (onPath) return { type: 'existing-path', path: onPath };

  const cacheDir = temporalCliCacheDir(env);
  const cached = join(cacheDir, BINARY);
  if (isExecutable(cached)) return { type: 'existing-path', path: cached };

  const goVersion = await (options.goVersion ?? installedGoVersion)();
  if (goVersion && compareVersions(goVersion, MIN_GO) >= 0) {
    await buildInto(cacheDir, options.goInstall ?? goInstall, log);
    return { type: 'existing-path', path: cached };
  }

  log(
    `No temporal CLI found (TEMPORAL_CLI_PATH, PATH, ${cached}) and no Go >= ${MIN_GO.join('.')} to build one: ` +
      'falling back to the Temporal SDK download, which needs internet access.',
  );
  return { type: 'cached-download' };
}

/** `<user cache dir>/bankfeed/temporal-cli-<version>`, per platform convention. */
export function temporalCliCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    process.platform === 'win32'
      ? (env.LOCALAPPDATA ?? join(homedir(), 'AppData', 'Local'))
      : process.platform === 'darwin'
        ? join(homedir(), 'Library', 'Caches')
        : (env.XDG_CACHE_HOME ?? join(homedir(), '.cache'));
  return join(base, 'bankfeed', `temporal-cli-${TEMPORAL_CLI_VERSION}`);
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function findOnPath(binary: string, pathVariable: string): string | undefined {
  return pathVariable
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, binary))
    .find(isExecutable);
}

function compareVersions(a: readonly [number, number], b: readonly [number, number]): number {
  return a[0] - b[0] || a[1] - b[1];
}

async function installedGoVersion(): Promise<readonly [number, number] | undefined> {
  try {
    const { stdout } = await promisify(execFile)('go', ['env', 'GOVERSION']);
    const match = /^go(\d+)\.(\d+)/.exec(stdout.trim());
    return match ? [Number(match[1]), Number(match[2])] : undefined;
  } catch {
    return undefined;
  }
}

/** Builds into a private folder first, then renames, so two concurrent builds never see half a binary. */
async function buildInto(cacheDir: string, install: NonNullable<ResolveOptions['goInstall']>, log: (line: string) => void) {
  await mkdir(cacheDir, { recursive: true });
  const staging = await mkdtemp(join(cacheDir, '.build-'));
  const started = Date.now();
  log(`Building the Temporal CLI ${TEMPORAL_CLI_VERSION} with Go into ${cacheDir} (once; a first build takes a few minutes)...`);
  const ticker = setInterval(() => log(`  still building the Temporal CLI (${Math.round((Date.now() - started) / 1000)} s)...`), 15_000);
  try {
    await install(staging, log);
    await rename(join(staging, BINARY), join(cacheDir, BINARY));
    log(`Built the Temporal CLI in ${Math.round((Date.now() - started) / 1000)} s.`);
  } finally {
    clearInterval(ticker);
    await rm(staging, { recursive: true, force: true });
  }
}

function goInstall(gobin: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('go', ['install', GO_PACKAGE], {
      env: { ...process.env, GOBIN: gobin, CGO_ENABLED: process.env.CGO_ENABLED ?? '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let tail = '';
    const relay = (chunk: Buffer) => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
      for (const line of text.split('\n')) if (line.trim()) log(`  ${line.trim()}`);
    };
    child.stdout.on('data', relay);
    child.stderr.on('data', relay);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`go install ${GO_PACKAGE} failed with exit code ${code}:\n${tail}`)),
    );
  });
}
