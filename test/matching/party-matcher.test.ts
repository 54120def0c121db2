/**
 * Party matching on real Postgres (or PGlite): each kind of match, ambiguity reported as
 * candidates, tenants kept apart, and new transactions stored matched.
 */
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bankAccounts, parties, tenants, transactions } from '../../db/schema.js';
import { inTransaction } from '../../db/transaction.js';
import { CONFIDENCE, matchParties, similarNameLookup, SIMILARITY_THRESHOLD, type MatchInput } from '../../matching/party-matcher.js';
import { upsertParties, type PartyInput } from '../../parties/store.js';
import { FingerprintCounter } from '../../transactions/identity.js';
import { openBatchStore } from '../../transactions/store.js';
import { partyInput as party } from '../helpers/parties.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.drop());

const ORSTED_IBAN = 'DK5000400440116243';
const MULLER_IBAN = 'DE89370400440532013000';
const SHARED_IBAN = 'NL91ABNA0417164300';


async function tenantWith(registered: PartyInput[]) {
  const [tenant] = await database.db.insert(tenants).values({ name: 'matching' }).returning();
  const [account] = await database.db.insert(bankAccounts).values({ tenantId: tenant!.id, iban: 'DE02120300000000202051', currency: 'EUR' }).returning();
  await inTransaction(database, (tx) => upsertParties(tx, tenant!.id, registered));
  const stored = await database.db.select().from(parties).where(eq(parties.tenantId, tenant!.id));
  const ids = new Map(stored.map((row) => [row.externalId, row.id]));
  return { tenantId: tenant!.id, accountId: account!.id, ids };
}

const entry = (accountId: string, fields: Partial<MatchInput>): MatchInput => ({ accountId, amount: '-10.00', ...fields });

describe('matchParties', () => {
  test('by IBAN, by normalised name, by a similar name, or not at all; the party default ledger account suggested', async () => {
    const { tenantId, accountId, ids } = await tenantWith([
      party('C-1', 'Ørsted Salg & Service A/S', { ibans: [ORSTED_IBAN], defaultLedgerAccountCode: '4010' }),
      party('C-2', 'Müller & Söhne KG', { ibans: [MULLER_IBAN], otherNames: ['Mueller und Soehne'] }),
      party('S-1', 'Danske Commodities Trading and Energy A/S', { kind: 'supplier', defaultLedgerAccountCode: '5500' }),
      party('S-2', 'Stadtwerke München GmbH', { kind: 'supplier' }),
    ]);
    const decisions = await matchParties(database, tenantId, [
      // The IBAN as a bank may write it, with another name: the IBAN wins.
      entry(accountId, { counterpartyIban: 'dk50 0040 0440 1162 43', counterpartyName: 'Müller & Söhne' }),
      entry(accountId, { counterpartyName: 'MULLER & SOHNE' }),
      entry(accountId, { counterpartyName: 'Mueller und Soehne GmbH' }),
      entry(accountId, { counterpartyName: 'DANSKE COMMODITIES TRADING AND E' }),
      entry(accountId, { counterpartyName: 'Stadtwerke Münster' }),
      entry(accountId, { counterpartyName: null, counterpartyIban: null }),
      entry(accountId, { counterpartyName: 'Netto Nørrebro', counterpartyIban: 'DE02120300000000202051' }),
    ]);
    expect(decisions[0]).toEqual({ partyId: ids.get('C-1'), match: 'iban', confidence: CONFIDENCE.iban, ledgerAccountCode: '4010' });
    expect(decisions[1]).toEqual({ partyId: ids.get('C-2'), match: 'name', confidence: CONFIDENCE.name, ledgerAccountCode: null });
    expect(decisions[2]).toEqual({ partyId: ids.get('C-2'), match: 'name', confidence: CONFIDENCE.name, ledgerAccountCode: null });
    expect(decisions[3]).toMatchObject({ partyId: ids.get('S-1'), match: 'similar_name', ledgerAccountCode: '5500' });
    expect(decisions[3]!.confidence).toBeGreaterThanOrEqual(SIMILARITY_THRESHOLD * 0.9);
    expect(decisions[3]!.confidence).toBeLessThan(CONFIDENCE.name);
    // A different party sharing a word is no match (similarity 0.58).
    expect(decisions.slice(4)).toEqual([undefined, undefined, undefined]);
  });

  test('two parties equally likely are candidates, none chosen: one IBAN for two parties, two names that normalise alike', async () => {
    const { tenantId, accountId, ids } = await tenantWith([
      party('A', 'Holding Nord ApS', { ibans: [SHARED_IBAN], defaultLedgerAccountCode: '1' }),
      party('B', 'Holding Nord A/S', { ibans: [SHARED_IBAN], defaultLedgerAccountCode: '2' }),
    ]);
    const [byIban, byName] = await matchParties(database, tenantId, [entry(accountId, { counterpartyIban: SHARED_IBAN }), entry(accountId, { counterpartyName: 'HOLDING NORD' })]);
    const candidates = (match: string, confidence: number) =>
      [ids.get('A')!, ids.get('B')!].sort().map((partyId) => ({ partyId, match, confidence }));
    expect(byIban).toEqual({ partyId: null, match: 'iban', confidence: CONFIDENCE.iban, candidates: candidates('iban', CONFIDENCE.iban), ledgerAccountCode: null });
    expect(byName).toEqual({ partyId: null, match: 'name', confidence: CONFIDENCE.name, candidates: candidates('name', CONFIDENCE.name), ledgerAccountCode: null });
  });

  test('registered names are in the trigram index proper, not in its pending list that every similar-name lookup reads whole', async () => {
    const { tenantId, accountId, ids } = await tenantWith(Array.from({ length: 300 }, (_, i) => party(`P-${i}`, `Handelshaus ${i} Nord GmbH`)));
    const [pending] = await database.rows<{ pages: number }>(sql`select gin_clean_pending_list('party_identifiers_name_trigrams'::regclass)::int as pages`);
    expect(pending!.pages).toBe(0);
    expect((await matchParties(database, tenantId, [entry(accountId, { counterpartyName: 'HANDELSHAUS 17 NORD' })]))[0]).toMatchObject({ partyId: ids.get('P-17') });
  });

  test('similar names are looked up through the trigram index, also before the statistics know the tenant (just registered)', async () => {
    const { tenantId } = await tenantWith(Array.from({ length: 300 }, (_, i) => party(`T-${i}`, `Fjordhandel ${i} Logistik ApS`)));
    const plan = await database.rows(sql`explain (format json) ${similarNameLookup(tenantId, ['fjordhandel 7 logistik', 'nordlicht handel'])}`);
    expect(JSON.stringify(plan)).toContain('"Index Name":"party_identifiers_name_trigrams"');
  });

  test("a tenant's parties never match another tenant's transactions", async () => {
    const a = await tenantWith([party('A', 'Fjordkraft Logistik AS', { ibans: [ORSTED_IBAN] })]);
    const b = await tenantWith([party('B', 'Something Else')]);
    const fields = { counterpartyName: 'Fjordkraft Logistik', counterpartyIban: ORSTED_IBAN };
    expect(await matchParties(database, b.tenantId, [entry(b.accountId, fields), entry(b.accountId, { counterpartyName: 'Fjordkraft Logistikk' })])).toEqual([undefined, undefined]);
    expect((await matchParties(database, a.tenantId, [entry(a.accountId, fields)]))[0]).toMatchObject({ partyId: a.ids.get('A'), match: 'iban' });
  });

  test('new transactions are stored matched, in the statement that inserts them', async () => {
    const { accountId, ids } = await tenantWith([party('C-1', 'Café Ørsted ApS', { defaultLedgerAccountCode: '4000' }), party('X', 'Dup'), party('Y', 'DUP AB')]);
    const counter = new FingerprintCounter();
    const store = await openBatchStore(database, accountId, { source: 'feed', keyNamespace: 'nextgenpsd2' });
    const content = [
      { bookingDate: '2026-11-02', amount: '120.00', currency: 'EUR', counterpartyName: 'CAFE ORSTED' },
      { bookingDate: '2026-11-02', amount: '5.00', currency: 'EUR', counterpartyName: 'dup' },
      { bookingDate: '2026-11-03', amount: '-3.00', currency: 'EUR', counterpartyName: 'Netto' },
    ];
    await store.store(content.map((c) => ({ ...c, fingerprint: counter.fingerprint(c) })));
    expect(await store.finish()).toEqual({ inserted: 3, updated: 0 });
    const rows = await database.db.select().from(transactions).where(eq(transactions.accountId, accountId)).orderBy(transactions.amount);
    expect(rows.map((r) => [r.counterpartyName, r.partyId, r.partyMatch, r.partyConfidence, r.ledgerAccountCode, r.partyCandidates?.map((c) => c.partyId).sort()])).toEqual([
      ['Netto', null, null, null, null, undefined],
      ['dup', null, 'name', '0.950', null, [ids.get('X'), ids.get('Y')].sort()],
      ['CAFE ORSTED', ids.get('C-1'), 'name', '0.950', '4000', undefined],
    ]);
  });
});
