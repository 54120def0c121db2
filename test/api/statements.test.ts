import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { STATEMENT_BODY_LIMIT } from '../../api/routes/statements.js';
import { BUILT_IN_CSV_PRESETS, parseStatementFile, type StatementEntry } from '../../statements/index.js';
import { STORE_BATCH_SIZE } from '../../transactions/store.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { camtFile, camtText, type CamtEntry } from '../helpers/camt.js';
import { expectProblem } from '../helpers/problem.js';
import { accountOfNewTenant, accountRows, storeAsFeed } from '../helpers/statement-accounts.js';

const DE_IBAN = 'DE89370400440532013000';
const NL_IBAN = 'NL91ABNA0417164300';
const fixture = (name: string) => readFileSync(new URL(`../fixtures/statements/${name}`, import.meta.url));

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

function upload(account: { id: string; headers: Record<string, string> }, body: string | Buffer, query = '', contentType = 'application/octet-stream') {
  return api.app.inject({
    method: 'POST',
    url: `/v1/accounts/${account.id}/statements${query}`,
    headers: { ...account.headers, 'content-type': contentType },
    payload: body,
  });
}

const newAccount = (iban = DE_IBAN, currency = 'EUR') => accountOfNewTenant(api, iban, currency);

describe('uploads', () => {
  test('camt.053 with batches and reversals: every booked entry stored once, balances checked; the same file again imports nothing', async () => {
    const account = await newAccount();
    const first = await upload(account, fixture('camt053-v02-german-bank.xml'), '', 'application/xml');
    expect(first.statusCode, first.body).toBe(201);
    const result = first.json();
    expect(result).toMatchObject({ format: 'camt.053', already_imported: false, duplicate_of: null, counts: { entries: 6, booked: 6, inserted: 6, duplicates: 0, pending_skipped: 0 } });
    expect(result.statements).toHaveLength(2);
    for (const statement of result.statements) expect(statement).toMatchObject({ balance_checked: true, balance_ok: true, opening: expect.any(String), closing: expect.any(String) });
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 6, imports: 1 });

    const again = await upload(account, fixture('camt053-v02-german-bank.xml'), '', 'application/xml');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ already_imported: true, duplicate_of: result.id, counts: { inserted: 0, duplicates: 6 } });
    expect((await accountRows(api.database, account.id)).transactions).toBe(6);

    const listed = await api.app.inject({ method: 'GET', url: `/v1/accounts/${account.id}/statements?limit=1`, headers: account.headers });
    expect(listed.statusCode, listed.body).toBe(200);
    expect(listed.json().data).toHaveLength(1);
    expect(listed.json().data[0]).toMatchObject({ id: again.json().id, already_imported: true });
    const rest = await api.app.inject({ method: 'GET', url: `/v1/accounts/${account.id}/statements?limit=1&cursor=${listed.json().next_cursor}`, headers: account.headers });
    expect(rest.json().data[0]).toMatchObject({ id: result.id, counts: { inserted: 6 } });
    expect(rest.json().next_cursor).toBeNull();
  });

  test('the same statement in another file (new message, same statement id) is recognised as imported', async () => {
    const account = await newAccount();
    const entries: CamtEntry[] = [{ bookingDate: '2025-01-02', amount: '-12.50', counterpartyName: 'Bakery', remittanceInformation: 'bread' }];
    const file = (messageId: string) => camtText({ iban: DE_IBAN, currency: 'EUR', messageId, statements: [{ id: 'STMT-1', opening: '100', entries }] });
    expect((await upload(account, file('MSG-1'))).statusCode).toBe(201);
    const again = await upload(account, file('MSG-2'));
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ already_imported: true, counts: { inserted: 0 } });
  });

  test('MT942 is detected and its entries are pending: nothing stored; the MT940 that books them stores each once; the MT942 again adds nothing', async () => {
    const account = await newAccount();
    const interim = await upload(account, fixture('mt942-german.sta'), '', 'text/plain');
    expect(interim.statusCode, interim.body).toBe(201);
    expect(interim.json()).toMatchObject({ format: 'mt942', counts: { entries: 3, booked: 0, inserted: 0, pending_skipped: 3 } });
    expect(interim.json().statements).toEqual([expect.objectContaining({ statement_id: 'STARTDISPE/00001/001@2404051130+0200', balance_checked: false })]);
    expect(interim.json().warnings).toEqual([expect.stringMatching(/balances not checked: no opening balance/)]);
    expect((await accountRows(api.database, account.id)).transactions).toBe(0);

    // The day's statement books the two C/D entries of the report (the card payment is still expected).
    const statement = [
      ':20:STARTUMS', ':25:37040044/0532013000', ':28C:00001/001', ':60F:C240404EUR100,00',
      ':61:2404050405DR45,00NDDTNONREF//KR0405A', ':86:105?00SEPA-LASTSCHRIFT?20EREF+ABO-7?21SVWZ+Abo April?32Streaming Dienst GmbH',
      ':61:2404050405CR300,00NTRFNONREF//KR0405B', ':86:166?00SEPA-GUTSCHRIFT?20SVWZ+Rechnung 2024-40?31DE02120300000000202051?32Kunde AG',
      ':62F:C240405EUR355,00', '-', '',
    ].join('\r\n');
    const booked = await upload(account, statement, '?format=mt940', 'text/plain');
    expect(booked.statusCode, booked.body).toBe(201);
    expect(booked.json()).toMatchObject({ format: 'mt940', already_imported: false, duplicate_of: null, counts: { entries: 2, booked: 2, inserted: 2 } });

    const again = await upload(account, fixture('mt942-german.sta'), '?format=mt942', 'text/plain');
    expect(again.statusCode, again.body).toBe(200);
    expect(again.json()).toMatchObject({ already_imported: true, duplicate_of: interim.json().id, counts: { inserted: 0, pending_skipped: 3 } });
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 2, imports: 3 });
  });

  test('MT940 with several messages, format named', async () => {
    const account = await newAccount();
    const response = await upload(account, fixture('mt940-german-swift.sta'), '?format=mt940', 'text/plain');
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ format: 'mt940', counts: { entries: 6, inserted: 6 } });
    expect(response.json().statements.map((s: { statement_id: string; balance_ok: boolean }) => [s.statement_id, s.balance_ok])).toEqual([
      ['STARTUMS/00001/001', true],
      ['STARTUMS/00002/001', true],
    ]);
    expect((await accountRows(api.database, account.id)).transactions).toBe(6);
  });

  test('camt.053 pending and information entries are skipped, not stored', async () => {
    const account = await newAccount(NL_IBAN);
    const response = await upload(account, fixture('camt053-v08-prefixed.xml'));
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ counts: { entries: 8, booked: 6, inserted: 6, pending_skipped: 2 } });
  });

  test('CSV without a preset: detected, and a file that names no currency is read in the account\'s', async () => {
    const account = await newAccount(DE_IBAN, 'USD');
    const imported = await upload(account, fixture('detect-us-summary.csv'), '', 'text/csv');
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ format: 'csv', counts: { inserted: 3 }, statements: [{ currency: 'USD', sum: '2104.33' }] });
  });

  test('CSV with a saved preset: saved, listed, used by name and id, deleted', async () => {
    const account = await newAccount();
    const preset = { ...BUILT_IN_CSV_PRESETS['sparkasse-csv-camt'], name: 'My Sparkasse' };
    const saved = await api.app.inject({ method: 'POST', url: '/v1/csv-presets', headers: account.headers, payload: { name: 'sparkasse', preset } });
    expect(saved.statusCode, saved.body).toBe(201);
    const { id } = saved.json<{ id: string }>();
    expectProblem(await api.app.inject({ method: 'POST', url: '/v1/csv-presets', headers: account.headers, payload: { name: 'sparkasse', preset } }), 409, 'csv-preset-exists');
    const invalid = { ...preset, columns: { bookingDate: 'Buchungstag' } };
    const refused = expectProblem(await api.app.inject({ method: 'POST', url: '/v1/csv-presets', headers: account.headers, payload: { name: 'broken', preset: invalid } }), 400);
    expect(refused.detail).toMatch(/amount|debit/);
    const listed = await api.app.inject({ method: 'GET', url: '/v1/csv-presets', headers: account.headers });
    expect(listed.json().data.map((p: { name: string }) => p.name)).toEqual(['sparkasse']);

    // Without a preset the CSV is detected: a file detection cannot read is refused saying what it found.
    const undetected = expectProblem(await upload(account, 'Konto;Saldo\nDE89;1,00\n', '?format=csv', 'text/csv'), 422);
    expect(undetected.detail).toMatch(/no header row/);
    expectProblem(await upload(account, fixture('sparkasse-csv-camt.csv'), '?preset=nope', 'text/csv'), 400, 'unknown-csv-preset');
    const imported = await upload(account, fixture('sparkasse-csv-camt.csv'), '?format=csv&preset=sparkasse', 'text/csv');
    expect(imported.statusCode, imported.body).toBe(201);
    expect(imported.json()).toMatchObject({ format: 'csv', counts: { inserted: 3 } });
    expect(imported.json().statements[0]).toMatchObject({ balance_checked: false, balance_ok: true });
    const byId = await upload(account, fixture('sparkasse-csv-camt.csv'), `?preset=${id}`, 'text/csv');
    expect(byId.statusCode, byId.body).toBe(200);
    expect(byId.json()).toMatchObject({ already_imported: true, counts: { inserted: 0, duplicates: 3 } });

    expect((await api.app.inject({ method: 'DELETE', url: `/v1/csv-presets/${id}`, headers: account.headers })).statusCode).toBe(204);
    expectProblem(await api.app.inject({ method: 'DELETE', url: `/v1/csv-presets/${id}`, headers: account.headers }), 404);
    expectProblem(await upload(account, fixture('sparkasse-csv-camt.csv'), '?preset=sparkasse', 'text/csv'), 400, 'unknown-csv-preset');
  });

  test("a file overlapping the feed's transactions adds only the new ones", async () => {
    const account = await newAccount();
    const file = fixture('camt053-v02-german-bank.xml');
    // The feed stored the first three entries before (under keys of its own, so only the content can match).
    const booked: StatementEntry[] = [];
    for await (const event of parseStatementFile(file)) if (event.kind === 'entry' && event.entry.status === 'booked') booked.push(event.entry);
    await storeAsFeed(api.database, account.id, booked.slice(0, 3));
    const response = await upload(account, file);
    expect(response.statusCode, response.body).toBe(201);
    expect(response.json()).toMatchObject({ counts: { booked: 6, inserted: 3, duplicates: 3 } });
    expect((await accountRows(api.database, account.id)).transactions).toBe(6);
  });

  test('a 10 MB+ camt.053 through the route, streamed and stored in batches', async () => {
    const account = await newAccount();
    const count = 40_000;
    const entries = function* (): Generator<CamtEntry> {
      for (let index = 0; index < count; index++) {
        yield {
          bookingDate: `2025-01-${String((index % 28) + 1).padStart(2, '0')}`,
          amount: index % 2 ? `-${(index % 900) + 1}.25` : `${(index % 700) + 1}.10`,
          reference: `REF-${index}`,
          counterpartyName: `Customer number ${index % 1000} with a long name GmbH`,
          counterpartyIban: 'DE02120300000000202051',
          remittanceInformation: `Invoice ${index} for services rendered in January, customer reference ${index * 7}`,
        };
      }
    };
    const closing = [...entries()].reduce((total, entry) => total + Math.round(Number(entry.amount) * 100), 0);
    const text = [...camtFile({ iban: DE_IBAN, currency: 'EUR', messageId: 'BIG-1', statements: [{ id: 'BIG', opening: '0', closing: (closing / 100).toFixed(2), entries: entries() }] })].join('');
    expect(Buffer.byteLength(text)).toBeGreaterThan(10 * 1024 * 1024);
    const response = await upload(account, text);
    expect(response.statusCode, response.body.slice(0, 500)).toBe(201);
    expect(response.json()).toMatchObject({ counts: { entries: count, inserted: count }, statements: [{ balance_ok: true, balance_checked: true }] });
    expect((await accountRows(api.database, account.id)).transactions).toBe(count);

    // The same file with its last entry broken: the batches stored before the error are rolled back too.
    const other = await newAccount();
    const last = text.lastIndexOf('<Amt Ccy="EUR">');
    const broken = `${text.slice(0, last)}<Amt Ccy="EUR">12,x${text.slice(text.indexOf('</Amt>', last))}`;
    expect(broken).not.toBe(text);
    const refused = expectProblem(await upload(other, broken), 422, 'statement-format');
    expect((refused as { location?: string }).location).toMatch(/^Stmt\[1\]\/Ntry\[40000\]/);
    expect(await accountRows(api.database, other.id)).toEqual({ transactions: 0, imports: 0 });
  }, 180_000);
});

describe('SEPA direct debit mandates', () => {
  type Row = { id: string; amount: string; mandate_id: string | null; end_to_end_id: string | null; remittance_information: string | null };
  const rows = async (account: { id: string; headers: Record<string, string> }): Promise<Row[]> => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/accounts/${account.id}/transactions?limit=100`, headers: account.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json().data;
  };
  const feed = async (account: { headers: Record<string, string> }, cursor = '') => {
    const response = await api.app.inject({ method: 'GET', url: `/v1/transactions/sync${cursor && `?cursor=${cursor}`}`, headers: account.headers });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<{ added: Row[]; modified: Row[]; removed: { id: string }[]; next_cursor: string }>();
  };

  test('a German MT940 :86: MREF+ becomes the transaction\'s mandate_id, out of its remittance text', async () => {
    const account = await newAccount();
    const response = await upload(account, fixture('mt940-german-structured.sta'), '', 'text/plain');
    expect(response.statusCode, response.body).toBe(201);
    const stored = await rows(account);
    expect(stored.map((row) => [row.amount, row.mandate_id]).sort()).toEqual([['-12.40', null], ['-89.00', 'MANDAT-55'], ['1500.00', null], ['40.00', null]]);
    expect(stored.find((row) => row.mandate_id)).toMatchObject({ end_to_end_id: 'VERTRAG-55 2024-04', remittance_information: 'Beitrag April 2024' });
  });

  test('a CSV\'s Mandatsreferenz column becomes mandate_id, with the preset and detected without one', async () => {
    for (const query of ['?preset=sparkasse-csv-camt', '']) {
      const account = await newAccount();
      const response = await upload(account, fixture('sparkasse-csv-camt.csv'), query, 'text/csv');
      expect(response.statusCode, response.body).toBe(201);
      expect((await rows(account)).map((row) => [row.amount, row.mandate_id]).sort(), query).toEqual([['-7.50', null], ['-89.90', 'MANDAT-0815'], ['1250.00', null]]);
    }
  });

  test('a camt.053 MndtId is stored; a later file correcting it updates the transaction and the feed reports it modified', async () => {
    const account = await newAccount();
    const file = (statementId: string, mandateId: string, reference = 'DD-1', amount = '-30.00') =>
      camtText({ iban: DE_IBAN, currency: 'EUR', messageId: statementId, statements: [{ id: statementId, opening: '100', entries: [{ bookingDate: '2025-02-03', amount, reference, mandateId, counterpartyName: 'Fitness GmbH' }] }] });
    expect((await upload(account, file('S-1', 'MNDT-OLD'))).statusCode).toBe(201);
    // A later import, so that the cursor lies past the first one (rows of the cursor's own database transaction come again as added).
    expect((await upload(account, file('S-2', 'MNDT-OTHER', 'DD-2', '-31.00'))).statusCode).toBe(201);
    const first = await feed(account);
    expect(first.added.map((row) => row.mandate_id)).toEqual(['MNDT-OLD', 'MNDT-OTHER']);

    const corrected = await upload(account, file('S-1-CORRECTED', 'MNDT-NEW'));
    expect(corrected.statusCode, corrected.body).toBe(201);
    expect(corrected.json()).toMatchObject({ counts: { inserted: 0 } });
    const after = await feed(account, first.next_cursor);
    expect(after.added).toEqual([]);
    expect(after.removed).toEqual([]);
    expect(after.modified.map((row) => [row.id, row.mandate_id])).toEqual([[first.added[0]!.id, 'MNDT-NEW']]);

    // The same mandate again changes nothing the ledger sees.
    expect((await upload(account, file('S-1-AGAIN', 'MNDT-NEW'))).statusCode).toBe(201);
    expect(await feed(account, after.next_cursor)).toMatchObject({ added: [], modified: [], removed: [] });
  });
});

describe('refused files import nothing and say why', () => {
  const small = (overrides: Partial<Parameters<typeof camtText>[0]> = {}, closing?: string) =>
    camtText({
      iban: DE_IBAN,
      currency: 'EUR',
      messageId: 'MSG',
      statements: [{ id: 'S1', opening: '100', closing, entries: [{ bookingDate: '2025-01-02', amount: '-12.50', counterpartyName: 'Bakery' }, { bookingDate: '2025-01-02', amount: '40', reference: 'R2' }] }],
      ...overrides,
    });

  test.each([
    ['a statement of another IBAN', () => small({ iban: NL_IBAN }), 'account-mismatch', /NL91ABNA0417164300/],
    ['a statement in another currency', () => small({ currency: 'CHF' }), 'currency-mismatch', /CHF/],
    ['balances that do not add up', () => small({}, '130'), 'balance-mismatch', /127\.5.*130|closing balance is 130/],
    ['broken XML', () => small().replace('</Ntry>', '</Nt>'), 'statement-format', /Nt/],
    ['a truncated file', () => small().slice(0, 600), 'statement-format', /./],
    ['a text that is no statement', () => 'Hello,\nthis is a letter, not a statement\n', 'statement-format', /no header row: .*send a preset/],
  ])('%s', async (_, body, kind, detail) => {
    const account = await newAccount();
    const problem = expectProblem(await upload(account, body()), 422, kind);
    expect(problem.detail).toMatch(detail);
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 0, imports: 0 });
  });

  test('balances that do not add up, with on_balance_mismatch=import: imported, the mismatch on the import and in its listing', async () => {
    const account = await newAccount();
    const response = await upload(account, small({}, '130'), '?on_balance_mismatch=import');
    expect(response.statusCode, response.body).toBe(201);
    const result = response.json();
    expect(result).toMatchObject({ balance_mismatch: true, counts: { inserted: 2 } });
    expect(result.statements[0]).toMatchObject({ balance_checked: true, balance_ok: false, closing: '130', balance_reason: expect.stringMatching(/closing balance is 130/) });
    expect(result.warnings).toEqual([expect.stringMatching(/^statement S1: imported although the balances do not add up \(on_balance_mismatch=import\)/)]);
    const listed = await api.app.inject({ method: 'GET', url: `/v1/accounts/${account.id}/statements`, headers: account.headers });
    expect(listed.json().data[0]).toMatchObject({ id: result.id, balance_mismatch: true });
    // A file that adds up says so as well; on_balance_mismatch=refuse is the default, and anything else is not a choice.
    const fine = await upload(await newAccount(), small(), '?on_balance_mismatch=refuse');
    expect(fine.json()).toMatchObject({ balance_mismatch: false });
    expectProblem(await upload(account, small({}, '130'), '?on_balance_mismatch=ignore'), 400, 'validation-failed');
  });

  test('a German MT940 for another account number is refused; its own is not', async () => {
    const other = await newAccount('DE02120300000000202051');
    const problem = expectProblem(await upload(other, fixture('mt940-german-swift.sta')), 422, 'account-mismatch');
    expect((problem as { location?: string }).location).toMatch(/^statement 1/);
    expect(await accountRows(api.database, other.id)).toEqual({ transactions: 0, imports: 0 });
  });

  test('a CHF statement naming no IBAN into a EUR account', async () => {
    const account = await newAccount();
    expectProblem(await upload(account, fixture('camt053-v13-other-account.xml')), 422, 'currency-mismatch');
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 0, imports: 0 });
  });

  test('an empty body, a JSON body, an unknown format name', async () => {
    const account = await newAccount();
    expectProblem(await api.app.inject({ method: 'POST', url: `/v1/accounts/${account.id}/statements`, headers: account.headers }), 400);
    expectProblem(await upload(account, '{"a":1}', '', 'application/json'), 415);
    expectProblem(await upload(account, '', ''), 422);
    expectProblem(await upload(account, small(), '?format=pdf'), 400);
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 0, imports: 0 });
  });

  test('the OpenAPI document describes the upload body: the file itself, in any of its media types', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const { content } = document.paths['/v1/accounts/{accountId}/statements'].post.requestBody;
    expect(Object.keys(content)).toEqual(['application/octet-stream', 'application/xml', 'text/plain', 'text/csv']);
    for (const type of Object.keys(content)) expect(content[type].schema).toEqual({ type: 'string', format: 'binary' });
  });

  test('the OpenAPI document shows what a saved CSV preset can say', async () => {
    const document = (await api.app.inject({ method: 'GET', url: '/docs/json' })).json();
    const { schema } = document.paths['/v1/csv-presets'].post.requestBody.content['application/json'];
    const preset = schema.properties.preset;
    expect(Object.keys(preset.properties)).toEqual(expect.arrayContaining(['indicatorValues', 'invertSign', 'footerPatterns', 'pendingValues']));
    expect(Object.keys(preset.properties.columns.properties)).toEqual(expect.arrayContaining(['indicator', 'status']));
    expect(preset.properties.dateFormat.enum).toEqual(expect.arrayContaining(['MM/DD/YY', 'DD/MM/YY']));
  });

  test('a file over 200 MB answers 413 and writes nothing, whether its length is declared or it only streams', async () => {
    const account = await newAccount();
    const declared = await api.app.inject({
      method: 'POST',
      url: `/v1/accounts/${account.id}/statements`,
      headers: { ...account.headers, 'content-type': 'application/xml', 'content-length': String(STATEMENT_BODY_LIMIT + 1) },
      payload: small(),
    });
    expectProblem(declared, 413);

    // A real statement whose first batch of entries is stored before the file turns out too long.
    async function* oversized(): AsyncGenerator<Buffer> {
      const entries = Array.from({ length: STORE_BATCH_SIZE + 1 }, (_, index): CamtEntry => ({ bookingDate: '2025-01-02', amount: '-1', reference: `BIG-${index}` }));
      let sent = 0;
      for (const chunk of camtFile({ iban: DE_IBAN, currency: 'EUR', messageId: 'BIG', statements: [{ id: 'BIG', opening: '0', entries }] })) {
        if (chunk.startsWith('</BkToCstmrStmt>')) break;
        sent += chunk.length;
        yield Buffer.from(chunk);
      }
      const comment = Buffer.from(`<!--${'x'.repeat(64 * 1024)}-->\n`.repeat(16));
      for (; sent <= STATEMENT_BODY_LIMIT; sent += comment.length) yield comment;
    }
    const streamed = await api.app.inject({
      method: 'POST',
      url: `/v1/accounts/${account.id}/statements`,
      headers: { ...account.headers, 'content-type': 'application/xml' },
      payload: Readable.from(oversized()),
    });
    expect(expectProblem(streamed, 413).detail).toContain('200 MB');
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 0, imports: 0 });
  }, 60_000);

  test("another tenant's account answers 404 and gets nothing", async () => {
    const account = await newAccount();
    const intruder = await api.addTenant('Intruder');
    const response = await api.app.inject({
      method: 'POST',
      url: `/v1/accounts/${account.id}/statements`,
      headers: { ...intruder.headers, 'content-type': 'application/xml' },
      payload: small(),
    });
    expectProblem(response, 404);
    expectProblem(await api.app.inject({ method: 'GET', url: `/v1/accounts/${account.id}/statements`, headers: intruder.headers }), 404);
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 0, imports: 0 });
  });

  test('a sync holding the account: 409 after a short wait, nothing written', async () => {
    const account = await newAccount();
    let response;
    await api.database.withLock(`account:${account.id}`, async () => {
      response = await upload(account, small());
    });
    expectProblem(response!, 409, 'account-busy');
    expect(await accountRows(api.database, account.id)).toEqual({ transactions: 0, imports: 0 });
  }, 30_000);
});
