import { CsvRecordReader, type CsvRecord } from './csv-records.js';
import { StatementFormatError } from './errors.js';

export type CsvDelimiter = ',' | ';' | '\t' | '|';
export type CsvQuote = '"' | "'";

export interface CsvDialect {
  delimiter: CsvDelimiter;
  quote: CsvQuote;
  /** The sample's records in this dialect. */
  records: CsvRecord[];
  /** How many records have the usual number of fields, and that number: the evidence. */
  rows: number;
  fields: number;
}

const DELIMITERS: readonly CsvDelimiter[] = [',', ';', '\t', '|'];

/**
 * The delimiter that cuts the most records into the same number of fields, weighted by that
 * number: a ";" file with decimal commas also splits evenly at ",", but into fewer fields. A
 * delimiter whose reading breaks (a quote in the wrong place) is out. Single quotes are the quote
 * character only in a file that quotes fields with them and never with double quotes.
 */
export function detectDialect(text: string, complete: boolean): CsvDialect {
  const quote: CsvQuote = !/(?:^|[,;\t|])"/m.test(text) && /(?:^|[,;\t|])'[^'\n]*'(?:$|[,;\t|\r])/m.test(text) ? "'" : '"';
  let best: CsvDialect | undefined;
  let bestScore = 0;
  for (const delimiter of DELIMITERS) {
    const records = readAll(text, delimiter, quote, complete);
    if (!records) continue;
    const counts = new Map<number, number>();
    for (const record of records) if (!isBlank(record)) counts.set(record.fields.length, (counts.get(record.fields.length) ?? 0) + 1);
    for (const [fields, rows] of counts) {
      const score = rows * (fields - 1);
      if (score > bestScore) {
        bestScore = score;
        best = { delimiter, quote, records, rows, fields };
      }
    }
  }
  if (!best) throw new StatementFormatError('no delimiter: no line of the file has two fields separated by ",", ";", a tab or "|": expected a CSV file', { location: 'line 1', line: 1 });
  return best;
}

function readAll(text: string, delimiter: CsvDelimiter, quote: CsvQuote, complete: boolean): CsvRecord[] | undefined {
  const reader = new CsvRecordReader(delimiter, quote);
  try {
    // An incomplete sample's last record may be unfinished: it is held back, not read.
    return complete ? [...reader.write(text), ...reader.end()] : reader.write(text);
  } catch (error) {
    if (error instanceof StatementFormatError) return undefined;
    throw error;
  }
}

export function isBlank(record: CsvRecord): boolean {
  return record.fields.every((field) => field.trim() === '');
}
