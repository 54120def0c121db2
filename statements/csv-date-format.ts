import { DATE_FORMATS, parseDate, type DateFormat } from './dates.js';
import { StatementFormatError } from './errors.js';

export interface DateCell {
  text: string;
  line: number;
}

/** A cell that looks like a date in some layout (digits with separators, or eight digits), whether or not it is a real one. */
export function looksLikeDate(text: string): boolean {
  return /^\s*(?:\d{1,4}[./-]\d{1,2}[./-]\d{2,4}|\d{8})(?:$|[ T]\d{1,2}:\d{2})/.test(text);
}

/**
 * The date format of a column from all its values. When several formats read every value but
 * disagree on some (03/04/2024 as 3 April or 4 March), the column does not say which it is, and
 * detection asks rather than guesses.
 */
export function detectDateFormat(cells: DateCell[], column: string): { format: DateFormat; evidence: string } {
  const fitting = DATE_FORMATS.filter((format) => cells.every((cell) => parseDate(cell.text, format) !== undefined));
  if (fitting.length === 0) throw unreadable(cells, column);
  const [first, ...others] = fitting as [DateFormat, ...DateFormat[]];
  for (const other of others) {
    const differing = cells.find((cell) => parseDate(cell.text, first) !== parseDate(cell.text, other));
    if (differing) {
      const readings = [first, other].map((format) => `${spelled(parseDate(differing.text, format)!)} (${format})`);
      throw new StatementFormatError(
        `the dates of column "${column}" can be read two ways and none of them settles which: "${differing.text.trim()}" (line ${differing.line}) is ${readings.join(' or ')}, and no day in the column is above 12. Which is it? Send a preset with dateFormat "${first}" or "${other}"`,
        { location: `line ${differing.line}`, line: differing.line },
      );
    }
  }
  // A format that reads some dates of the column but not all was a rival: the date that rules it out is the evidence.
  const rivals = DATE_FORMATS.filter((format) => format !== first && cells.some((cell) => parseDate(cell.text, format) !== undefined));
  const evidence = rivals
    .map((rival) => {
      const ruling = cells.find((cell) => parseDate(cell.text, rival) === undefined)!;
      return `"${ruling.text.trim()}" (line ${ruling.line}) is not ${rival}`;
    })
    .join('; ');
  return { format: first, evidence: evidence || `${cells.length} dates, all ${first}` };
}

function unreadable(cells: DateCell[], column: string): StatementFormatError {
  const best = DATE_FORMATS.map((format) => ({ format, misfit: cells.find((cell) => parseDate(cell.text, format) === undefined)!, read: cells.filter((cell) => parseDate(cell.text, format) !== undefined).length }))
    .sort((a, b) => b.read - a.read)[0]!;
  const { misfit } = best;
  return new StatementFormatError(
    `date "${misfit.text.trim()}" of column "${column}" is not a date in the format the other rows have (${best.format}): expected one date format for the whole column (${DATE_FORMATS.join(', ')}), or send a preset`,
    { location: `line ${misfit.line}`, line: misfit.line },
  );
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

function spelled(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]} ${year}`;
}
