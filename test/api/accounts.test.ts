/**
 * The tenant's accounts without any bank connection: created for statement files, listed by IBAN,
 * removed while empty; and statement files routed to them by IBAN + currency.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { camtText } from '../helpers/camt.js';
import { startTestApi, type TestApi, type TestTenant } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';
import { accountRows } from '../helpers/statement-accounts.js';

const DE = 'DE89370400440532013000';
const NL = 'NL91ABNA0417164300';
const CH = 'CH9300762011623852957';

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(() => api?.close());

const call = (tenant: TestTenant, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) => api.app.inject({ method, url, headers: tenant.headers, ...(payload && { payload }) });
const upload = (tenant: TestTenant, body: string | Buffer, query = '') =>
  api.app.inject({ method: 'POST', url: `/v1/statements${query}`, headers: { ...tenant.headers, 'content-type': 'application/xml' }, payload: body });

describe('accounts before any connection', () => {
  test('created with a normalised, checked IBAN; one per IBAN and currency; listed by IBAN; another tenant has its own', async () => {
    const tenant = await api.addTenant('Files first');
    const created = await call(tenant, 'POST', '/v1/accounts', { iban: 'de89 3704 0044 0532 0130 00', currency: 'EUR', name: 'Girokonto', ledger_account_code: '1800' });
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json()).toMatchObject({ iban: DE, currency: 'EUR', name: 'Girokonto', ledger_account_code: '1800', connection_id: null, shared: false, connections: [], enabled: true });
    expect(created.headers.location).toBe(`/v1/accounts/${created.json().id}`);
    // The same IBAN in another currency is another account; in the same currency it exists already.
    expect((await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'USD' })).statusCode).toBe(201);
    const twice = expectProblem(await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'EUR' }), 409, 'account-exists');
    expect(twice).toMatchObject({ account_id: created.json().id });

    const listed = await call(tenant, 'GET', `/v1/accounts?iban=${encodeURIComponent('DE89 3704 0044 0532 0130 00')}&currency=EUR`);
    expect(listed.json().data.map((a: { id: string }) => a.id)).toEqual([created.json().id]);
    expect((await call(tenant, 'GET', `/v1/accounts?iban=${NL}`)).json().data).toEqual([]);

    const other = await api.addTenant('Another company');
    expect((await call(other, 'POST', '/v1/accounts', { iban: DE, currency: 'EUR' })).statusCode).toBe(201);
    expect((await call(other, 'GET', `/v1/accounts?iban=${DE}`)).json().data).toHaveLength(1);
  });

  test('an IBAN whose check digits are wrong, or that is no IBAN at all, is refused', async () => {
    const tenant = await api.addTenant('Typos');
    expect(expectProblem(await call(tenant, 'POST', '/v1/accounts', { iban: 'DE89370400440532013001', currency: 'EUR' }), 400, 'invalid-iban').detail).toMatch(/check digits/);
    expectProblem(await call(tenant, 'POST', '/v1/accounts', { iban: '12345', currency: 'EUR' }), 400);
    expectProblem(await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'euro' }), 400);
    expect((await call(tenant, 'GET', '/v1/accounts')).json().data).toEqual([]);
  });

  test('removed only while it holds nothing and no connection feeds it', async () => {
    const tenant = await api.addTenant('Removals');
    const empty = (await call(tenant, 'POST', '/v1/accounts', { iban: NL, currency: 'EUR' })).json();
    expect((await call(tenant, 'DELETE', `/v1/accounts/${empty.id}`)).statusCode).toBe(204);
    expectProblem(await call(tenant, 'GET', `/v1/accounts/${empty.id}`), 404);

    const used = (await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'EUR' })).json();
    const file = camtText({ iban: DE, currency: 'EUR', messageId: 'M1', statements: [{ id: 'S1', opening: '0', entries: [{ bookingDate: '2025-01-02', amount: '-5', counterpartyName: 'Bakery' }] }] });
    expect((await upload(tenant, file)).statusCode).toBe(201);
    expect(expectProblem(await call(tenant, 'DELETE', `/v1/accounts/${used.id}`), 409, 'account-in-use').detail).toMatch(/transactions/);
    expect(await accountRows(api.database, used.id)).toEqual({ transactions: 1, imports: 1 });
    // Another tenant's account: 404, not 409.
    expectProblem(await call(await api.addTenant('Intruder'), 'DELETE', `/v1/accounts/${used.id}`), 404);
  });
});

describe('a statement file routed by its IBANs (POST /v1/statements)', () => {
  const company = (closingOfSecond?: string) =>
    camtText({
      iban: DE,
      currency: 'EUR',
      messageId: 'COMPANY-1',
      statements: [
        { id: 'DE-1', opening: '100', entries: [{ bookingDate: '2025-01-02', amount: '-12.50', counterpartyName: 'Bakery' }, { bookingDate: '2025-01-03', amount: '40', reference: 'R2' }] },
        { id: 'NL-1', iban: NL, opening: '0', closing: closingOfSecond, entries: [{ bookingDate: '2025-01-02', amount: '7', counterpartyName: 'Customer BV' }] },
        { id: 'CH-1', iban: CH, currency: 'CHF', opening: '5', entries: [{ bookingDate: '2025-01-04', amount: '-1', counterpartyName: 'Kiosk' }] },
      ],
    });

  test('each statement into the account of its IBAN and currency; the same file again adds nothing', async () => {
    const tenant = await api.addTenant('Company');
    const ids: Record<string, string> = {};
    for (const [iban, currency] of [[DE, 'EUR'], [NL, 'EUR'], [CH, 'CHF']]) ids[iban!] = (await call(tenant, 'POST', '/v1/accounts', { iban, currency })).json().id;
    const first = await upload(tenant, company());
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json().created_accounts).toEqual([]);
    expect(first.json().imports.map((i: { account_id: string; counts: { inserted: number } }) => [i.account_id, i.counts.inserted])).toEqual([
      [ids[DE], 2],
      [ids[NL], 1],
      [ids[CH], 1],
    ]);
    expect(await accountRows(api.database, ids[NL]!)).toEqual({ transactions: 1, imports: 1 });
    const again = await upload(tenant, company());
    expect(again.statusCode).toBe(200);
    expect(again.json().imports.every((i: { already_imported: boolean }) => i.already_imported)).toBe(true);
    expect(await accountRows(api.database, ids[DE]!)).toEqual({ transactions: 2, imports: 2 });
    // The per-account route still refuses the file: its second statement is another account's.
    const intoOne = await api.app.inject({ method: 'POST', url: `/v1/accounts/${ids[DE]}/statements`, headers: { ...tenant.headers, 'content-type': 'application/xml' }, payload: company() });
    expect(expectProblem(intoOne, 422, 'account-mismatch').detail).toContain(NL);
  });

  test('unknown accounts refuse the whole file and are all named; create_accounts=true creates them', async () => {
    const tenant = await api.addTenant('New company');
    const de = (await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'EUR' })).json().id;
    const refused = expectProblem(await upload(tenant, company()), 422, 'unknown-accounts');
    expect(refused).toMatchObject({ unknown_accounts: [{ iban: NL, currency: 'EUR' }, { iban: CH, currency: 'CHF' }] });
    expect(refused.detail).toMatch(/create_accounts=true/);
    expect(await accountRows(api.database, de)).toEqual({ transactions: 0, imports: 0 });
    expect((await call(tenant, 'GET', '/v1/accounts')).json().data).toHaveLength(1);

    const created = await upload(tenant, company(), '?create_accounts=true');
    expect(created.statusCode, created.body).toBe(201);
    expect(created.json().created_accounts).toHaveLength(2);
    const accounts = (await call(tenant, 'GET', '/v1/accounts')).json().data as { id: string; iban: string; currency: string }[];
    expect(accounts.map((a) => `${a.iban} ${a.currency}`).sort()).toEqual([`${CH} CHF`, `${DE} EUR`, `${NL} EUR`]);
  });

  test('atomic: a statement that does not add up refuses the file, and no account gets anything', async () => {
    const tenant = await api.addTenant('Atomic');
    const problem = expectProblem(await upload(tenant, company('8'), '?create_accounts=true'), 422, 'balance-mismatch');
    expect(problem.detail).toContain('NL-1');
    expect((await call(tenant, 'GET', '/v1/accounts')).json().data).toEqual([]);
  });

  test('a CSV in two currencies with a saved preset (indicator, status, footer, fixed IBAN): one import per currency, pending rows not stored', async () => {
    const tenant = await api.addTenant('Two-currency CSV');
    const preset = {
      encoding: 'utf-8', delimiter: ';', header: true, dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', accountIban: DE,
      columns: { bookingDate: 'Datum', amount: 'Betrag', indicator: 'S/H', currency: 'Währung', status: 'Status', text: ['Text'] },
      footerPatterns: ['^Kontostand'],
    };
    expect((await call(tenant, 'POST', '/v1/csv-presets', { name: 'two currencies', preset })).statusCode).toBe(201);
    const file = 'Datum;Text;Betrag;S/H;Währung;Status\n01.03.2024;Miete;800,00;S;EUR;gebucht\n02.03.2024;Invoice 7;120,00;H;USD;gebucht\n03.03.2024;Karte;9,99;S;EUR;vorgemerkt\n04.03.2024;Fee;1,00;S;USD;gebucht\nKontostand;;;;;\n';
    const imported = await api.app.inject({ method: 'POST', url: '/v1/statements?preset=two%20currencies&create_accounts=true', headers: { ...tenant.headers, 'content-type': 'text/csv' }, payload: file });
    expect(imported.statusCode, imported.body).toBe(201);
    const accounts = (await call(tenant, 'GET', '/v1/accounts')).json().data as { id: string; iban: string; currency: string }[];
    const idOf = (currency: string) => accounts.find((account) => account.iban === DE && account.currency === currency)!.id;
    expect(imported.json().imports.map((i: { account_id: string; counts: { entries: number; inserted: number; pending_skipped: number }; statements: { sum: string }[] }) => [i.account_id, i.counts.entries, i.counts.inserted, i.counts.pending_skipped, i.statements[0]!.sum])).toEqual([
      [idOf('EUR'), 2, 1, 1, '-800'],
      [idOf('USD'), 2, 2, 0, '119'],
    ]);
  });

  test("a German MT940 names its account by bank code and account number: routed to that IBAN's account", async () => {
    const tenant = await api.addTenant('German');
    const account = (await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'EUR' })).json().id;
    const file = await readFile(new URL('../fixtures/statements/mt940-german-swift.sta', import.meta.url));
    const imported = await upload(tenant, file);
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().imports.map((i: { account_id: string }) => i.account_id)).toEqual([account]);
  });

  test('an MT940 file with statements of several accounts (Rabobank) and a German one by bank code: each statement into its own account', async () => {
    const tenant = await api.addTenant('Several MT940 accounts');
    const first = (await call(tenant, 'POST', '/v1/accounts', { iban: 'NL44RABO0123456789', currency: 'EUR' })).json().id;
    const second = (await call(tenant, 'POST', '/v1/accounts', { iban: 'NL39RABO0300065264', currency: 'EUR' })).json().id;
    const german = (await call(tenant, 'POST', '/v1/accounts', { iban: DE, currency: 'EUR' })).json().id;
    const rabobank = await readFile(new URL('../fixtures/statements/mt940-rabobank-multi-account.sta', import.meta.url));
    const germanFile = await readFile(new URL('../fixtures/statements/mt940-german-structured.sta', import.meta.url));
    const germanByCode = germanFile.toString('latin1').replace(':25:DE89370400440532013000', ':25:37040044/0532013000');
    // One file of three statements: two Rabobank accounts, then a German account named by bank code / account number.
    const imported = await upload(tenant, Buffer.from(`${rabobank.toString('latin1')}${germanByCode}`, 'latin1'), '?format=mt940');
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json().imports.map((i: { account_id: string; counts: { inserted: number } }) => [i.account_id, i.counts.inserted])).toEqual([
      [first, 2],
      [second, 1],
      [german, 4],
    ]);
    expect(await accountRows(api.database, first)).toEqual({ transactions: 2, imports: 1 });
    expect(await accountRows(api.database, second)).toEqual({ transactions: 1, imports: 1 });
    expect(await accountRows(api.database, german)).toEqual({ transactions: 4, imports: 1 });
  });

  test('a file that names no account goes to its account directly', async () => {
    const tenant = await api.addTenant('CSV');
    const csv = await readFile(new URL('../fixtures/statements/chase.csv', import.meta.url));
    expectProblem(await upload(tenant, csv, '?preset=chase'), 422, 'account-unknown');
  });
});
