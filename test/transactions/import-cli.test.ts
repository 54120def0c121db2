import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, expect, test } from 'vitest';
import { csvPresets } from '../../db/schema.js';
import { BUILT_IN_CSV_PRESETS } from '../../statements/index.js';
import { createTenant } from '../../tenants/store.js';
import { runImportCommand } from '../../transactions/import-cli.js';
import { camtText, type CamtEntry } from '../helpers/camt.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { accountRows, createAccount, pendingRows } from '../helpers/statement-accounts.js';

const IBAN = 'DE89370400440532013000';
let database: TestDatabase;
let folder: string;
let tenantId: string;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'bankfeed-import-'));
});
// A tenant per test: each test wants an empty account for the same IBAN.
beforeEach(async () => {
  ({ tenantId } = await createTenant(database.db, 'CLI'));
});
afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
  await database?.drop();
});

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImportCommand(args, database, { print: (line) => out.push(line), status: { write: (text: string) => err.push(text), isTTY: false } });
  return { code, out: out.join('\n'), err: err.join('') };
}

test('imports a file with a progress bar on stderr; the same file again imports nothing', async () => {
  const account = await createAccount(database, tenantId, IBAN);
  const entries: CamtEntry[] = Array.from({ length: 6000 }, (_, index) => ({
    bookingDate: '2025-02-03',
    amount: `-${index + 1}.5`,
    reference: `CLI-${index}`,
    counterpartyName: 'Supplier with a name long enough to make the file large',
    remittanceInformation: `Invoice ${index} of February with a remittance text that fills the line`,
  }));
  const path = join(folder, 'big.xml');
  await writeFile(path, camtText({ iban: IBAN, currency: 'EUR', messageId: 'CLI-1', statements: [{ id: 'CLI-S1', opening: '100000', entries }] }));

  const first = await run(path, '--account', account.id);
  expect(first.code, first.err).toBe(0);
  expect(first.out).toMatch(/^Imported .*big\.xml \(camt\.053\) as import [0-9a-f-]{36}: 6000 entries, 6000 new, 0 already there/);
  expect(first.out).toMatch(/statement CLI-S1: 6000 entries; opening 100000 \+ -\d+ = closing -?\d+: ok/);
  const bars = first.err.trim().split('\n');
  expect(bars.length).toBeGreaterThanOrEqual(5);
  expect(bars.at(-1)).toMatch(/^\[#{30}\] 100% (\d+\.\d) \/ \1 MB/);
  expect(bars[0]).toMatch(/^\[[#.]{30}\] +\d+% /);

  const again = await run(path, '--account', account.id, '--format', 'camt053');
  expect(again.code).toBe(0);
  expect(again.out).toMatch(/^Already imported .*: 6000 entries, 0 new, 6000 already there/);
  expect(await accountRows(database, account.id)).toEqual({ transactions: 6000, imports: 2 });
});

test("CSV with the tenant's saved preset, by name", async () => {
  const account = await createAccount(database, tenantId, IBAN);
  await database.db.insert(csvPresets).values({ tenantId, name: 'sk', preset: BUILT_IN_CSV_PRESETS['sparkasse-csv-camt'] });
  const path = new URL('../fixtures/statements/sparkasse-csv-camt.csv', import.meta.url).pathname;
  const unknown = await run(path, '--account', account.id, '--preset', 'nope');
  expect(unknown).toMatchObject({ code: 1, err: expect.stringMatching(/no CSV preset "nope"/) });
  const imported = await run(path, '--account', account.id, '--preset', 'sk');
  expect(imported.code, imported.err).toBe(0);
  expect(imported.out).toMatch(/\(csv\).*3 entries, 3 new/);
});

test('a refused file imports nothing and says where; bad arguments show the usage', async () => {
  const account = await createAccount(database, tenantId, IBAN);
  const path = join(folder, 'broken.xml');
  await writeFile(path, camtText({ iban: IBAN, currency: 'EUR', messageId: 'B', statements: [{ id: 'B1', opening: '0', closing: '5', entries: [{ bookingDate: '2025-02-03', amount: '4' }] }] }));
  const refused = await run(path, '--account', account.id);
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/^Nothing was imported: statement B1: .*closing balance is 5/);
  expect(await accountRows(database, account.id)).toEqual({ transactions: 0, imports: 0 });
  expect((await run(path, '--account', account.id, '--on-balance-mismatch', 'ignore')).err).toMatch(/expected import or refuse/);
  const anyway = await run(path, '--account', account.id, '--on-balance-mismatch', 'import');
  expect(anyway.code, anyway.err).toBe(0);
  expect(anyway.out).toMatch(/statement B1: 1 entries; opening 0 \+ 4 = closing 5: MISMATCH\n {2}warning: statement B1: imported although the balances do not add up/);
  expect(await accountRows(database, account.id)).toEqual({ transactions: 1, imports: 1 });
  expect((await run('--account', account.id)).code).toBe(2);
  expect((await run(path)).code).toBe(2);
  expect((await run(path, '--account', account.id, '--format', 'pdf')).code).toBe(1);
  expect((await run(join(folder, 'missing.xml'), '--account', account.id)).err).toMatch(/Cannot read/);
  expect((await run(path, '--account', '00000000-0000-4000-8000-000000000000')).err).toMatch(/no account/);
});

test('--dry-run shows what the import would store and changes nothing; a file it would refuse says so', async () => {
  const account = await createAccount(database, tenantId, IBAN);
  const path = new URL('../fixtures/statements/sparkasse-csv-camt-vorgemerkt.csv', import.meta.url).pathname;
  const dry = await run(path, '--account', account.id, '--preset', 'sparkasse-csv-camt', '--dry-run');
  expect(dry.code, dry.err).toBe(0);
  expect(dry.out).toMatch(/^Dry run, nothing imported: .*\(csv, preset sparkasse-csv-camt\), \d{4}-\d{2}-\d{2} to \d{4}-\d{2}-\d{2}: \d+ entries, \d+ booked, [1-9]\d* pending/);
  expect(dry.out.split('\n').filter((line) => /^ {2}\d{4}-\d{2}-\d{2} -?\d/.test(line)).length).toBeGreaterThan(0);
  expect(await accountRows(database, account.id)).toEqual({ transactions: 0, imports: 0 });
  expect(await pendingRows(database, account.id)).toBe(0);

  // Detected: what detection found, line by line; an MT940 names the dialects it was read in.
  const detected = await run(path, '--account', account.id, '--dry-run');
  expect(detected.out).toMatch(/\(csv, preset detected from the file\).*\n {2}detected encoding: .*\n {2}detected delimiter: ;/);
  const mt940 = await run(new URL('../fixtures/statements/mt940-german-swift.sta', import.meta.url).pathname, '--account', account.id, '--dry-run');
  expect(mt940.out).toMatch(/^Dry run, nothing imported: .*\(mt940, dialects swift-blocks, german-86\)/);
  expect(await accountRows(database, account.id)).toEqual({ transactions: 0, imports: 0 });

  const other = join(folder, 'other-account.xml');
  await writeFile(other, camtText({ iban: 'NL91ABNA0417164300', currency: 'EUR', messageId: 'O', statements: [{ id: 'O1', opening: '0', entries: [{ bookingDate: '2025-02-03', amount: '4' }] }] }));
  const refused = await run(other, '--account', account.id, '--dry-run');
  expect(refused.code).toBe(1);
  expect(refused.err).toMatch(/^It would not be imported: /);
});
