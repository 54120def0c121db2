/**
 * Re-matching existing transactions after a party changes, on the whole stack: the Demo Bank's
 * parties registered through the API, a quarter of the firma account imported, then a party gets
 * an IBAN. The re-matching workflow (small batches, continuing as new, its worker restarted
 * mid-way) must bring every affected transaction into the feed exactly once as modified, and no
 * other; a transaction the ledger confirmed stays as it was.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { TransactionView } from '../../api/schemas/transactions.js';
import { changeHorizon } from '../../db/change-horizon.js';
import { compactIban } from '../../domain/iban.js';
import { rematchWorkflowId } from '../../workflows/rematch.js';
import type { DemoParty } from '../helpers/demobank.js';
import { startLifecycleStack, until, type LifecycleStack } from '../helpers/lifecycle.js';

let stack: LifecycleStack;
/** Small batches and short runs: a pass over the quarter's ~1,700 transactions takes 17 batches in 6 runs. */
const BATCHING = { batchSize: 100, batchesPerRun: 3 };

interface FeedPage {
  added: TransactionView[];
  modified: TransactionView[];
  removed: { id: string }[];
  next_cursor: string;
  has_more: boolean;
}

/** Everything the feed has after `cursor`, and the cursor after it. */
async function feed(cursor?: string) {
  const all = { added: [] as TransactionView[], modified: [] as TransactionView[], removed: [] as { id: string }[] };
  let page: FeedPage;
  do {
    page = await stack.api<FeedPage>('GET', `/v1/transactions/sync?count=500${cursor ? `&cursor=${cursor}` : ''}`);
    all.added.push(...page.added);
    all.modified.push(...page.modified);
    all.removed.push(...page.removed);
    cursor = page.next_cursor;
  } while (page.has_more);
  return { ...all, cursor };
}

/** Waits until the tenant's re-matching has no pass left to run. */
const rematched = () => stack.temporal.client.workflow.getHandle(rematchWorkflowId(stack.tenantId)).result();

/**
 * Waits until the feed shows every committed change: it holds back changes of database
 * transactions younger than the oldest one still open in this database (a sync's, say), and a
 * change held back from one read would come in the next window. The feed's own horizon decides.
 */
const feedCaughtUp = () =>
  until(
    async () => {
      const [row] = await stack.database.rows<{ pending: number }>(sql`
        with ${changeHorizon} select count(*)::int as pending from transactions where changed_xid >= (select xid from horizon)`);
      return row!.pending === 0;
    },
    30_000,
    () => 'the feed did not catch up',
  );

beforeAll(async () => {
  stack = await startLifecycleStack({ scale: 1, rematchBatching: BATCHING });
  const { connectionId } = await stack.link({ historyDays: 90, login: { username: 'firma' } });
  await stack.waitFor(connectionId, 'active', (row) => row.lastSyncAt !== null, 120_000);
});
afterAll(() => stack?.close());

test('a party that gets its IBANs: every transaction it affects once in the feed as modified, none other; a confirmed one untouched', async () => {
  // The counterparty IBAN most transactions carry, and the Demo Bank's party that owns it.
  const [{ iban }] = (await stack.database.rows<{ iban: string }>(sql`
    select counterparty_iban as iban from transactions where counterparty_iban is not null
    group by counterparty_iban order by count(*) desc, counterparty_iban limit 1`)) as [{ iban: string }];
  const bankParties = await stack.bank.parties();
  const owner = bankParties.find((party) => party.ibans.map(compactIban).includes(compactIban(iban)))!;
  expect(owner, iban).toBeDefined();
  // Every party registered, the owner without its IBANs and by another name: nothing finds it yet.
  const withoutOwner: DemoParty[] = bankParties.map((party) => (party === owner ? { ...party, name: 'Somebody Else Entirely', ibans: [], other_names: [] } : party));
  await stack.api('PUT', '/v1/parties', { parties: withoutOwner });
  const first = await rematched();
  // The existing transactions were matched for the first time: more than a run's worth of batches.
  expect(first.batches).toBeGreaterThan(BATCHING.batchesPerRun);
  expect(first.changed).toBeGreaterThan(0);

  // The ledger confirms one of the IBAN's transactions for another party: it learns the IBAN too.
  const ownerIbans = new Set(owner.ibans.map(compactIban));
  const rows = await stack.database.rows<{ id: string; counterparty_iban: string }>(sql`select id, counterparty_iban from transactions where counterparty_iban is not null order by id`);
  const affectedIds = rows.filter((row) => ownerIbans.has(compactIban(row.counterparty_iban))).map((row) => row.id);
  const sharedIban = new Set(rows.filter((row) => compactIban(row.counterparty_iban) === compactIban(iban)).map((row) => row.id));
  expect(affectedIds.length).toBeGreaterThan(BATCHING.batchSize);
  const other = bankParties.find((party) => party !== owner)!;
  const confirmedId = [...sharedIban][0]!;
  const affected = affectedIds.filter((id) => id !== confirmedId);
  await stack.api('PATCH', `/v1/transactions/${confirmedId}`, { party_id: other.id });
  await rematched();
  await feedCaughtUp();
  const before = await feed();

  // The owner gets its IBANs back; the worker is stopped and started again while the pass runs.
  await stack.api('PUT', '/v1/parties', { parties: [{ ...owner, name: 'Somebody Else Entirely', other_names: [] }] });
  await new Promise((resolve) => setTimeout(resolve, 150));
  await stack.stopWorker();
  await stack.startWorker();
  expect(await rematched()).toMatchObject({ passes: 1, changed: affected.length });
  await feedCaughtUp();

  const after = await feed(before.cursor);
  expect(after.added).toEqual([]);
  expect(after.removed).toEqual([]);
  const modified = after.modified.map((t) => t.id);
  expect(new Set(modified).size, 'each once').toBe(modified.length);
  expect(modified.sort()).toEqual([...affected].sort());
  // The confirmed IBAN is the owner's and, learned, the other party's: equally likely, reported as candidates.
  for (const transaction of after.modified) {
    if (sharedIban.has(transaction.id)) {
      expect(transaction.party, transaction.id).toBeNull();
      expect(transaction.candidates?.map((c) => c.id).sort()).toEqual([owner.id, other.id].sort());
    } else {
      expect(transaction.party).toMatchObject({ id: owner.id, match: 'iban' });
    }
  }
  const [confirmed] = await stack.database.rows<{ party_match: string }>(sql`select party_match from transactions where id = ${confirmedId}`);
  expect(confirmed).toEqual({ party_match: 'confirmed' });
  // Nothing more comes later.
  expect((await feed(after.cursor)).modified).toEqual([]);
}, 240_000);
