import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { camtText } from '../helpers/camt.js';
import { expectProblem } from '../helpers/problem.js';
import { accountOfNewTenant } from '../helpers/statement-accounts.js';

const CH_IBAN = 'CH9300762011623852957';
const DE_IBAN = 'DE89370400440532013000';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/statements/${name}`, import.meta.url));

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

type Account = Awaited<ReturnType<typeof accountOfNewTenant>>;

function preview(account: Account, body: string | Buffer, { query = '', tenantLevel = false } = {}) {
  const url = tenantLevel ? `/v1/statements/preview${query}` : `/v1/accounts/${account.id}/statements/preview${query}`;
  return api.app.inject({ method: 'POST', url, headers: { ...account.headers, 'content-type': 'application/octet-stream' }, payload: body });
}

/** Rows of every table an import writes: a preview must leave them all as they were. */
async function tableRows() {
  const [row] = await api.database.rows<Record<string, number>>(sql`select
    (select count(*)::int from transactions) as transactions, (select count(*)::int from pending_transactions) as pending,
    (select count(*)::int from statement_imports) as imports, (select count(*)::int from bank_accounts) as accounts`);
  return row;
}

describe('statement preview', () => {
  test('a camt.052 into its account: format, account, dates, counts per status, balances, entries as they would be stored; nothing written', async () => {
    const account = await accountOfNewTenant(api, CH_IBAN, 'CHF');
    const before = await tableRows();
    const response = await preview(account, fixture('camt052-v08-intraday.xml'));
    expect(response.statusCode, response.body).toBe(200);
    const result = response.json();
    expect(result).toMatchObject({
      format: 'camt.052',
      version: 'camt.052.001.08',
      message_id: 'RPT-20250312-1400',
      csv: null,
      dialects: [],
      accounts: [{ iban: CH_IBAN, currency: 'CHF', status: 'existing', account_id: account.id }],
      from_date: '2025-03-12',
      to_date: '2025-03-13',
      counts: { entries: 4, booked: 2, pending: 2, info: 0 },
      balance_ok: true,
    });
    expect(result.statements).toEqual([expect.objectContaining({ statement_id: 'RPT-20250312-1400-1', opening: '12000', closing: null, sum: '1850', balance_checked: false })]);
    expect(result.entries.map((e: { stored_as: string; amount: string; bank_reference: string | null }) => [e.stored_as, e.amount, e.bank_reference])).toEqual([
      ['transaction', '2500', 'CH-20250312-000101'],
      ['transaction', '-650', 'CH-20250312-000102'],
      ['pending', '-45.9', null],
      ['pending', '1200', null],
    ]);
    expect(await tableRows()).toEqual(before);
  });

  test('only the first 20 entries are shown; the counts are the whole file\'s', async () => {
    const account = await accountOfNewTenant(api, DE_IBAN);
    const entries = Array.from({ length: 25 }, (_, index) => ({ bookingDate: '2025-01-02', amount: `-${index + 1}`, counterpartyName: `Shop ${index}` }));
    const result = (await preview(account, camtText({ iban: DE_IBAN, currency: 'EUR', messageId: 'M', statements: [{ id: 'S', opening: '1000', entries }] }))).json();
    expect(result.counts).toEqual({ entries: 25, booked: 25, pending: 0, info: 0 });
    expect(result.entries).toHaveLength(20);
  });

  test('balances that do not add up are shown, not refused; a file for another account is refused as the import refuses it', async () => {
    const account = await accountOfNewTenant(api, DE_IBAN);
    const file = camtText({ iban: DE_IBAN, currency: 'EUR', messageId: 'M', statements: [{ id: 'S1', opening: '100', closing: '130', entries: [{ bookingDate: '2025-01-02', amount: '-12.50' }] }] });
    const result = (await preview(account, file)).json();
    expect(result).toMatchObject({ balance_ok: false, statements: [{ balance_checked: true, balance_ok: false, balance_reason: expect.stringMatching(/closing balance is 130/) }] });
    expectProblem(await preview(account, fixture('camt052-v08-intraday.xml')), 422, 'account-mismatch');
    expectProblem(await preview(account, 'not a statement'), 422, 'statement-format');
  });

  test("the tenant's accounts: existing, new with create_accounts, unknown without; nothing created", async () => {
    const account = await accountOfNewTenant(api, DE_IBAN);
    const file = camtText({
      iban: DE_IBAN,
      currency: 'EUR',
      messageId: 'M',
      statements: [
        { id: 'S1', opening: '0', entries: [{ bookingDate: '2025-01-02', amount: '5' }] },
        { id: 'S2', iban: CH_IBAN, currency: 'CHF', opening: '0', entries: [{ bookingDate: '2025-01-02', amount: '7' }] },
      ],
    });
    const before = await tableRows();
    const unknown = (await preview(account, file, { tenantLevel: true })).json();
    expect(unknown.accounts).toEqual([
      { iban: DE_IBAN, other_id: null, currency: 'EUR', status: 'existing', account_id: account.id },
      { iban: CH_IBAN, other_id: null, currency: 'CHF', status: 'unknown', account_id: null },
    ]);
    const created = (await preview(account, file, { tenantLevel: true, query: '?create_accounts=true' })).json();
    expect(created.accounts[1]).toMatchObject({ status: 'new', account_id: null });
    expect(await tableRows()).toEqual(before);
  });

  test('CSV: the preset named, or the one detected from the file', async () => {
    const account = await accountOfNewTenant(api, 'GB33BUKB20201555555555', 'GBP');
    const named = (await preview(account, fixture('monzo.csv'), { query: '?preset=monzo' })).json();
    expect(named).toMatchObject({ format: 'csv', csv: { preset_name: 'monzo', detected: false, findings: [] }, dialects: [] });
    const detected = await preview(account, fixture('monzo.csv'));
    expect(detected.statusCode, detected.body).toBe(200);
    expect(detected.json()).toMatchObject({ format: 'csv', csv: { preset_name: null, detected: true, preset: expect.objectContaining({ columns: expect.any(Object) }) } });
    // What detection found, and from what: the ledger app can show why it read the file so.
    const findings = detected.json().csv.findings as { aspect: string; detected: string; evidence: string }[];
    expect(findings.map((finding) => finding.aspect)).toEqual(expect.arrayContaining(['encoding', 'delimiter']));
    expect(findings.find((finding) => finding.aspect === 'delimiter')).toEqual({ aspect: 'delimiter', detected: ',', evidence: expect.stringMatching(/rows of \d+ fields/) });
    expect(detected.json().counts.entries).toBe(named.counts.entries);
  });

  test('an MT940 preview names the dialects it read, with the banks that write them', async () => {
    const account = await accountOfNewTenant(api, DE_IBAN);
    const german = await preview(account, fixture('mt940-german-swift.sta'));
    expect(german.statusCode, german.body).toBe(200);
    expect(german.json()).toMatchObject({ format: 'mt940', csv: null });
    expect(german.json().dialects).toEqual([
      { name: 'swift-blocks', description: expect.stringContaining('{1:}{2:}{3:}{4:') },
      { name: 'german-86', description: expect.stringContaining('DFÜ-Abkommen layout of German banks') },
    ]);
    const wrapped = (await preview(account, fixture('mt940-wrapped.sta'), { tenantLevel: true, query: '?create_accounts=true' })).json();
    expect(wrapped.dialects.map((dialect: { name: string }) => dialect.name)).toEqual(['wrapped-61', 'wrapped-28c', 'german-86']);
    expect(wrapped.dialects[0].description).toMatch(/Sparkassen/);
  });

  test('a read-only API key may preview (it changes nothing), into an account and the tenant\'s; it still may not import', async () => {
    const account = await accountOfNewTenant(api, DE_IBAN);
    const issued = await api.app.inject({ method: 'POST', url: '/v1/tenant/keys', headers: account.headers, payload: { scope: 'read_only' } });
    expect(issued.statusCode, issued.body).toBe(201);
    const readOnly = { ...account, headers: { authorization: `Bearer ${issued.json().key}` } };
    const before = await tableRows();
    for (const tenantLevel of [false, true]) {
      const response = await preview(readOnly, fixture('mt940-german-structured.sta'), { tenantLevel });
      expect(response.statusCode, response.body).toBe(200);
      expect(response.json()).toMatchObject({ format: 'mt940', counts: { entries: 4 } });
    }
    const imported = await api.app.inject({ method: 'POST', url: `/v1/accounts/${account.id}/statements`, headers: { ...readOnly.headers, 'content-type': 'text/plain' }, payload: fixture('mt940-german-structured.sta') });
    expectProblem(imported, 403, 'read-only-key');
    expect(await tableRows()).toEqual(before);
  });
});
