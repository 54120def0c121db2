import { StatementFormatError } from './errors.js';

export interface AmountCell {
  text: string;
  line: number;
  column: string;
}

export interface NumberFormat {
  decimalSeparator: '.' | ',';
  thousandsSeparator?: '.' | ',' | ' ' | "'" | '\u00a0';
  evidence: string;
}

const GROUPING = /[ '\u00a0]/;

/**
 * The decimal and thousands separators of the money columns, decided by all their values
 * together: "12,50" or "1.234,56" says decimal comma, "-3.2" or "1,234.56" decimal point. A
 * value such as "1,234" alone says nothing (1234 or 1.234); when no value of the columns decides,
 * detection asks. Columns that contradict each other are refused, not read half one way.
 */
export function detectNumberFormat(cells: AmountCell[]): NumberFormat {
  const deciding: Record<'.' | ',', AmountCell | undefined> = { '.': undefined, ',': undefined };
  let grouping: { separator: NonNullable<NumberFormat['thousandsSeparator']>; cell: AmountCell } | undefined;
  let undecided: AmountCell | undefined;
  for (const cell of cells) {
    const text = cell.text.trim().replace(/^[+-]|-$/g, '');
    const space = GROUPING.exec(text)?.[0] as ' ' | "'" | '\u00a0' | undefined;
    if (space && /^\d{1,3}(?:[ '\u00a0]\d{3})+(?:[.,]\d+)?$/.test(text)) grouping ??= { separator: space, cell };
    const marks = text.replace(/[^.,]/g, '');
    if (!marks) continue;
    const last = marks.at(-1) as '.' | ',';
    const afterLast = text.length - text.lastIndexOf(last) - 1;
    const whole = text.slice(0, text.indexOf(last));
    if (new Set(marks).size === 2 || afterLast !== 3 || (marks.length === 1 && (whole.length > 3 || whole.startsWith('0')))) {
      // Two kinds of marks: the last is the decimal one. One mark that cannot group thousands (not
      // followed by three digits, or after more than three digits or a leading zero) is decimal.
      deciding[last] ??= cell;
      if (new Set(marks).size === 2) grouping ??= { separator: marks[0] as '.' | ',', cell };
    } else if (marks.length > 1) {
      // "1,234,567": a mark that repeats groups thousands, so the other is the decimal one.
      deciding[last === ',' ? '.' : ','] ??= cell;
      grouping ??= { separator: last, cell };
    } else {
      undecided ??= cell;
    }
  }
  if (deciding['.'] && deciding[',']) {
    const [point, comma] = [deciding['.'], deciding[',']];
    throw new StatementFormatError(
      `the amounts mix decimal separators: "${point.text.trim()}" (column "${point.column}", line ${point.line}) has a decimal point, "${comma.text.trim()}" (column "${comma.column}", line ${comma.line}) a decimal comma: expected one number format, or send a preset`,
      { location: `line ${comma.line}`, line: comma.line },
    );
  }
  const decided = deciding['.'] ? '.' : deciding[','] ? ',' : undefined;
  if (!decided && undecided) {
    const { text, line, column } = undecided;
    const [whole, part] = text.trim().split(/[.,]/) as [string, string];
    const mark = text.includes(',') ? ',' : '.';
    throw new StatementFormatError(
      `the amounts never show their decimal separator: "${text.trim()}" (column "${column}", line ${line}) is ${whole}${part} with "${mark}" grouping thousands, or ${whole}.${part} with a decimal "${mark}", and no amount in the file settles it. Which is it? Send a preset with decimalSeparator "." or ","`,
      { location: `line ${line}`, line },
    );
  }
  const decimalSeparator = decided ?? '.';
  const decidingCell = deciding[decimalSeparator];
  const evidence = decidingCell ? `"${decidingCell.text.trim()}" (column "${decidingCell.column}", line ${decidingCell.line})` : 'no amount has a fraction or grouping';
  // Without a grouping seen, the other mark is allowed as one: a later "1.234,56" then reads, while "1.5" with a decimal comma is refused.
  const thousandsSeparator = grouping && grouping.separator !== decimalSeparator ? grouping.separator : decimalSeparator === ',' ? '.' : ',';
  return { decimalSeparator, thousandsSeparator, evidence };
}
