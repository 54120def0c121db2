/**
 * An account's books at a bank instant: which entries are booked (on which day), which are
 * pending, and the balances they add up to. Built on `generateDay`, with a small cache of recent
 * days so that paging through a large account generates each day about once.
 */
import { DAY_MS, epochDay } from './clock.js';
import { generateDay, type LedgerEntry } from './generator.js';
import type { DemoAccount } from './users.js';

/** An entry books at most this many days after it appears. */
export const MAX_LAG_DAYS = 3;

/** Where a walk over booked entries stands: the booking day and how many of its entries are behind. */
export interface BookedPosition {
  day: number;
  offset: number;
}

export interface Balances {
  /** End of yesterday. */
  closingBooked: bigint;
  referenceDay: number;
  /** Closing plus today's bookings plus every pending entry. */
  expected: bigint;
  /** Closing plus today's bookings plus pending debits (pending credits are not yet available). */
  interimAvailable: bigint;
}

export function bookingDay(entry: LedgerEntry): number {
  return entry.day + entry.lagDays;
}

/** When the entry books: at once if it has no lag, else in the night batch of its booking day. */
export function bookedAtMs(entry: LedgerEntry): number {
  return entry.lagDays === 0 ? entry.atMs : bookingDay(entry) * DAY_MS;
}

/** Enough for paging (a day's bookings need the four days before it), small enough for a million-entry account. */
const CACHED_LISTS = 16;

export class Ledger {
  /** Recently used day lists (entries of a day, bookings of a past day), least recent first. */
  private readonly lists = new Map<string, LedgerEntry[]>();
  /** Per account and entry day: the day's amounts summed per lag, for balances. */
  private readonly lagSums = new Map<string, Map<number, bigint[]>>();

  constructor(
    private readonly seed: string,
    /** How far back the bank keeps history; also the window an account's size is spread over. */
    readonly historyDays: number,
    /** The first day of every account's history. */
    readonly firstDay: number,
  ) {}

  /** The entries that appeared on `day`, booked or not (every one of them, also those after now). */
  entriesOf(account: DemoAccount, day: number): LedgerEntry[] {
    if (day < this.firstDay) return [];
    return this.cached(`${account.key}:${day}`, () => generateDay(this.seed, account, this.historyDays, day));
  }

  /** The entries booked on `day` by `nowMs`, in booking order: the night batch first, then the day's own. */
  bookedOn(account: DemoAccount, day: number, nowMs: number): LedgerEntry[] {
    const today = epochDay(nowMs);
    if (day > today) return [];
    const build = () => {
      const booked: LedgerEntry[] = [];
      for (let from = day - MAX_LAG_DAYS; from < day; from++)
        for (const entry of this.entriesOf(account, from)) if (bookingDay(entry) === day) booked.push(entry);
      for (const entry of this.entriesOf(account, day)) if (entry.lagDays === 0 && entry.atMs <= nowMs) booked.push(entry);
      return booked;
    };
    // Today's list still grows (by appending, so positions into it stay valid); a past day's is final.
    return day < today ? this.cached(`${account.key}:${day}:booked`, build) : build();
  }

  /** Booked entries with a booking day in [fromDay, toDay], from `start` on, each with the position after it. */
  *booked(account: DemoAccount, fromDay: number, toDay: number, nowMs: number, start?: BookedPosition): Generator<[LedgerEntry, BookedPosition]> {
    const lastDay = Math.min(toDay, epochDay(nowMs));
    for (let day = Math.max(fromDay, start?.day ?? fromDay, this.firstDay); day <= lastDay; day++) {
      const list = this.bookedOn(account, day, nowMs);
      for (let offset = day === start?.day ? start.offset : 0; offset < list.length; offset++) yield [list[offset]!, { day, offset: offset + 1 }];
    }
  }

  /** Entries pending at `nowMs` whose entry day is in [fromDay, toDay] (the standard filters pending on entry date). */
  pending(account: DemoAccount, fromDay: number, toDay: number, nowMs: number): LedgerEntry[] {
    const today = epochDay(nowMs);
    const pending: LedgerEntry[] = [];
    for (let day = Math.max(fromDay, today - MAX_LAG_DAYS); day <= Math.min(toDay, today); day++)
      for (const entry of this.entriesOf(account, day)) if (entry.atMs <= nowMs && bookedAtMs(entry) > nowMs) pending.push(entry);
    return pending;
  }

  balances(account: DemoAccount, nowMs: number): Balances {
    const today = epochDay(nowMs);
    const yesterday = today - 1;
    let closing = BigInt(account.openingBalanceMinor);
    for (let day = this.firstDay; day <= yesterday; day++) {
      const sums = this.lagSumsOf(account, day);
      for (let lag = 0; lag <= MAX_LAG_DAYS && day + lag <= yesterday; lag++) closing += sums[lag]!;
    }
    let bookedToday = 0n;
    for (const entry of this.bookedOn(account, today, nowMs)) bookedToday += BigInt(entry.amountMinor);
    let pendingAll = 0n;
    let pendingDebits = 0n;
    for (const entry of this.pending(account, today - MAX_LAG_DAYS, today, nowMs)) {
      pendingAll += BigInt(entry.amountMinor);
      if (entry.amountMinor < 0) pendingDebits += BigInt(entry.amountMinor);
    }
    const interimBooked = closing + bookedToday;
    return { closingBooked: closing, referenceDay: yesterday, expected: interimBooked + pendingAll, interimAvailable: interimBooked + pendingDebits };
  }

  private lagSumsOf(account: DemoAccount, day: number): bigint[] {
    let perAccount = this.lagSums.get(account.key);
    if (!perAccount) this.lagSums.set(account.key, (perAccount = new Map()));
    let sums = perAccount.get(day);
    if (!sums) {
      sums = Array.from({ length: MAX_LAG_DAYS + 1 }, () => 0n);
      // Generated outside the cache: a balance reads each day of the history once.
      for (const entry of generateDay(this.seed, account, this.historyDays, day)) sums[entry.lagDays]! += BigInt(entry.amountMinor);
      perAccount.set(day, sums);
    }
    return sums;
  }

  private cached(key: string, build: () => LedgerEntry[]): LedgerEntry[] {
    let list = this.lists.get(key);
    if (list) {
      this.lists.delete(key);
    } else {
      list = build();
      if (this.lists.size >= CACHED_LISTS) this.lists.delete(this.lists.keys().next().value!);
    }
    this.lists.set(key, list);
    return list;
  }
}
