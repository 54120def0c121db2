/**
 * What Postgres can store, checked before a request reaches a handler: a value it refuses would
 * otherwise surface as a 500 from deep inside a query.
 */

/**
 * The first year both Postgres (no year 0) and JavaScript's Date.UTC (years below 100 mean 19xx)
 * read the same; four digits end at 9999.
 */
const FIRST_YEAR = 1000;

/** YYYY-MM-DD naming a real day between the years 1000 and 9999. */
export function isStorableDate(text: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < FIRST_YEAR || month < 1 || month > 12 || day < 1) return false;
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** An RFC 3339 date-time whose date is storable and whose time and offset are real. */
export function isStorableDateTime(text: string): boolean {
  const match = /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match || !isStorableDate(match[1]!)) return false;
  const [hour, minute, second] = [Number(match[2]), Number(match[3]), Number(match[4])];
  const offsetOk = match[5] === undefined || (Number(match[6]) <= 23 && Number(match[7]) <= 59);
  return hour <= 23 && minute <= 59 && second <= 60 && offsetOk;
}

/** An instant exactly as Date#toISOString writes it (what this API hands out). */
export function isStorableInstant(text: string): boolean {
  const instant = new Date(text);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === text && isStorableDate(text.slice(0, 10)) && text.length === 24;
}

// NUL is the one character Postgres text cannot hold; a lone surrogate is not Unicode at all
// (UTF-8 encoding would silently turn it into U+FFFD).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const unstorable = (text: string) => text.includes('\u0000') || LONE_SURROGATE.test(text);
const MAX_DEPTH = 64;

/** The JSON pointer of the first string (value or key) in `value` that Postgres cannot store as text. */
export function unstorableTextAt(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return unstorable(value) ? path || '/' : undefined;
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (unstorable(key)) return itemPath;
    const found = unstorableTextAt(item, itemPath, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
