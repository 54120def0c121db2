import { HttpProblem } from './problems.js';
import { CANONICAL_UUID } from './validation.js';
import { isStorableDate, isStorableInstant } from './storable.js';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url JSON. Ledger apps
 * keep cursors (the feed's for good), so the encoding stays as it is; a cursor is checked part by
 * part against what this API puts there, so one that was not made here is a 400, never a query.
 */
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** What one part of a cursor holds, and how it is told apart from anything else. */
const PARTS = {
  uuid: (part: unknown): part is string => typeof part === 'string' && CANONICAL_UUID.test(part),
  /** A YYYY-MM-DD date Postgres and JavaScript both hold. */
  date: (part: unknown): part is string => typeof part === 'string' && isStorableDate(part),
  /** An instant as Date#toISOString writes it. */
  instant: (part: unknown): part is string => typeof part === 'string' && isStorableInstant(part),
  /** A Postgres xid8, as decimal text. */
  xid: (part: unknown): part is string => typeof part === 'string' && /^\d{1,20}$/.test(part) && BigInt(part) < 2n ** 64n,
  /** A bigint sequence number that JSON carries exactly. */
  count: (part: unknown): part is number => Number.isSafeInteger(part) && (part as number) >= 0,
  /** A filter value the cursor was made for ('' for none), compared, never queried with. */
  filter: (part: unknown): part is string => typeof part === 'string' && part.length <= 100,
} as const;

type Part = keyof typeof PARTS;
type PartValue<P extends Part> = (typeof PARTS)[P] extends (part: unknown) => part is infer T ? T : never;
type Key<S extends readonly Part[]> = { [I in keyof S]: S[I] extends Part ? PartValue<S[I]> : never };

export function decodeCursor<const S extends readonly Part[]>(cursor: string, shape: S): Key<S> {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    key = undefined;
  }
  if (!Array.isArray(key) || key.length !== shape.length || key.some((part, i) => !PARTS[shape[i]!](part))) {
    throw new HttpProblem(400, 'The cursor is not one this API gave out.', { type: 'invalid-cursor' });
  }
  return key as Key<S>;
}

/** A page of at most `limit` items from `rows` (fetched with limit + 1), and the cursor after it. */
export function page<R, I>(rows: R[], limit: number, view: (row: R) => I, key: (row: R) => readonly (string | number)[]) {
  const more = rows.length > limit;
  const shown = more ? rows.slice(0, limit) : rows;
  return { data: shown.map(view), next_cursor: more ? encodeCursor(key(shown.at(-1)!)) : null };
}
