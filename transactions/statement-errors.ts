import { StatementFormatError } from '../statements/index.js';
import { defined } from '../statements/defined.js';

/** A file that cannot be imported: nothing of it was stored. `status` is the HTTP answer it deserves. */
export class StatementImportError extends Error {
  constructor(
    readonly status: 400 | 404 | 409 | 422,
    readonly type: string,
    readonly detail: string,
    readonly where: { location?: string; line?: number } = {},
    /** Extension members for the API's problem (e.g. the unknown accounts). */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(where.location ? `${where.location}: ${detail}` : detail);
    this.name = 'StatementImportError';
  }
}

/** What the database refused for a value in the file (a NUL character, a date out of range) is the file's problem. */
export function translated(error: unknown): unknown {
  if (error instanceof StatementFormatError) {
    return new StatementImportError(422, 'statement-format', error.detail, defined({ location: error.location, line: error.line }));
  }
  const code = (error as { code?: unknown; cause?: { code?: unknown } }).code ?? (error as { cause?: { code?: unknown } }).cause?.code;
  if (typeof code === 'string' && code.startsWith('22')) {
    const message = (error as { cause?: { message?: string } }).cause?.message ?? (error as Error).message;
    return new StatementImportError(422, 'statement-format', `a value in the file cannot be stored: ${message.split('\n')[0]}`);
  }
  return error;
}
