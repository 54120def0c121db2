/**
 * `npm run bench:camt`: a 100,000-entry camt.053 through the real import path (parse, identity,
 * storeBooked in one database transaction under the account's lock) into Postgres, against a raw
 * COPY of the same rows into the same table, side by side in one run, in several rounds (the
 * median round counts). Postgres: DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test;
 * each side of each round gets a fresh schema. Ends with `camt/copy ratio: <x>` (target >= 0.5).
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import { eq } from 'drizzle-orm';
import { transactions } from '../db/schema.js';
import { parseStatementFile } from '../statements/index.js';
import { createTenant } from '../tenants/store.js';
import { FingerprintCounter } from '../transactions/identity.js';
import { importStatementFile } from '../transactions/statement-import.js';
import { camtFile, type CamtEntry } from '../test/helpers/camt.js';
import { createTestDatabase } from '../test/helpers/database.js';
import { createAccount } from '../test/helpers/statement-accounts.js';
import { measureCopy } from './copy.js';

const ENTRIES = Number(process.env.BENCH_ENTRIES ?? 100_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const IBAN = 'DE89370400440532013000';
const databaseUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';

function* entries(): Generator<CamtEntry> {
  for (let index = 0; index < ENTRIES; index++) {
    const day = 1 + (index % 365);
    const date = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
    yield {
      bookingDate: date,
      valueDate: date,
      amount: index % 3 ? `-${(index % 5000) + 1}.${String(index % 100).padStart(2, '0')}` : `${(index % 9000) + 10}.50`,
      reference: `2024${String(index).padStart(10, '0')}`,
      endToEndId: index % 2 ? `E2E-${index}` : undefined,
      counterpartyName: `Counterparty ${index % 2500} GmbH`,
      counterpartyIban: 'DE02120300000000202051',
      remittanceInformation: `Invoice ${index} / customer ${index % 2500} / order ${index * 13}`,
    };
  }
}

/** Opening 0 + all entries, exactly, in cents. */
function closing(): string {
  let cents = 0n;
  for (const entry of entries()) cents += BigInt(entry.amount.replace('.', ''));
  const sign = cents < 0n ? '-' : '';
  const abs = cents < 0n ? -cents : cents;
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
}

const folder = await mkdtemp(join(tmpdir(), 'bench-camt-'));
const path = join(folder, 'statement.xml');
try {
  const out = createWriteStream(path);
  for (const chunk of camtFile({ iban: IBAN, currency: 'EUR', messageId: 'BENCH-1', statements: [{ id: 'BENCH-2024', opening: '0', closing: closing(), entries: entries() }] })) {
    if (!out.write(chunk)) await once(out, 'drain');
  }
  out.end();
  await finished(out);
  const bytes = (await stat(path)).size;
  console.log(`camt.053 file: ${ENTRIES} entries, ${(bytes / 1024 / 1024).toFixed(1)} MB; ${ROUNDS} rounds, each an import and a COPY side by side`);

  const rounds: { importSeconds: number; copySeconds: number; parseSeconds: number }[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    rounds.push(await measureRound(path));
    const { importSeconds, copySeconds, parseSeconds } = rounds.at(-1)!;
    console.log(`round ${round}: import ${importSeconds.toFixed(2)} s (parsing and fingerprints alone ${parseSeconds.toFixed(2)} s), COPY ${copySeconds.toFixed(2)} s: ratio ${(copySeconds / importSeconds).toFixed(2)}`);
  }
  // The median round: this machine's speed drifts, so one side-by-side pair is noisy and several are not.
  const median = rounds.sort((a, b) => b.copySeconds / b.importSeconds - a.copySeconds / a.importSeconds)[Math.floor(rounds.length / 2)]!;
  console.log(`import through the real path (stream, parse, dedup, store, balance check): ${median.importSeconds.toFixed(2)} s: ${Math.round(ENTRIES / median.importSeconds)} rows/s`);
  console.log(`of which reading, parsing and fingerprints alone (no database): ${median.parseSeconds.toFixed(2)} s`);
  console.log(`raw COPY of the same rows into the same table: ${median.copySeconds.toFixed(2)} s: ${Math.round(ENTRIES / median.copySeconds)} rows/s`);
  console.log(`camt/copy ratio: ${(median.copySeconds / median.importSeconds).toFixed(2)}`);
} finally {
  await rm(folder, { recursive: true, force: true });
}

/** One import of the file into a fresh account, then a COPY of the rows it stored into a fresh table. */
async function measureRound(file: string) {
  // What the import costs without the database: reading, parsing and the identity of each entry.
  let parseSeconds = performance.now();
  const counter = new FingerprintCounter();
  for await (const event of parseStatementFile(createReadStream(file, { highWaterMark: 256 * 1024 }))) if (event.kind === 'entry') counter.fingerprint(event.entry);
  parseSeconds = (performance.now() - parseSeconds) / 1000;

  const database = await createTestDatabase(databaseUrl);
  try {
    const { tenantId } = await createTenant(database.db, 'bench');
    const account = await createAccount(database, tenantId, IBAN);
    const started = performance.now();
    const result = await importStatementFile(database, account.id, createReadStream(file, { highWaterMark: 256 * 1024 }));
    const importSeconds = (performance.now() - started) / 1000;
    if (result.counts.inserted !== ENTRIES || !result.statements.every((statement) => statement.balance.ok)) {
      throw new Error(`the import stored ${result.counts.inserted} of ${ENTRIES} entries: ${JSON.stringify(result.counts)}`);
    }
    const rows = await database.db.select().from(transactions).where(eq(transactions.accountId, account.id));
    return { importSeconds, copySeconds: await measureCopy(databaseUrl, rows, IBAN), parseSeconds };
  } finally {
    await database.drop();
  }
}
