import type { DateRange } from '../db/schema.js';
import { addDays } from '../domain/dates.js';

/** Sorted, with overlapping and adjacent ranges joined. */
export function mergeRanges(ranges: readonly DateRange[]): DateRange[] {
  const merged: DateRange[] = [];
  for (const range of [...ranges].sort((a, b) => a.from.localeCompare(b.from))) {
    const last = merged.at(-1);
    if (last && range.from <= addDays(last.to, 1)) {
      if (range.to > last.to) last.to = range.to;
    } else merged.push({ ...range });
  }
  return merged;
}

/** The ranges without the days of `removed`. */
export function withoutRange(ranges: readonly DateRange[], removed: DateRange): DateRange[] {
  return mergeRanges(ranges).flatMap((range) => {
    if (range.to < removed.from || range.from > removed.to) return [range];
    const parts: DateRange[] = [];
    if (range.from < removed.from) parts.push({ from: range.from, to: addDays(removed.from, -1) });
    if (range.to > removed.to) parts.push({ from: addDays(removed.to, 1), to: range.to });
    return parts;
  });
}

/** The days of [from, to] that no range covers. */
export function gaps(covered: readonly DateRange[], from: string, to: string): DateRange[] {
  const missing: DateRange[] = [];
  let cursor = from;
  for (const range of mergeRanges(covered)) {
    if (range.to < cursor) continue;
    if (range.from > to) break;
    if (range.from > cursor) missing.push({ from: cursor, to: addDays(range.from, -1) });
    cursor = addDays(range.to, 1);
  }
  if (cursor <= to) missing.push({ from: cursor, to });
  return missing;
}

/** The last day d such that every day of [from, d] is covered; undefined when `from` itself is not. */
export function watermark(covered: readonly DateRange[], from: string): string | undefined {
  const range = mergeRanges(covered).find((r) => r.from <= from && r.to >= from);
  return range?.to;
}

export interface FetchPlanInput {
  /** The first day the ledger wants. */
  importStart: string;
  covered: readonly DateRange[];
  /** A re-read from this day was asked for (a re-fetch). */
  refetchFrom?: string;
  /** The last day to fetch: the bank's yesterday for complete days only, else its today. */
  lastDay: string;
  /** The first day the bank still serves (a bank serves at least its last day). */
  earliestAvailable: string;
  overlapDays: number;
}

export interface FetchPlan {
  dateFrom: string;
  dateTo: string;
  /** Wanted days the bank no longer serves: said on the sync run, not retried in a loop. */
  unavailable?: DateRange;
}

/**
 * One request per sync: from the first gap since the import start (a failed day, an expired
 * consent, an earlier import start), a re-fetch asked for, or the overlap before the last day,
 * whichever is earliest, up to the last day, clamped to what the bank still serves.
 */
export function planFetch({ importStart, covered, refetchFrom, lastDay, earliestAvailable, overlapDays }: FetchPlanInput): FetchPlan | undefined {
  if (lastDay < importStart) return undefined;
  const firstGap = gaps(covered, importStart, lastDay)[0]?.from;
  const overlapStart = addDays(lastDay, -(overlapDays - 1));
  let dateFrom = [firstGap, refetchFrom, overlapStart, lastDay].filter((d): d is string => !!d).sort()[0]!;
  if (dateFrom < importStart) dateFrom = importStart;
  if (dateFrom >= earliestAvailable) return { dateFrom, dateTo: lastDay };
  return { dateFrom: earliestAvailable, dateTo: lastDay, unavailable: { from: dateFrom, to: addDays(earliestAvailable, -1) } };
}
