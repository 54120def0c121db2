/**
 * The bank's notion of time, mapped to bankfeed's. In production they are the same clock. In
 * tests the Demo Bank runs fast (say a day per real second) and bankfeed's activities get the same
 * mapping, so consent expiry, "until last midnight" and the bank's rolling budget line up with
 * the real instants the workflow waits for. The workflow itself only ever sees real instants.
 */
export interface BankClock {
  /** The bank's now. */
  bankNow(): Date;
  /** The real instant when the bank's clock will show (or showed) `bankInstant`. */
  toReal(bankInstant: Date): Date;
}

export const realClock: BankClock = {
  bankNow: () => new Date(),
  toReal: (bankInstant) => bankInstant,
};

/** Bank time = origin + (real elapsed since origin) × scale, as the Demo Bank's clock runs in tests. */
export function scaledClock(scale: number, origin: Date = new Date()): BankClock {
  const start = origin.getTime();
  return {
    bankNow: () => new Date(start + (Date.now() - start) * scale),
    toReal: (bankInstant) => new Date(start + (bankInstant.getTime() - start) / scale),
  };
}

/**
 * The clock of a bank that runs in this process (the embedded Demo Bank of `npm start`), however
 * it is moved: advancing it by a day makes that day's transactions importable at the next sync.
 */
export function followedClock(bank: { nowMs(): number; readonly scale: number }): BankClock {
  return {
    bankNow: () => new Date(bank.nowMs()),
    toReal: (bankInstant) => new Date(Date.now() + (bankInstant.getTime() - bank.nowMs()) / bank.scale),
  };
}
