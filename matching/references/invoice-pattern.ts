import type { FoundReference } from './kinds.js';
import { UnsafePattern, patternShape } from './pattern-shape.js';

/**
 * A tenant's invoice-number pattern, checked and compiled once (per import, not per transaction).
 * Made only by `parseInvoiceNumberPattern`.
 */
export interface InvoiceNumberPattern {
  /** The pattern as the tenant gave it. */
  readonly source: string;
  /** Global and unicode; its lastIndex is reset before each use. */
  readonly matcher: RegExp;
  /** The value is capture group 1 when the pattern has one, else the whole match. */
  readonly valueIsFirstGroup: boolean;
}

export type InvoiceNumberPatternParse = { ok: true; pattern: InvoiceNumberPattern } | { ok: false; error: string };

export const MAX_PATTERN_LENGTH = 200;

/**
 * Checks a tenant's invoice-number pattern (a JavaScript regular expression, given without slashes
 * or flags) and compiles it. It must be at most 200 characters, compile with the `u` flag, not match
 * the empty string (nor have a group 1 that can be empty), and pass the backtracking rules of
 * pattern-shape.ts. The error says which rule failed, in words fit for an API answer.
 */
export function parseInvoiceNumberPattern(source: string): InvoiceNumberPatternParse {
  if (source.length === 0) return { ok: false, error: 'invoice number pattern is empty' };
  if (source.length > MAX_PATTERN_LENGTH) {
    return { ok: false, error: `invoice number pattern is ${source.length} characters long, at most ${MAX_PATTERN_LENGTH} are allowed` };
  }
  let matcher: RegExp;
  try {
    matcher = new RegExp(source, 'gu');
  } catch (error) {
    return { ok: false, error: `invoice number pattern is not a valid regular expression (with the u flag): ${(error as Error).message}` };
  }
  try {
    const shape = patternShape(source);
    if (shape.minLength === 0) return { ok: false, error: 'invoice number pattern matches the empty string: it must need at least one character' };
    if (shape.firstGroupMinLength === 0) return { ok: false, error: 'invoice number pattern has a group 1 that can be empty: the invoice number is group 1 and must need at least one character' };
    return { ok: true, pattern: { source, matcher, valueIsFirstGroup: shape.firstGroupMinLength !== undefined } };
  } catch (error) {
    if (error instanceof UnsafePattern) return { ok: false, error: `invoice number pattern ${error.message}` };
    throw error;
  }
}

/** Every match of the tenant's pattern in `text` (never empty: the pattern needs a character): group 1 where the pattern has one (a match without it is skipped), else the whole match. */
export function findInvoiceNumbers(text: string, pattern: InvoiceNumberPattern, found: FoundReference[]): void {
  const { matcher, valueIsFirstGroup } = pattern;
  matcher.lastIndex = 0;
  for (let match = matcher.exec(text); match; match = matcher.exec(text)) {
    const value = valueIsFirstGroup ? match[1] : match[0];
    if (value) found.push({ at: match.index, kind: 'invoice_number', value });
  }
}
