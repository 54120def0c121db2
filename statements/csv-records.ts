import { StatementFormatError } from './errors.js';

export interface CsvRecord {
  fields: string[];
  /** The line the record starts on (a quoted field may span lines). */
  line: number;
}

/** A record longer than this is an unclosed quote swallowing the file, not a bank transaction. */
const MAX_RECORD = 1 << 20;

/**
 * Cuts streamed text into RFC 4180 records: fields separated by the delimiter, records by CRLF or
 * LF; a quoted field may hold delimiters, line breaks and doubled quotes. A quote inside an
 * unquoted field is kept as text (exports write Joe's "Pub" unquoted). Holds back only the
 * unfinished last record.
 */
export class CsvRecordReader {
  private rest = '';
  private line = 1;

  constructor(
    private readonly delimiter: string,
    private readonly quote: string,
  ) {}

  write(chunk: string): CsvRecord[] {
    return this.read(this.rest + chunk, false);
  }

  end(): CsvRecord[] {
    return this.read(this.rest, true);
  }

  private read(text: string, final: boolean): CsvRecord[] {
    const records: CsvRecord[] = [];
    let position = 0;
    while (position < text.length) {
      const record = this.record(text, position, final);
      if (!record) break;
      records.push({ fields: record.fields, line: this.line });
      this.line += record.lineBreaks;
      position = record.end;
    }
    this.rest = text.slice(position);
    if (this.rest.length > MAX_RECORD) throw this.error(`a record longer than ${MAX_RECORD} characters: a quote that is never closed?`);
    return records;
  }

  /** The record starting at `start`, or undefined when the text ends before it does (and more may come). */
  private record(text: string, start: number, final: boolean): { fields: string[]; end: number; lineBreaks: number } | undefined {
    const { delimiter, quote } = this;
    const fields: string[] = [];
    let lineBreaks = 0;
    let position = start;
    for (;;) {
      let value: string;
      if (text[position] === quote) {
        value = '';
        let from = position + 1;
        for (;;) {
          const close = text.indexOf(quote, from);
          if (close === -1 || (close === text.length - 1 && !final)) {
            if (!final) return undefined;
            throw this.error(`a quoted field is never closed: expected a closing ${quote} (truncated file?)`);
          }
          value += text.slice(from, close);
          if (text[close + 1] === quote) {
            value += quote;
            from = close + 2;
            continue;
          }
          position = close + 1;
          break;
        }
        lineBreaks += countLineBreaks(value);
        const after = text[position];
        if (after !== undefined && after !== delimiter && after !== '\n' && after !== '\r') {
          throw this.error(`"${after}" after a closing quote: expected the delimiter ${JSON.stringify(delimiter)} or the end of the line`);
        }
      } else {
        const nextDelimiter = text.indexOf(delimiter, position);
        const nextLine = text.indexOf('\n', position);
        const end = nextDelimiter !== -1 && (nextLine === -1 || nextDelimiter < nextLine) ? nextDelimiter : nextLine;
        if (end === -1) {
          if (!final) return undefined;
          value = text.slice(position);
          position = text.length;
        } else {
          value = text.slice(position, end);
          position = end;
        }
        if (text[position] === '\n' && value.endsWith('\r')) value = value.slice(0, -1);
      }
      fields.push(value);
      if (text[position] === delimiter) {
        position++;
        continue;
      }
      if (text[position] === '\r' && text[position + 1] === '\n') position++;
      else if (text[position] === '\r' && position + 1 === text.length && !final) return undefined;
      if (position < text.length) {
        position++;
        lineBreaks++;
      }
      return { fields, end: position, lineBreaks };
    }
  }

  private error(detail: string): StatementFormatError {
    return new StatementFormatError(detail, { location: `line ${this.line}`, line: this.line });
  }
}

function countLineBreaks(text: string): number {
  let count = 0;
  for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) count++;
  return count;
}
