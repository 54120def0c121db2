import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../db/data-dir-lock.js';

const tempDir = () => mkdtemp(join(tmpdir(), 'bankfeed-lock-'));

test('one holder at a time: a second claim is refused, naming the holder, until the first releases', async () => {
  const dataDir = join(await tempDir(), 'data');
  const lock = await lockDataDir(dataDir, 'npm start');
  const refusal = await lockDataDir(dataDir, 'npm run tenant').catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(DataDirLockedError);
  expect((refusal as Error).message).toMatch(new RegExp(`^npm start \\(pid ${process.pid}\\) is using the embedded database .* Stop it first, or run both against Postgres with DATABASE_URL`));
  await lock.release();
  const again = await lockDataDir(dataDir, 'npm run tenant');
  await again.release();
});

test('a lock left by a process that died is taken over', async () => {
  const dataDir = await tempDir();
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  await writeFile(join(dataDir, 'bankfeed.lock'), JSON.stringify({ pid: dead, command: 'npm start' }));
  const lock = await lockDataDir(dataDir, 'npm run tenant');
  expect(JSON.parse(await readFile(join(dataDir, 'bankfeed.lock'), 'utf8'))).toEqual({ pid: process.pid, command: 'npm run tenant' });
  await lock.release();
});
