import { describe, expect, test } from 'vitest';
import { parseAmount } from '../../domain/amount.js';
import { isoDate } from '../../statements/dates.js';
import { normaliseIban } from '../../domain/iban.js';
import { BUILT_IN_CSV_PRESETS, parseStatementFile, StatementFormatError, type Balance, type ParseStatementOptions, type StatementEvent } from '../../statements/index.js';
import { fixture } from './helpers.js';
import { mutateBytes, mutations, seededRandom, type Random } from './mutations.js';

const ROUNDS = 1500;
const CANONICAL_AMOUNT = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

interface Source {
  file: string;
  encoding: BufferEncoding;
  options: ParseStatementOptions;
}

const FORMATS: Record<'camt.052' | 'camt.053' | 'camt.054' | 'mt940' | 'mt942' | 'csv' | 'detected csv', { mutate: (text: string, random: Random) => string; sources: Source[] }> = {
  'camt.053': {
    mutate: mutations.xml,
    sources: ['camt053-v02-german-bank.xml', 'camt053-v08-prefixed.xml', 'camt053-v13-other-account.xml'].map((file) => ({ file, encoding: 'utf8', options: { format: 'camt.053' } })),
  },
  'camt.052': {
    mutate: mutations.xml,
    sources: ['camt052-v08-intraday.xml', 'camt052-v13-status-code.xml'].map((file) => ({ file, encoding: 'utf8', options: { format: 'camt.052' } })),
  },
  'camt.054': {
    mutate: mutations.xml,
    sources: [{ file: 'camt054-v08-batch.xml', encoding: 'utf8', options: { format: 'camt.054' } }],
  },
  mt940: {
    mutate: mutations.mt940,
    sources: ['mt940-german-swift.sta', 'mt940-dutch-plain.txt', 'mt940-swift-framed.sta', 'mt940-blanks-in-61.sta', 'mt940-wrapped.sta', 'mt940-rabobank-multi-account.sta'].map((file) => ({ file, encoding: 'latin1', options: { format: 'mt940' } })),
  },
  mt942: { mutate: mutations.mt942, sources: [{ file: 'mt942-german.sta', encoding: 'latin1', options: { format: 'mt942' } }] },
  csv: {
    mutate: mutations.csv,
    sources: [
      { file: 'sparkasse-csv-camt.csv', encoding: 'latin1', options: { csv: BUILT_IN_CSV_PRESETS['sparkasse-csv-camt'] } },
      { file: 'rabobank.csv', encoding: 'utf8', options: { csv: BUILT_IN_CSV_PRESETS.rabobank } },
      { file: 'chase.csv', encoding: 'utf8', options: { csv: BUILT_IN_CSV_PRESETS.chase } },
      { file: 'monzo.csv', encoding: 'utf8', options: { csv: BUILT_IN_CSV_PRESETS.monzo } },
      // Status words, Nordea's undated pending rows, footers, debit/credit columns, indicators, several currencies.
      { file: 'sparkasse-csv-camt-vorgemerkt.csv', encoding: 'latin1', options: { csv: BUILT_IN_CSV_PRESETS['sparkasse-csv-camt'] } },
      { file: 'nordea-dk.csv', encoding: 'utf8', options: { csv: BUILT_IN_CSV_PRESETS['nordea-dk'] } },
      { file: 'deutsche-bank.csv', encoding: 'latin1', options: { csv: BUILT_IN_CSV_PRESETS['deutsche-bank'] } },
      { file: 'volksbank-raiffeisenbank-classic.csv', encoding: 'latin1', options: { csv: BUILT_IN_CSV_PRESETS['volksbank-raiffeisenbank-classic'] } },
      { file: 'ing-nl.csv', encoding: 'latin1', options: { csv: BUILT_IN_CSV_PRESETS['ing-nl'] } },
      { file: 'revolut.csv', encoding: 'utf8', options: { csv: BUILT_IN_CSV_PRESETS.revolut } },
      { file: 'paypal-de.csv', encoding: 'utf8', options: { csv: BUILT_IN_CSV_PRESETS['paypal-de'] } },
    ],
  },
  // Without a preset: detection decides everything, so a mutation can change what it decides.
  'detected csv': {
    mutate: mutations.csv,
    sources: [
      { file: 'detect-german-preamble-sh.csv', encoding: 'utf8', options: {} },
      { file: 'detect-danish-status-footer.csv', encoding: 'utf8', options: {} },
      { file: 'detect-dutch-af-bij.csv', encoding: 'utf8', options: {} },
      { file: 'detect-swedish-preamble.csv', encoding: 'utf8', options: {} },
      { file: 'detect-norwegian-out-in.csv', encoding: 'utf8', options: { currency: 'NOK' } },
      { file: 'detect-finnish.csv', encoding: 'utf8', options: {} },
      { file: 'detect-french-debit-credit.csv', encoding: 'utf8', options: {} },
      { file: 'detect-english-signed.csv', encoding: 'utf8', options: {} },
      { file: 'detect-us-summary.csv', encoding: 'utf8', options: { currency: 'USD' } },
      { file: 'detect-windows1252-dkb.csv', encoding: 'latin1', options: {} },
    ],
  },
};

/** Everything a successful parse hands out must be valid: the event order, real dates, canonical amounts, codes. */
function expectValid(events: StatementEvent[]): void {
  expect(events[0]?.kind).toBe('file');
  let inStatement = false;
  for (const event of events.slice(1)) {
    if (event.kind === 'statement') {
      expect(inStatement).toBe(false);
      inStatement = true;
      expect(event.statement.statementId.trim()).not.toBe('');
      if (event.statement.openingBalance) expectValidBalance(event.statement.openingBalance);
      if (event.statement.account.iban) expect(normaliseIban(event.statement.account.iban)).toBe(event.statement.account.iban);
    } else if (event.kind === 'statementEnd') {
      expect(inStatement).toBe(true);
      inStatement = false;
      if (event.closingBalance) expectValidBalance(event.closingBalance);
      if (event.closingAvailableBalance) expectValidBalance(event.closingAvailableBalance);
    } else {
      expect(event.kind).toBe('entry');
      expect(inStatement).toBe(true);
      if (event.kind !== 'entry') continue;
      const { entry } = event;
      expect(['booked', 'pending', 'info']).toContain(entry.status);
      expect(isoDate(entry.bookingDate)).toBe(entry.bookingDate);
      if (entry.valueDate !== undefined) expect(isoDate(entry.valueDate)).toBe(entry.valueDate);
      expect(entry.amount).toMatch(CANONICAL_AMOUNT);
      expect(parseAmount(entry.amount)).toBe(entry.amount);
      expect(entry.currency).toMatch(/^[A-Z]{3}$/);
      expect(typeof entry.reversal).toBe('boolean');
      expect(entry.location).toMatch(/^(line \d+|(Stmt|Rpt|Ntfctn)\[\d+\]\/Ntry\[\d+\](\/TxDtls\[\d+\])?)$/);
      if (entry.counterpartyIban !== undefined) expect(normaliseIban(entry.counterpartyIban)).toBe(entry.counterpartyIban);
      for (const text of [entry.bankReference, entry.endToEndId, entry.counterpartyName, entry.counterpartyAccount, entry.remittanceInformation, entry.bankTransactionCode]) {
        if (text !== undefined) expect(text.trim()).toBe(text);
        if (text !== undefined) expect(text).not.toBe('');
      }
    }
  }
  expect(inStatement).toBe(false);
}

function expectValidBalance(balance: Balance): void {
  expect(balance.amount).toMatch(CANONICAL_AMOUNT);
  expect(balance.currency).toMatch(/^[A-Z]{3}$/);
  expect(isoDate(balance.date)).toBe(balance.date);
}

describe.each(Object.entries(FORMATS))('%s fuzzing', (format, { mutate, sources }) => {
  test(`${ROUNDS} mutated files: each parses into valid events or fails with a StatementFormatError`, async () => {
    // FUZZ_SEED=n explores other mutations than the ones this suite pins.
    const random = seededRandom(Number(process.env.FUZZ_SEED ?? 0) + format.length * 7919);
    const outcomes = { parsed: 0, refused: 0 };
    const messages = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const source = sources[round % sources.length]!;
      const text = mutate(fixture(source.file).toString(source.encoding), random);
      const bytes = random() < 0.3 ? mutateBytes(text, random) : Buffer.from(text, source.encoding);
      // Half the files name their format; the other half go through detection.
      const options = random() < 0.5 ? source.options : { csv: source.options.csv, currency: source.options.currency };
      const events: StatementEvent[] = [];
      try {
        for await (const event of parseStatementFile(bytes, options)) events.push(event);
      } catch (error) {
        if (!(error instanceof StatementFormatError)) throw new Error(`round ${round}: ${String(error)}\n${text.slice(0, 2000)}`, { cause: error });
        expect(error.detail.length).toBeGreaterThan(10);
        expect(error.message).not.toMatch(/undefined|NaN|\[object /);
        messages.add(error.detail.replace(/".*?"|\d+/g, '…'));
        outcomes.refused++;
        continue;
      }
      expectValid(events);
      outcomes.parsed++;
    }
    // Both outcomes occur, and the refusals are of many kinds: the mutations reach deep into each parser.
    expect(outcomes.parsed).toBeGreaterThan(ROUNDS / 20);
    expect(outcomes.refused).toBeGreaterThan(ROUNDS / 4);
    expect(messages.size).toBeGreaterThan(15);
  });
});
