/**
 * The transactions feed under concurrent writes: a change committed late must not slip behind a
 * cursor handed out meanwhile, and a reader following the cursor while syncs run ends up with
 * every transaction exactly once.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import postgres from 'postgres';
import { afterAll, beforeAll, expect, inject, test } from 'vitest';
import { transactions } from '../../db/schema.js';
import { startLifecycleStack, type LifecycleStack } from '../helpers/lifecycle.js';

const SCALE = 43_200;
let stack: LifecycleStack;

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: SCALE, timings: { linkTimeoutMs: 30_000 } });
});
afterAll(() => stack?.close());

interface FeedPage {
  added: { id: string }[];
  modified: { id: string }[];
  removed: { id: string }[];
  next_cursor: string;
  has_more: boolean;
}

async function readFeed(cursor: string, count = 50): Promise<FeedPage> {
  const response = await stack.app.inject({ method: 'GET', url: `/v1/transactions/sync?count=${count}${cursor && `&cursor=${cursor}`}`, headers: stack.headers });
  expect(response.statusCode).toBe(200);
  return response.json();
}

/** Follows the feed to its end; the ids seen as added (with repeats) and the last cursor. */
async function drain(cursor: string, added: string[]) {
  for (;;) {
    const page = await readFeed(cursor);
    added.push(...page.added.map((t) => t.id));
    cursor = page.next_cursor;
    if (!page.has_more) return cursor;
  }
}

/** An account whose connection imported and was disconnected: nothing writes to it any more but the test. */
async function quietAccount() {
  const { connectionId } = await stack.link({ login: { username: 'anna' }, historyDays: 5 });
  await stack.waitFor(connectionId, 'active', (r) => r.lastSyncAt !== null);
  await stack.connections.disconnect(connectionId);
  await stack.waitFor(connectionId, 'disconnected');
  const [account] = await stack.accounts(connectionId);
  return account!;
}

test.runIf(inject('databaseUrl'))('a change committed after a later one is not skipped: the feed waits for it', async () => {
  const account = await quietAccount();
  let cursor = await drain('', []);

  const sql = postgres(stack.database.url!, { max: 2, connection: { search_path: stack.database.schemaName }, onnotice: () => {} });
  try {
    const row = (id: string) => ({
      id, account_id: account.id, fingerprint: randomUUID(), booking_date: '2026-01-02', amount: '-1.00', currency: 'SEK',
    });
    const early = randomUUID();
    const late = randomUUID();
    const slow = await sql.reserve();
    await slow`begin`;
    // The slow transaction takes its change sequence number first...
    await slow`insert into transactions ${slow(row(early))}`;
    // ...then a quick one commits with a higher number.
    await sql`insert into transactions ${sql(row(late))}`;
    const meanwhile = await readFeed(cursor);
    expect(meanwhile.added).toEqual([]); // the quick one waits behind the open transaction
    cursor = meanwhile.next_cursor;
    await slow`commit`;
    slow.release();
    const after = await readFeed(cursor);
    expect(after.added.map((t) => t.id).sort()).toEqual([early, late].sort());
  } finally {
    await sql.end();
  }
});

test.runIf(inject('databaseUrl'))('a transaction open in another database of the cluster does not hold the feed back', async () => {
  const account = await quietAccount();
  const cursor = await drain('', []);

  const url = new URL(stack.database.url!);
  const here = postgres(url.href, { max: 1, connection: { search_path: stack.database.schemaName }, onnotice: () => {} });
  const otherName = `feed_other_${randomUUID().slice(0, 8)}`;
  await here.unsafe(`create database ${otherName}`);
  url.pathname = `/${otherName}`;
  const other = postgres(url.href, { max: 1, onnotice: () => {} });
  const elsewhere = await other.reserve();
  try {
    await elsewhere`begin`;
    await elsewhere`create table report (x int)`; // holds a transaction id, as a long report or migration there would
    const id = randomUUID();
    await here`insert into transactions ${here({ id, account_id: account.id, fingerprint: randomUUID(), booking_date: '2026-01-02', amount: '-1.00', currency: 'SEK' })}`;
    expect((await readFeed(cursor)).added.map((t) => t.id)).toEqual([id]);
  } finally {
    await elsewhere`rollback`;
    elsewhere.release();
    await other.end();
    await here.unsafe(`drop database ${otherName} with (force)`);
    await here.end();
  }
});

test('a reader following the feed while syncs run ends with every transaction, each added once', async () => {
  const { connectionId } = await stack.link({ login: { username: 'jonas' }, historyDays: 10 });
  const added: string[] = [];
  let cursor = '';
  // Read while the initial import and scheduled syncs (a bank day every 2 s) write.
  const until = Date.now() + 8000;
  while (Date.now() < until) {
    cursor = await drain(cursor, added);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stack.connections.disconnect(connectionId);
  await stack.waitFor(connectionId, 'disconnected');
  await drain(cursor, added);

  const accountIds = (await stack.accounts(connectionId)).map((a) => a.id);
  const stored = (await Promise.all(accountIds.map((id) => stack.database.db.select({ id: transactions.id }).from(transactions).where(eq(transactions.accountId, id))))).flat();
  expect(stored.length).toBeGreaterThan(0);
  const seen = new Set(added);
  expect(stored.filter((t) => !seen.has(t.id))).toEqual([]);
  // Pages of 50 end inside a sync's batch: an entry may repeat there, but nowhere else.
  expect(added.length - seen.size).toBeLessThanOrEqual(Math.ceil(added.length / 50));
});
