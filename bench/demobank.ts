/**
 * `npm run bench:demobank`: can the Demo Bank feed an importer faster than the importer can
 * store? Measured side by side in one run: the Demo Bank serving a 100,000-transaction account
 * page by page through the NextGenPSD2 client, and a plain INSERT-per-row import of the same rows
 * into real Postgres (DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test), in a scratch
 * schema dropped afterwards. The last line is `demobank/insert ratio: <x>` (the target is >= 5).
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { demoUsers } from '../demobank/users.js';
import type { Transaction } from '../providers/nextgenpsd2/types.js';
import { consentRequest, PSU_IP, startTestBank } from '../test/helpers/demobank.js';

const ROWS = 100_000;
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

const bulk = demoUsers().find((user) => user.username === 'bulk')!.accounts[0]!;
const bank = await startTestBank({ accountSizes: { [bulk.iban]: ROWS } });
const rows: Transaction[] = [];
let bankSeconds: number;
try {
  const { consentId, accounts } = await bank.connect(consentRequest(), { username: 'bulk' });
  const account = accounts[0]!;
  const { today } = await bank.clock.advance('PT0S');
  const oldest = new Date(Date.parse(`${today}T00:00:00Z`) - 730 * 86_400_000).toISOString().slice(0, 10);
  const started = performance.now();
  let pages = 0;
  for await (const page of bank.client.transactionPages(consentId, account.resourceId, { bookingStatus: 'booked', dateFrom: oldest }, { psuIpAddress: PSU_IP })) {
    rows.push(...page.booked);
    pages++;
  }
  bankSeconds = (performance.now() - started) / 1000;
  console.log(`Demo Bank: ${rows.length} booked transactions in ${pages} pages in ${bankSeconds.toFixed(2)} s: ${rate(rows.length, bankSeconds)} rows/s`);
} finally {
  await bank.close();
}

const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
const schema = `bench_demobank_${randomBytes(4).toString('hex')}`;
let insertSeconds: number;
try {
  await sql`create schema ${sql(schema)}`;
  await sql`
    create table ${sql(schema)}.bank_transaction (
      id bigserial primary key,
      transaction_id text,
      entry_reference text,
      booking_date date not null,
      value_date date,
      amount numeric(20, 4) not null,
      currency char(3) not null,
      counterparty text,
      remittance text
    )`;
  const table = sql(`${schema}.bank_transaction`);
  const started = performance.now();
  for (const row of rows) {
    await sql`
      insert into ${table} (transaction_id, entry_reference, booking_date, value_date, amount, currency, counterparty, remittance)
      values (${row.transactionId ?? null}, ${row.entryReference ?? null}, ${row.bookingDate!}, ${row.valueDate ?? null},
              ${row.transactionAmount.amount}, ${row.transactionAmount.currency}, ${row.creditorName ?? row.debtorName ?? null},
              ${row.remittanceInformationUnstructured ?? null})`;
  }
  insertSeconds = (performance.now() - started) / 1000;
  console.log(`Postgres: ${rows.length} rows inserted one INSERT at a time in ${insertSeconds.toFixed(2)} s: ${rate(rows.length, insertSeconds)} rows/s`);
} finally {
  await sql`drop schema if exists ${sql(schema)} cascade`;
  await sql.end();
}

console.log(`demobank/insert ratio: ${(insertSeconds / bankSeconds).toFixed(2)}`);

function rate(count: number, seconds: number): string {
  return Math.round(count / seconds).toLocaleString('en-US');
}
