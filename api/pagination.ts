import { HttpProblem } from './problems.js';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url JSON. A cursor that
 * was not made here is a 400, never a 500.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor<T extends readonly (string | number)[]>(cursor: string, shape: readonly ('string' | 'number')[]): T {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => typeof part !== shape[i])) {
    throw new HttpProblem(400, 'The cursor is not one this API gave out.', { type: 'invalid-cursor' });
  }
  return key as unknown as T;
}

/** A page of at most `limit` items from `rows` (fetched with limit + 1), and the cursor after it. */
export function page<R, I>(rows: R[], limit: number, view: (row: R) => I, key: (row: R) => readonly (string | number)[]) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { data: shown.map(view), next_cursor: more ? encodeCursor(key(shown.at(-1)!)) : null };
}
