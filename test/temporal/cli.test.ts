import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, test } from 'vitest';
import { resolveTemporalCli, TEMPORAL_CLI_VERSION, temporalCliCacheDir } from '../../temporal/cli.js';

let root: string;
let env: NodeJS.ProcessEnv;
const noGo = async () => undefined;

async function executable(dir: string, name = 'temporal') {
  await mkdir(dir, { recursive: true });
  const path = join(dir, name);
  await writeFile(path, '#!/bin/sh\n');
  await chmod(path, 0o755);
  return path;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'bankfeed-cli-'));
  env = { PATH: join(root, 'empty-bin'), XDG_CACHE_HOME: join(root, 'cache') };
});

describe('resolveTemporalCli', () => {
  test('TEMPORAL_CLI_PATH comes first', async () => {
    const configured = await executable(join(root, 'configured'));
    await executable(join(root, 'bin'));
    await executable(temporalCliCacheDir(env));
    env.TEMPORAL_CLI_PATH = configured;
    env.PATH = join(root, 'bin');
    expect(await resolveTemporalCli({ env, goVersion: noGo })).toEqual({ type: 'existing-path', path: configured });
  });

  test('a TEMPORAL_CLI_PATH that is not an executable stops with a message naming it', async () => {
    env.TEMPORAL_CLI_PATH = join(root, 'missing', 'temporal');
    await expect(resolveTemporalCli({ env, goVersion: noGo })).rejects.toThrow(/TEMPORAL_CLI_PATH=.*missing\/temporal is not an executable/);
  });

  test('then `temporal` on PATH', async () => {
    const onPath = await executable(join(root, 'bin'));
    await executable(temporalCliCacheDir(env));
    env.PATH = [join(root, 'nothing-here'), join(root, 'bin')].join(':');
    expect(await resolveTemporalCli({ env, goVersion: noGo })).toEqual({ type: 'existing-path', path: onPath });
  });

  test('then a cached build in the user cache folder, pinned by version', async () => {
    const cached = await executable(temporalCliCacheDir(env));
    expect(cached).toBe(join(root, 'cache', 'bankfeed', `temporal-cli-${TEMPORAL_CLI_VERSION}`, 'temporal'));
    expect(await resolveTemporalCli({ env, goVersion: noGo })).toEqual({ type: 'existing-path', path: cached });
  });

  test('then a go install into the cache folder when Go >= 1.25 is present, with progress', async () => {
    const lines: string[] = [];
    const installs: string[] = [];
    const result = await resolveTemporalCli({
      env,
      log: (line) => lines.push(line),
      goVersion: async () => [1, 25],
      goInstall: async (gobin) => {
        installs.push(gobin);
        await executable(gobin);
      },
    });
    const cached = join(temporalCliCacheDir(env), 'temporal');
    expect(result).toEqual({ type: 'existing-path', path: cached });
    expect(installs).toHaveLength(1);
    expect(lines[0]).toMatch(/Building the Temporal CLI v1\.5\.1 with Go/);
    expect(lines.at(-1)).toMatch(/Built the Temporal CLI in \d+ s/);
    // The next resolution finds the build in the cache instead of building again.
    expect(await resolveTemporalCli({ env, goVersion: noGo })).toEqual(result);
  });

  test('a failed go install leaves no half-built binary behind', async () => {
    const build = resolveTemporalCli({
      env,
      log: () => {},
      goVersion: async () => [1, 26],
      goInstall: async (gobin) => {
        await writeFile(join(gobin, 'temporal'), 'partial');
        throw new Error('compiler crashed');
      },
    });
    await expect(build).rejects.toThrow('compiler crashed');
    expect(await resolveTemporalCli({ env, log: () => {}, goVersion: noGo })).toEqual({ type: 'cached-download' });
  });

  test('last, the SDK download, when Go is missing or older than 1.25', async () => {
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    expect(await resolveTemporalCli({ env, log, goVersion: async () => [1, 24] })).toEqual({ type: 'cached-download' });
    expect(await resolveTemporalCli({ env, log, goVersion: noGo })).toEqual({ type: 'cached-download' });
    expect(lines[0]).toMatch(/needs internet access/);
  });
});
