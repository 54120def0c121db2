import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { LockBusyError, openDatabase, type DatabaseHandle } from '../../db/client.js';
import { createTestDatabase } from '../helpers/database.js';

let database: Awaited<ReturnType<typeof createTestDatabase>>;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

test('a lock is exclusive while held and free again afterwards, even after a failure', async () => {
  let release!: () => void;
  let acquired!: () => void;
  const held = new Promise<void>((resolve) => (acquired = resolve));
  const holding = database.withLock('account:1', () => new Promise<void>((resolve) => ((release = resolve), acquired())));
  // On Postgres taking the lock is a round trip: ask again only once the first holder has it.
  await held;
  await expect(database.withLock('account:1', async () => 'second')).rejects.toBeInstanceOf(LockBusyError);
  expect(await database.withLock('account:2', async () => 'other key')).toBe('other key');
  release();
  await holding;
  await expect(database.withLock('account:1', async () => { throw new Error('work failed'); })).rejects.toThrow('work failed');
  expect(await database.withLock('account:1', async () => 'free')).toBe('free');
});

test.runIf(inject('databaseUrl'))('a lock holds across processes sharing Postgres', async () => {
  const other: DatabaseHandle = await openDatabase({ url: database.url, schemaName: database.schemaName, poolSize: 1 });
  try {
    let release!: () => void;
    let acquired!: () => void;
    const held = new Promise<void>((resolve) => (acquired = resolve));
    const holding = database.withLock('account:x', () => new Promise<void>((resolve) => ((release = resolve), acquired())));
    await held;
    await expect(other.withLock('account:x', async () => 'no')).rejects.toBeInstanceOf(LockBusyError);
    release();
    await holding;
    expect(await other.withLock('account:x', async () => 'yes')).toBe('yes');
  } finally {
    await other.close();
  }
});
