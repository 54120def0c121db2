/**
 * The Demo Bank's state on disk, DIR/state.json: read once at start-up, written whole whenever the
 * state changed, to a temporary file that is flushed and then renamed over the old one, so a crash
 * at any moment leaves the old file or the new one, never a torn one. The folder is one bank's at
 * a time (a second bank on it would overwrite the first's consents with its own).
 */
import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import Value from 'typebox/value';
import { lockDataDir, type Guarded } from '../db/data-dir-lock.js';
import { BankState } from './state.js';

const FILE_NAME = 'state.json';

const ONE_BANK: Guarded = { what: 'its state', advice: "a bank's state is one process's. Stop it first, or give each bank a DATA_DIR of its own." };

export interface StateFile<T> {
  /** What `restore` made of the file; undefined for a new bank, or when the file could not be read (see `problem`). */
  restored?: T;
  /** Why the file could not be read, and where it was set aside. */
  problem?: string;
  /** Writes `state` unless it is what was written last; resolves once it is on disk. */
  save(state: BankState): Promise<void>;
  /** Waits for the last write, then gives the folder up. */
  close(): Promise<void>;
}

/**
 * Claims `dir` (DataDirLockedError while another live process has it) and reads its state file
 * through `restore`. A file that cannot be read (not JSON, not this version's shape, or naming what
 * `restore` does not know) never stops the bank: this module's writes cannot tear it, so it was
 * changed from outside; it is set aside, not overwritten, and the bank starts new, as it did before
 * it kept state (its consents unknown, the links to be made again).
 */
export async function openStateFile<T>(dir: string, restore: (state: BankState) => T): Promise<StateFile<T>> {
  await mkdir(dir, { recursive: true });
  const lock = await lockDataDir(dir, 'a Demo Bank', ONE_BANK);
  const path = join(dir, FILE_NAME);
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      await lock.release();
      throw error;
    }
  }
  let restored: T | undefined;
  let problem: string | undefined;
  if (text !== undefined) {
    try {
      restored = restore(parse(text));
    } catch (error) {
      const aside = `${path}.unreadable-${Date.now()}`;
      await rename(path, aside);
      problem = `The Demo Bank's state in ${path} is unreadable (${(error as Error).message}): it was moved to ${aside}, and the bank starts without its consents.`;
    }
  }

  let onDisk = restored === undefined ? undefined : text;
  let latest = onDisk;
  // One write at a time, each of the newest state: a save resolves once a state at least as new as its own is on disk.
  let queue = Promise.resolve();
  const flush = async () => {
    const newest = latest!;
    if (newest === onDisk) return;
    await writeReplacing(path, newest);
    onDisk = newest;
  };
  return {
    restored,
    problem,
    save(state) {
      latest = JSON.stringify(state, null, 2);
      const written = queue.then(flush);
      // A failed write fails its caller's save; the next save writes again.
      queue = written.catch(() => {});
      return written;
    },
    async close() {
      await queue;
      await lock.release();
    },
  };
}

function parse(text: string): BankState {
  const value: unknown = JSON.parse(text);
  const [first] = Value.Errors(BankState, value);
  if (first) throw new Error(`${first.instancePath || '/'} ${first.message}`);
  return value as BankState;
}

async function writeReplacing(path: string, text: string): Promise<void> {
  const temporary = `${path}.tmp`;
  const file = await open(temporary, 'w');
  try {
    await file.writeFile(text);
    // On disk before the rename: after a power cut the file is the old one or the new one, not an empty one.
    await file.sync();
  } finally {
    await file.close();
  }
  await rename(temporary, path);
}
