import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BUILT_IN_CSV_PRESETS, parseStatementFile } from '../../statements/index.js';
import { startTestApi, type TestApi } from '../helpers/api.js';
import { expectProblem } from '../helpers/problem.js';
import { accountOfNewTenant, accountRows, pendingRows } from '../helpers/statement-accounts.js';
import { fixture } from '../statements/helpers.js';
import { mutateBytes, mutations, seededRandom, type Random } from '../statements/mutations.js';

/** Mutated files per parser, each uploaded through the route into a real account. */
const ROUNDS = 1000;

interface Source {
  file: string;
  encoding: BufferEncoding;
  format: 'camt052' | 'camt053' | 'camt054' | 'mt940' | 'mt942' | 'csv';
  preset?: keyof typeof BUILT_IN_CSV_PRESETS;
}

const FORMATS: Record<string, { mutate: (text: string, random: Random) => string; sources: Source[] }> = {
  'camt.053': {
    mutate: mutations.xml,
    sources: ['camt053-v02-german-bank.xml', 'camt053-v08-prefixed.xml', 'camt053-v13-other-account.xml'].map((file) => ({ file, encoding: 'utf8', format: 'camt053' })),
  },
  'camt.052': {
    mutate: mutations.xml,
    sources: ['camt052-v08-intraday.xml', 'camt052-v13-status-code.xml'].map((file) => ({ file, encoding: 'utf8', format: 'camt052' })),
  },
  'camt.054': { mutate: mutations.xml, sources: [{ file: 'camt054-v08-batch.xml', encoding: 'utf8', format: 'camt054' }] },
  mt940: { mutate: mutations.mt940, sources: ['mt940-german-swift.sta', 'mt940-dutch-plain.txt', 'mt940-swift-framed.sta'].map((file) => ({ file, encoding: 'latin1', format: 'mt940' })) },
  mt942: { mutate: mutations.mt942, sources: [{ file: 'mt942-german.sta', encoding: 'latin1', format: 'mt942' }] },
  csv: {
    mutate: mutations.csv,
    sources: (['sparkasse-csv-camt', 'rabobank', 'chase', 'monzo'] as const).map((preset) => ({ file: `${preset}.csv`, encoding: preset === 'sparkasse-csv-camt' ? 'latin1' : 'utf8', format: 'csv', preset })),
  },
};

let api: TestApi;
beforeAll(async () => {
  api = await startTestApi();
});
afterAll(async () => {
  await api?.close();
});

/** An account the unmutated file belongs to: its IBAN (or a stand-in when it names none) and currency. */
async function accountFor(source: Source) {
  let iban = 'CH9300762011623852957';
  let currency = 'EUR';
  for await (const event of parseStatementFile(fixture(source.file), { csv: source.preset && BUILT_IN_CSV_PRESETS[source.preset] })) {
    if (event.kind !== 'statement') continue;
    iban = event.statement.account.iban ?? iban;
    currency = event.statement.openingBalance?.currency ?? event.statement.account.currency ?? currency;
    break;
  }
  if (source.file === 'mt940-german-swift.sta' || source.file === 'mt942-german.sta') iban = 'DE89370400440532013000';
  return accountOfNewTenant(api, iban, currency);
}

describe.each(Object.entries(FORMATS))('%s uploads', (format, { mutate, sources }) => {
  test(`${ROUNDS} mutated files through the import: no crash, each imported whole or refused with a clear problem and nothing written`, async () => {
    const random = seededRandom(Number(process.env.FUZZ_SEED ?? 0) + format.length * 104_729);
    const accounts = await Promise.all(sources.map(accountFor));
    const outcomes = { imported: 0, refused: 0 };
    const kinds = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const index = round % sources.length;
      const source = sources[index]!;
      const account = accounts[index]!;
      const text = mutate(fixture(source.file).toString(source.encoding), random);
      const bytes = random() < 0.3 ? mutateBytes(text, random) : Buffer.from(text, source.encoding);
      // Half the files name their format; the other half go through detection.
      const query = new URLSearchParams({ ...(random() < 0.5 && { format: source.format }), ...(source.preset && { preset: source.preset }) });
      const before = await accountRows(api.database, account.id);
      const pendingBefore = await pendingRows(api.database, account.id);
      const response = await api.app.inject({
        method: 'POST',
        url: `/v1/accounts/${account.id}/statements?${query}`,
        headers: { ...account.headers, 'content-type': 'application/octet-stream' },
        payload: bytes,
      });
      const after = await accountRows(api.database, account.id);
      const context = `round ${round} (${source.file}): ${response.statusCode} ${response.body.slice(0, 400)}`;
      if (response.statusCode === 200 || response.statusCode === 201) {
        const result = response.json<{ counts: { inserted: number } }>();
        expect(after, context).toEqual({ transactions: before.transactions + result.counts.inserted, imports: before.imports + 1 });
        outcomes.imported++;
        continue;
      }
      expect([400, 422], context).toContain(response.statusCode);
      const problem = expectProblem(response, response.statusCode);
      expect(problem.detail.length, context).toBeGreaterThan(10);
      expect(problem.detail, context).not.toMatch(/undefined|NaN|\[object /);
      expect(after, context).toEqual(before);
      expect(await pendingRows(api.database, account.id), context).toBe(pendingBefore);
      kinds.add(problem.type);
      outcomes.refused++;
    }
    console.log(`${format} uploads: ${JSON.stringify(outcomes)}, problem types ${[...kinds].join(' ')}`);
    expect(outcomes.imported).toBeGreaterThan(ROUNDS / 20);
    expect(outcomes.refused).toBeGreaterThan(ROUNDS / 4);
  }, 600_000);
});
