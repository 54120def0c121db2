/**
 * Parties through the API: registered in bulk by the ledger's ids, listed, removed; statement
 * files matched to them on upload; transactions in lists and the feed carrying their party,
 * candidates and suggested ledger account; filters by party and unmatched.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { MAX_PARTIES_PER_REQUEST } from '../../api/routes/parties.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { camtText, type CamtEntry } from '../helpers/camt.js';
import { until } from '../helpers/lifecycle.js';
import { expectProblem } from '../helpers/problem.js';

const ACCOUNT_IBAN = 'DE89370400440532013000';
const FJORDKRAFT_IBAN = 'NO9386011117947';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const call = (tenant: TestTenant, method: 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
  api.app.inject({ method, url, headers: tenant.headers, ...(payload && { payload }) });

const PARTIES = [
  { id: 'C-1', kind: 'customer', name: 'Fjordkraft Logistik AS', ibans: ['no93 8601 1117 947'], default_ledger_account_code: '1400' },
  { id: 'C-2', kind: 'customer', name: 'Müller & Söhne KG', other_names: ['Mueller und Soehne'] },
  { id: 'S-1', kind: 'supplier', name: 'Lagerhaus Nord Logistik GmbH', default_ledger_account_code: '5400' },
  { id: 'S-2', kind: 'supplier', name: 'Holding Nord ApS' },
  { id: 'S-3', kind: 'supplier', name: 'Holding Nord A/S' },
];

const ENTRIES: CamtEntry[] = [
  { bookingDate: '2026-11-02', amount: '1200.00', reference: 'R1', counterpartyName: 'FJORDKRAFT', counterpartyIban: FJORDKRAFT_IBAN, remittanceInformation: 'Invoice 2026-1001' },
  { bookingDate: '2026-11-03', amount: '530.10', reference: 'R2', counterpartyName: 'MULLER & SOHNE', remittanceInformation: 'Invoice 2026-1002' },
  { bookingDate: '2026-11-04', amount: '-799.00', reference: 'R3', counterpartyName: 'LAGERHAUS NORD LOGISTI', remittanceInformation: 'RF18 5390 0754 7034' },
  { bookingDate: '2026-11-05', amount: '-45.00', reference: 'R4', counterpartyName: 'Holding Nord', remittanceInformation: 'Fee' },
  { bookingDate: '2026-11-06', amount: '-12.40', reference: 'R5', counterpartyName: 'Netto Nørrebro', remittanceInformation: 'Card' },
];

/** A tenant with the parties, `before` done, and then the statement uploaded. */
async function tenantWithStatement(before: (tenant: TestTenant) => Promise<void> = async () => {}) {
  const tenant = await api.addTenant(`Parties ${Math.random()}`);
  const registered = await call(tenant, 'PUT', '/v1/parties', { parties: PARTIES });
  expect(registered.statusCode, registered.body).toBe(200);
  expect(registered.json()).toEqual({ created: 5, updated: 0 });
  await before(tenant);
  const account = (await call(tenant, 'POST', '/v1/accounts', { iban: ACCOUNT_IBAN, currency: 'EUR' })).json();
  const file = camtText({ iban: ACCOUNT_IBAN, currency: 'EUR', messageId: 'M1', statements: [{ id: 'S1', opening: '0.00', entries: ENTRIES }] });
  const uploaded = await api.app.inject({ method: 'POST', url: `/v1/accounts/${account.id}/statements`, headers: { ...tenant.headers, 'content-type': 'application/xml' }, payload: file });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  return { tenant, accountId: account.id as string };
}

type Listed = {
  counterparty_name: string;
  party: { id: string; kind: string; match: string; confidence: number } | null;
  candidates?: unknown[];
  references: { kind: string; value: string }[];
  ledger_account_code: string | null;
};
/**
 * The feed's changes after `cursor` once it shows at least `count`: the feed holds back what
 * committed after a transaction still open in this database.
 */
async function feedChanges(tenant: TestTenant, cursor: string, count: number) {
  const page = () => call(tenant, 'GET', `/v1/transactions/sync${cursor && `?cursor=${cursor}`}`).then((response) => response.json<{ added: Listed[]; modified: Listed[]; next_cursor: string }>());
  return until(async () => {
    const read = await page();
    return read.added.length + read.modified.length >= count && read;
  }, 15_000, () => `the feed did not show ${count} changes`);
}

const byName = (rows: Listed[]) => new Map(rows.map((row) => [row.counterparty_name, row]));

describe('parties', () => {
  test('registered in bulk by the ledger id, updated by the same id, listed, read, filtered and removed', async () => {
    const tenant = await api.addTenant('Registry');
    expect((await call(tenant, 'PUT', '/v1/parties', { parties: PARTIES })).json()).toEqual({ created: 5, updated: 0 });
    const again = await call(tenant, 'PUT', '/v1/parties', { parties: [{ ...PARTIES[1], name: 'Müller & Söhne GmbH', other_names: [] }, { id: 'E-1', kind: 'employee', name: 'Jane Doe' }] });
    expect(again.json()).toEqual({ created: 1, updated: 1 });

    const one = await call(tenant, 'GET', '/v1/parties/C-1');
    expect(one.json()).toMatchObject({ id: 'C-1', kind: 'customer', name: 'Fjordkraft Logistik AS', ibans: [FJORDKRAFT_IBAN], other_names: [], default_ledger_account_code: '1400' });
    expect((await call(tenant, 'GET', '/v1/parties/C-2')).json()).toMatchObject({ name: 'Müller & Söhne GmbH', other_names: [] });

    const pages: string[] = [];
    for (let cursor: string | null = ''; cursor !== null; ) {
      const listed: { data: { id: string }[]; next_cursor: string | null } = (await call(tenant, 'GET', `/v1/parties?limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
      pages.push(...listed.data.map((p) => p.id));
      cursor = listed.next_cursor;
    }
    expect(pages.sort()).toEqual(['C-1', 'C-2', 'E-1', 'S-1', 'S-2', 'S-3']);
    expect((await call(tenant, 'GET', '/v1/parties?kind=supplier')).json().data.map((p: { id: string }) => p.id).sort()).toEqual(['S-1', 'S-2', 'S-3']);
    expect((await call(tenant, 'GET', '/v1/parties?q=holding%20nord')).json().data).toHaveLength(2);

    expect((await call(tenant, 'DELETE', '/v1/parties/E-1')).statusCode).toBe(204);
    expectProblem(await call(tenant, 'GET', '/v1/parties/E-1'), 404);
    expectProblem(await call(tenant, 'DELETE', '/v1/parties/E-1'), 404);

    // Another tenant has none of them, and may use the same ids for its own.
    const other = await api.addTenant('Other registry');
    expectProblem(await call(other, 'GET', '/v1/parties/C-1'), 404);
    expectProblem(await call(other, 'DELETE', '/v1/parties/C-1'), 404);
    expect((await call(other, 'GET', '/v1/parties')).json().data).toEqual([]);
    expect((await call(other, 'PUT', '/v1/parties', { parties: [PARTIES[0]] })).json()).toEqual({ created: 1, updated: 0 });
    expect((await call(tenant, 'GET', '/v1/parties/C-1')).json().name).toBe('Fjordkraft Logistik AS');
  });

  test('a request that is not right changes nothing: a wrong IBAN, an id twice, too many, unknown fields', async () => {
    const tenant = await api.addTenant('Refusals');
    expect(expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: [PARTIES[0], { ...PARTIES[1], ibans: ['DE00370400440532013000'] }] }), 400, 'invalid-iban').detail).toMatch(/parties\/1\/ibans\/0/);
    expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: [PARTIES[0], PARTIES[0]] }), 400, 'duplicate-party');
    expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: [{ ...PARTIES[0], colour: 'red' }] }), 400);
    expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: [{ ...PARTIES[0], kind: 'friend' }] }), 400);
    expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: [{ ...PARTIES[0], id: 'x'.repeat(101) }] }), 400);
    expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: [] }), 400);
    const tooMany = Array.from({ length: MAX_PARTIES_PER_REQUEST + 1 }, (_, i) => ({ id: `P-${i}`, kind: 'customer', name: `Customer ${i}` }));
    expectProblem(await call(tenant, 'PUT', '/v1/parties', { parties: tooMany }), 400);
    expectProblem(await call(tenant, 'GET', '/v1/parties?kind=friend'), 400);
    expect((await call(tenant, 'GET', '/v1/parties')).json().data).toEqual([]);
  });

  test(`${MAX_PARTIES_PER_REQUEST.toLocaleString('en')} parties in one request`, async () => {
    const tenant = await api.addTenant('Many');
    const many = Array.from({ length: MAX_PARTIES_PER_REQUEST }, (_, i) => ({ id: `P-${i}`, kind: 'customer', name: `Customer ${i} ApS`, other_names: [`C${i}`] }));
    const response = await call(tenant, 'PUT', '/v1/parties', { parties: many });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toEqual({ created: MAX_PARTIES_PER_REQUEST, updated: 0 });
  });
});

describe('transactions and their parties', () => {
  test('a statement file is matched on upload: each kind of match, an ambiguous one as candidates, none for a stranger', async () => {
    const { tenant, accountId } = await tenantWithStatement();
    const listed = await call(tenant, 'GET', `/v1/accounts/${accountId}/transactions`);
    expect(listed.statusCode, listed.body).toBe(200);
    const rows = byName(listed.json().data);
    expect(rows.get('FJORDKRAFT')).toMatchObject({ party: { id: 'C-1', kind: 'customer', match: 'iban', confidence: 0.99 }, ledger_account_code: '1400', references: [] });
    expect(rows.get('MULLER & SOHNE')).toMatchObject({ party: { id: 'C-2', kind: 'customer', match: 'name', confidence: 0.95 }, ledger_account_code: null });
    expect(rows.get('LAGERHAUS NORD LOGISTI')).toMatchObject({ party: { id: 'S-1', kind: 'supplier', match: 'similar_name' }, ledger_account_code: '5400' });
    expect(rows.get('LAGERHAUS NORD LOGISTI')!.party!.confidence).toBeLessThan(0.95);
    const ambiguous = rows.get('Holding Nord')!;
    expect(ambiguous.party).toBeNull();
    expect(ambiguous.candidates).toEqual(
      expect.arrayContaining([
        { id: 'S-2', kind: 'supplier', match: 'name', confidence: 0.95 },
        { id: 'S-3', kind: 'supplier', match: 'name', confidence: 0.95 },
      ]),
    );
    expect(rows.get('Netto Nørrebro')).toMatchObject({ party: null, ledger_account_code: null });
    expect(rows.get('Netto Nørrebro')).not.toHaveProperty('candidates');
    for (const row of rows.values()) if (row.party) expect(row).not.toHaveProperty('candidates');

    const names = async (query: string) => (await call(tenant, 'GET', `/v1/accounts/${accountId}/transactions?${query}`)).json().data.map((r: Listed) => r.counterparty_name).sort();
    expect(await names('party_id=C-2')).toEqual(['MULLER & SOHNE']);
    expect(await names('party_id=nobody')).toEqual([]);
    expect(await names('unmatched=true')).toEqual(['Holding Nord', 'Netto Nørrebro']);
    expect(await names('unmatched=false')).toEqual(['FJORDKRAFT', 'LAGERHAUS NORD LOGISTI', 'MULLER & SOHNE']);
    expect(await names('status=pending&unmatched=false')).toEqual([]);
    expectProblem(await call(tenant, 'GET', `/v1/accounts/${accountId}/transactions?unmatched=maybe`), 400);
  });

  test('a match by the tenant\'s rule is rule:<id> in lists and the feed', async () => {
    let ruleId = '';
    const { tenant, accountId } = await tenantWithStatement(async (tenant) => {
      const rule = await call(tenant, 'POST', '/v1/matching-rules', { condition: { field: 'text', operator: 'equals', value: 'Card' }, party_id: 'S-1' });
      expect(rule.statusCode, rule.body).toBe(201);
      ruleId = rule.json().id;
    });
    const listed = await call(tenant, 'GET', `/v1/accounts/${accountId}/transactions`);
    expect(listed.statusCode, listed.body).toBe(200);
    expect(byName(listed.json().data).get('Netto Nørrebro')!.party).toEqual({ id: 'S-1', kind: 'supplier', match: `rule:${ruleId}`, confidence: 1 });
    const feed = await feedChanges(tenant, '', ENTRIES.length);
    expect(byName(feed.added).get('Netto Nørrebro')!.party).toMatchObject({ id: 'S-1', match: `rule:${ruleId}` });
  });

  test("payment references found on upload, invoice numbers by the tenant's pattern", async () => {
    const { tenant, accountId } = await tenantWithStatement(async (tenant) => {
      expect((await call(tenant, 'PATCH', '/v1/tenant', { invoice_number_pattern: '2026-\\d{4}' })).statusCode).toBe(200);
    });
    const rows = byName((await call(tenant, 'GET', `/v1/accounts/${accountId}/transactions`)).json().data);
    expect(rows.get('FJORDKRAFT')!.references).toEqual([{ kind: 'invoice_number', value: '2026-1001' }]);
    expect(rows.get('LAGERHAUS NORD LOGISTI')!.references).toEqual([{ kind: 'creditor_reference', value: 'RF18539007547034' }]);
    expect(rows.get('Netto Nørrebro')!.references).toEqual([]);
    const feed = byName((await feedChanges(tenant, '', ENTRIES.length)).added);
    expect(feed.get('FJORDKRAFT')!.references).toEqual([{ kind: 'invoice_number', value: '2026-1001' }]);
  });

  test('the feed carries the party; a party removed: its transactions matched again without it, reported as modified', async () => {
    const { tenant } = await tenantWithStatement();
    const first = await feedChanges(tenant, '', ENTRIES.length);
    expect(first.added).toHaveLength(ENTRIES.length);
    expect(byName(first.added).get('MULLER & SOHNE')!.party).toMatchObject({ id: 'C-2', match: 'name' });

    expect((await call(tenant, 'DELETE', '/v1/parties/C-2')).statusCode).toBe(204);
    expect((await call(tenant, 'DELETE', '/v1/parties/S-2')).statusCode).toBe(204);
    const next = await feedChanges(tenant, first.next_cursor, 2);
    // The upload's own database transaction is the cursor's: the feed may say added (an upsert) where it means modified.
    // Holding Nord was S-2's or S-3's (candidates): S-3's alone now. Nobody else is called Müller & Söhne.
    expect([...next.added, ...next.modified].map((row: Listed) => [row.counterparty_name, row.party, row.candidates, row.ledger_account_code]).sort()).toEqual([
      ['Holding Nord', { id: 'S-3', kind: 'supplier', match: 'name', confidence: 0.95 }, undefined, null],
      ['MULLER & SOHNE', null, undefined, null],
    ]);
  });

  test("a tenant's parties never match another tenant's transactions", async () => {
    const { tenant } = await tenantWithStatement();
    const other = await api.addTenant('No parties');
    const account = (await call(other, 'POST', '/v1/accounts', { iban: ACCOUNT_IBAN, currency: 'EUR' })).json();
    const file = camtText({ iban: ACCOUNT_IBAN, currency: 'EUR', messageId: 'M2', statements: [{ id: 'S1', opening: '0.00', entries: ENTRIES }] });
    const uploaded = await api.app.inject({ method: 'POST', url: `/v1/accounts/${account.id}/statements`, headers: { ...other.headers, 'content-type': 'application/xml' }, payload: file });
    expect(uploaded.statusCode, uploaded.body).toBe(201);
    const rows: Listed[] = (await call(other, 'GET', `/v1/accounts/${account.id}/transactions`)).json().data;
    expect(rows.map((row) => [row.party, row.candidates, row.ledger_account_code])).toEqual(ENTRIES.map(() => [null, undefined, null]));
    expect((await call(tenant, 'GET', '/v1/parties')).json().data).toHaveLength(PARTIES.length);
  });
});
