import { StatementFormatError } from './errors.js';

/** A line-oriented file longer than this per line is binary or broken, not a statement. */
const MAX_LINE = 1 << 20;

/** Cuts streamed text into lines (LF or CRLF), numbered from 1, holding back only the unfinished last line. */
export class LineSplitter {
  private rest = '';
  private number = 0;

  /** The complete lines of the text so far. */
  write(chunk: string): { text: string; number: number }[] {
    const text = this.rest + chunk;
    const lines: { text: string; number: number }[] = [];
    let start = 0;
    for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
      lines.push({ text: text.slice(start, end > start && text[end - 1] === '\r' ? end - 1 : end), number: ++this.number });
      start = end + 1;
    }
    this.rest = text.slice(start);
    if (this.rest.length > MAX_LINE) throw new StatementFormatError(`a line longer than ${MAX_LINE} characters: not a statement file`, { location: `line ${this.number + 1}`, line: this.number + 1 });
    return lines;
  }

  /** The last line, when the text does not end with a line break. */
  end(): { text: string; number: number }[] {
    const last = this.rest.replace(/\r$/, '');
    this.rest = '';
    return last ? [{ text: last, number: ++this.number }] : [];
  }
}
