import { parseCamt } from './camt.js';
import { parseCsv } from './csv.js';
import { detectCsvStream } from './csv-detect.js';
import type { CsvPreset } from './csv-preset.js';
import { detectFormat, SNIFF_BYTES, sniffText, xmlEncoding } from './detect.js';
import { StatementFormatError } from './errors.js';
import { boundedChunks, peekChunks, type StatementInput } from './input.js';
import type { StatementEvent, StatementFormat } from './model.js';
import { parseMt940 } from './mt940.js';
import { decodeText } from './text-decoding.js';

export { checkBalances, BalanceTally, type BalanceCheck, type StatementTotals } from './balance-check.js';
export { BUILT_IN_CSV_PRESETS } from './csv-presets.js';
export { csvPresetProblems, csvPresetSchema, type CsvPreset } from './csv-preset.js';
export { detectCsvPreset, type CsvDetection, type CsvFinding } from './csv-detect.js';
export { StatementFormatError } from './errors.js';
export { dialectList, MT940_DIALECTS, type Mt940Dialect } from './mt940-dialects.js';
export type * from './model.js';
export type { StatementInput } from './input.js';

export interface ParseStatementOptions {
  /** The format, when the caller knows it; detected from the content when absent. */
  format?: StatementFormat;
  /** How to read a CSV file; detected from the file when absent (see detectCsvPreset). */
  csv?: CsvPreset;
  /** The currency of the account the file is for: a CSV read without a preset that names no currency is in it. */
  currency?: string;
}

const FORMATS: readonly StatementFormat[] = ['camt.052', 'camt.053', 'camt.054', 'mt940', 'mt942', 'csv'];

/**
 * Parses a statement file as a stream of events, in file order: `file`, then per statement
 * `statement`, its `entry` events and `statementEnd`. Memory stays bounded by the largest entry,
 * not the file. Every problem with the content is a StatementFormatError naming where and what;
 * errors of the input stream itself pass through unchanged.
 */
export async function* parseStatementFile(input: StatementInput, options: ParseStatementOptions = {}): AsyncGenerator<StatementEvent> {
  if (options.format !== undefined && !FORMATS.includes(options.format)) {
    throw new StatementFormatError(`unknown format "${String(options.format)}": expected ${FORMATS.join(', ')}`);
  }
  const { head, all, close } = await peekChunks(boundedChunks(input), SNIFF_BYTES);
  try {
    const sniffed = sniffText(head);
    const format = options.format ?? detectFormat(sniffed);
    switch (format) {
      case 'camt.052':
      case 'camt.053':
      case 'camt.054':
        // A format the caller named must be the document's; a detected one is only a first look, the reader decides.
        yield* parseCamt(decodeText(all, xmlEncoding(sniffed), 'the XML declaration says UTF-8 (or names no encoding), so the file must be UTF-8'), options.format === format ? format : undefined);
        return;
      case 'mt940':
      case 'mt942':
        yield* parseMt940(decodeText(all, 'auto', ''), format);
        return;
      case 'csv': {
        if (options.csv) {
          yield* parseCsv(all, options.csv);
          return;
        }
        const detected = await detectCsvStream(all, { currency: options.currency });
        try {
          const { preset, findings } = detected.detection;
          // The file event says which preset was detected and why (a preview shows it).
          for await (const event of parseCsv(detected.all, preset)) yield event.kind === 'file' ? { ...event, csvPreset: preset, csvFindings: findings } : event;
        } finally {
          await detected.close();
        }
      }
    }
  } finally {
    await close();
  }
}
