/**
 * The one error every statement parser throws for input it cannot read. The message names where
 * (`location`, and the line when known) and what was wrong and expected, so an import can refuse
 * the whole file and tell the person who uploaded it what to fix.
 */
export class StatementFormatError extends Error {
  /** "line 17" (MT940, CSV) or an element path such as "Stmt[1]/Ntry[3]/Amt" (camt). */
  readonly location?: string;
  /** The 1-based line where the problem is, when known (camt too). */
  readonly line?: number;
  /** What was wrong and what was expected, without the location. */
  readonly detail: string;

  constructor(detail: string, where: { location?: string; line?: number } = {}) {
    const place = [where.location, where.line !== undefined && where.location !== `line ${where.line}` ? `line ${where.line}` : undefined]
      .filter(Boolean)
      .join(', ');
    super(place ? `${place}: ${detail}` : detail);
    this.name = 'StatementFormatError';
    this.detail = detail;
    if (where.location !== undefined) this.location = where.location;
    if (where.line !== undefined) this.line = where.line;
  }
}
