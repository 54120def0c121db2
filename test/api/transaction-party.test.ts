/**
 * PATCH /v1/transactions/{id} {"party_id": …}: the ledger's confirmation wins over automatic
 * matching for good and teaches the party the counterparty's IBAN and name; null takes it back.
 */
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { auditEvents, parties, partyIdentifiers, transactions } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { rematchBatch } from '../../matching/rematch.js';
import { upsertParties } from '../../parties/store.js';
import { FingerprintCounter } from '../../transactions/identity.js';
import { openBatchStore } from '../../transactions/store.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { partyInput as party } from '../helpers/parties.js';
import { expectProblem } from '../helpers/problem.js';
import { createAccount } from '../helpers/statement-accounts.js';

let api: TestApi;
let other: TestTenant;
let accountId: string;
let ids: Map<string, string>;
const counter = new FingerprintCounter();

const ACME_IBAN = 'DE89370400440532013000';

beforeAll(async () => {
  api = await startTestApi();
  other = await api.addTenant('Other');
  accountId = (await createAccount(api.database, api.tenant.id, 'DK5000400440116243')).id;
  await inTransaction(api.database, (tx) =>
    upsertParties(tx, api.tenant.id, [party('C-1', 'Acme Trading GmbH', { defaultLedgerAccountCode: '1400' }), party('C-2', 'Hansen Cykler ApS')]),
  );
  ids = new Map((await api.database.db.select().from(parties).where(eq(parties.tenantId, api.tenant.id))).map((p) => [p.externalId, p.id]));
});
afterAll(() => api?.close());

async function imported(entries: { counterpartyName?: string; counterpartyIban?: string; amount?: string }[]) {
  const store = await openBatchStore(api.database, accountId, { source: 'feed', keyNamespace: 'nextgenpsd2' });
  const content = entries.map((e) => ({ bookingDate: '2026-03-02', amount: '100', currency: 'EUR', ...e }));
  const stored = content.map((c) => ({ ...c, fingerprint: counter.fingerprint(c) }));
  await store.store(stored);
  await store.finish();
  return Promise.all(
    stored.map(async (entry) => (await api.database.db.select().from(transactions).where(and(eq(transactions.accountId, accountId), eq(transactions.fingerprint, entry.fingerprint))))[0]!),
  );
}

const confirm = (transactionId: string, partyId: string | null, headers = api.tenant.headers) =>
  api.app.inject({ method: 'PATCH', url: `/v1/transactions/${transactionId}`, headers, payload: { party_id: partyId } });
const row = async (id: string) => (await api.database.db.select().from(transactions).where(eq(transactions.id, id)))[0]!;
const learned = async (externalId: string) =>
  (await api.database.db.select().from(partyIdentifiers).where(and(eq(partyIdentifiers.partyId, ids.get(externalId)!), eq(partyIdentifiers.origin, 'learned'))))
    .map((i) => `${i.kind} ${i.value}`)
    .sort();

test('a confirmation sets the party for good and teaches its IBAN and name; later transactions match by them', async () => {
  const [paid] = await imported([{ counterpartyName: 'ACME TRD. INTL', counterpartyIban: 'de89 3704 0044 0532 0130 00', amount: '250' }]);
  expect(paid!.partyId).toBeNull();
  const confirmed = await confirm(paid!.id, 'C-1');
  expect(confirmed.statusCode, confirmed.body).toBe(200);
  expect(confirmed.json()).toMatchObject({ id: paid!.id, counterparty_name: 'ACME TRD. INTL' });
  expect(await row(paid!.id)).toMatchObject({ partyId: ids.get('C-1'), partyMatch: 'confirmed', partyConfidence: '1.000', partyCandidates: null, ledgerAccountCode: '1400', matchingRuleId: null });
  expect(await learned('C-1')).toEqual([`iban ${ACME_IBAN}`, 'name acme trd intl']);

  const [byIban, byName] = await imported([{ counterpartyIban: ACME_IBAN, amount: '251' }, { counterpartyName: 'Acme Trd Intl', amount: '252' }]);
  expect([byIban!.partyId, byIban!.partyMatch, byName!.partyId, byName!.partyMatch]).toEqual([ids.get('C-1'), 'iban', ids.get('C-1'), 'name']);

  // Re-matching never touches the confirmed row, whatever the parties say now.
  await inTransaction(api.database, (tx) => upsertParties(tx, api.tenant.id, [party('C-2', 'Hansen Cykler ApS', { ibans: [ACME_IBAN] })]));
  await rematchBatch(api.database, { tenantId: api.tenant.id, afterId: null, limit: 1000 });
  expect(await row(paid!.id)).toMatchObject({ partyId: ids.get('C-1'), partyMatch: 'confirmed' });
  // The IBAN is now both parties': ambiguous for the unconfirmed one, reported as candidates.
  expect(await row(byIban!.id)).toMatchObject({ partyId: null, partyMatch: 'iban' });
  await inTransaction(api.database, (tx) => upsertParties(tx, api.tenant.id, [party('C-2', 'Hansen Cykler ApS')]));
});

test('confirming another party moves what the row taught; null takes it back and matches the row automatically at once', async () => {
  const [paid] = await imported([{ counterpartyName: 'Hansen Cykler', counterpartyIban: 'NL91ABNA0417164300', amount: '300' }]);
  expect(paid!).toMatchObject({ partyId: ids.get('C-2'), partyMatch: 'name' });
  expect((await confirm(paid!.id, 'C-1')).statusCode).toBe(200);
  expect(await learned('C-1')).toContain('iban NL91ABNA0417164300');
  expect((await confirm(paid!.id, 'C-2')).statusCode).toBe(200);
  expect(await learned('C-1')).not.toContain('iban NL91ABNA0417164300');
  // The name is the ledger's own for C-2 already: nothing to learn there.
  expect(await learned('C-2')).toEqual(['iban NL91ABNA0417164300']);

  const back = await confirm(paid!.id, null);
  expect(back.statusCode, back.body).toBe(200);
  expect(await learned('C-2')).toEqual([]);
  // The ledger's own name for C-2 still matches it: automatic again, by name.
  expect(await row(paid!.id)).toMatchObject({ partyId: ids.get('C-2'), partyMatch: 'name', partyConfidence: '0.950' });
  // null on a row that is not confirmed changes nothing.
  const before = await row(paid!.id);
  expect((await confirm(paid!.id, null)).statusCode).toBe(200);
  expect(await row(paid!.id)).toEqual(before);
});

test('a lesson stays while another confirmed transaction of the party teaches it', async () => {
  const [first, second] = await imported([
    { counterpartyName: 'Zeta Consulting', counterpartyIban: 'DK5000400440116243', amount: '401' },
    { counterpartyName: 'ZETA CONSULTING', counterpartyIban: 'DK5000400440116243', amount: '402' },
  ]);
  await confirm(first!.id, 'C-1');
  await confirm(second!.id, 'C-1');
  await confirm(first!.id, null);
  expect(await learned('C-1')).toEqual(expect.arrayContaining(['iban DK5000400440116243', 'name zeta consulting']));
  // Matched back by what the other confirmation taught.
  expect(await row(first!.id)).toMatchObject({ partyId: ids.get('C-1'), partyMatch: 'iban' });
});

test('audited with ids and counts; other tenants, unknown ids and parties, malformed bodies refused, nothing changed', async () => {
  const [paid] = await imported([{ counterpartyName: 'Omega Holding', amount: '500' }]);
  await confirm(paid!.id, 'C-1');
  const events = await api.database.db.select().from(auditEvents).where(eq(auditEvents.targetId, paid!.id));
  expect(events.map((e) => [e.action, e.details])).toEqual([['transaction.party_confirmed', { party_id: ids.get('C-1'), learned: 1, unlearned: 0 }]]);
  expect(JSON.stringify(events)).not.toMatch(/omega/i);

  const [fresh] = await imported([{ counterpartyName: 'Sigma', amount: '501' }]);
  expectProblem(await confirm(fresh!.id, 'C-1', other.headers), 404, 'not-found');
  expectProblem(await confirm(fresh!.id, null, other.headers), 404, 'not-found');
  expectProblem(await confirm('00000000-0000-4000-8000-000000000000', 'C-1'), 404, 'not-found');
  expectProblem(await confirm(fresh!.id, 'nobody'), 422, 'unknown-party');
  for (const payload of [{}, { party_id: '' }, { party_id: 5 }, { party_id: 'C-1', kind: 'x' }]) {
    expectProblem(await api.app.inject({ method: 'PATCH', url: `/v1/transactions/${fresh!.id}`, headers: api.tenant.headers, payload }), 400);
  }
  expect(await row(fresh!.id)).toMatchObject({ partyId: null, partyMatch: null });
});
