import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

const LOCK_FILE_NAME = 'bankfeed.lock';

/** What a lock guards, in the words of its refusal. */
export interface Guarded {
  what: string;
  /** Why one process at a time, and what to do instead. */
  advice: string;
}

const EMBEDDED_DATABASE: Guarded = {
  what: 'the embedded database',
  advice: "PGlite is one process's. Stop it first, or run both against Postgres with DATABASE_URL.",
};

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: { pid: number; command: string },
    guarded: Guarded,
  ) {
    super(
      `${holder.command} (pid ${holder.pid}) is using ${guarded.what} in ${dataDir}, and ${guarded.advice} ` +
        `(If no such process runs, delete ${join(dataDir, LOCK_FILE_NAME)}.)`,
    );
    this.name = 'DataDirLockedError';
  }
}

/**
 * Claims DATA_DIR's embedded database (or what else `guarded` names in a folder) for this process,
 * so `npm start` and `npm run tenant` never open PGlite at the same time. A lock left by a process
 * that died is taken over. Throws DataDirLockedError while a live process holds it.
 */
export async function lockDataDir(dataDir: string, command: string, guarded = EMBEDDED_DATABASE): Promise<{ release(): Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  const mine = JSON.stringify({ pid: process.pid, command });
  // Twice at most: once more after removing a dead process's lock.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const file = await open(path, 'wx');
      await file.writeFile(mine);
      await file.close();
      return {
        async release() {
          if ((await readFile(path, 'utf8').catch(() => '')) === mine) await unlink(path);
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readHolder(path);
    if (holder && isAlive(holder.pid)) throw new DataDirLockedError(dataDir, holder, guarded);
    await unlink(path).catch(() => {});
  }
  throw new Error(`${path} keeps reappearing: another process is claiming ${dataDir} right now`);
}

async function readHolder(path: string): Promise<{ pid: number; command: string } | undefined> {
  try {
    const holder = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; command?: unknown };
    return typeof holder.pid === 'number' ? { pid: holder.pid, command: String(holder.command) } : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
