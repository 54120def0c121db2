import type { CsvRecord } from './csv-records.js';
import { StatementFormatError } from './errors.js';

/** Footer rows are short summaries; a pattern sees at most this much of a row, which also bounds its cost. */
const MATCHED_LENGTH = 500;
// A quantified group that itself holds a quantifier, such as (a+)+ or (\w*x)*: it can take exponential time on a non-matching row.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*(?:[+*]|\{\d+,?\d*\})(?:[^()\\]|\\.)*\)(?:[+*]|\{\d+,?\d*\})/;

/** Why each footer pattern cannot be used (it is not a regular expression, or one that may take exponential time). */
export function footerPatternProblems(patterns: readonly string[]): string[] {
  return patterns.flatMap((pattern, index) => {
    try {
      new RegExp(pattern, 'iu');
    } catch (error) {
      return [`/footerPatterns/${index}: not a regular expression: ${(error as Error).message}`];
    }
    return NESTED_QUANTIFIER.test(pattern) ? [`/footerPatterns/${index}: a repeated group that repeats inside (such as (a+)+) may take exponential time: write it without the nesting`] : [];
  });
}

/**
 * The summary lines a bank writes after the rows ("Kontostand", "Saldo", "Total"): a row whose
 * fields, joined by the delimiter, match one of the preset's patterns (ignoring case) starts the
 * footer. Every later row that is not blank must match one too: a pattern that caught a data row
 * by mistake stops the import instead of silently dropping the rows after it.
 */
export class CsvFooter {
  private readonly patterns: RegExp[];
  private startLine: number | undefined;

  constructor(
    patterns: readonly string[] | undefined,
    private readonly delimiter: string,
  ) {
    this.patterns = (patterns ?? []).map((pattern) => new RegExp(pattern, 'iu'));
  }

  /** Whether the row belongs to the footer; refuses a row that does not after the footer has begun. */
  holds(record: CsvRecord): boolean {
    if (this.patterns.length === 0) return false;
    const text = record.fields.join(this.delimiter).slice(0, MATCHED_LENGTH);
    if (this.patterns.some((pattern) => pattern.test(text))) {
      this.startLine ??= record.line;
      return true;
    }
    if (this.startLine === undefined) return false;
    throw new StatementFormatError(`a row after the footer that begins on line ${this.startLine}, and it matches no footer pattern: expected only footer lines after the rows (does a footer pattern match a transaction?)`, {
      location: `line ${record.line}`,
      line: record.line,
    });
  }
}
