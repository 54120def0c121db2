/** Everything the Demo Bank knows, shared by its routes. */
import { AccessBudget } from './budget.js';
import { BankClock, epochDay } from './clock.js';
import { ConsentStore } from './consents.js';
import { Faults } from './faults.js';
import { Ledger } from './ledger.js';
import { demoUsers, type DemoUser } from './users.js';

export interface BankSettings {
  /** Everything invented (transactions, balances) follows from it. Default "demo". */
  seed?: string;
  /** The bank's time at start-up. Default: the real now. */
  start?: Date;
  /** Bank seconds per real second. Default 1. */
  clockScale?: number;
  /** The longest consent the bank grants, in days from authorisation. Default 90. */
  maxConsentDays?: number;
  /** How much history the bank keeps and serves, in days. Default 730 (two years). */
  historyDays?: number;
  /** Entries per page of transactions. Default 100. */
  pageSize?: number;
  /** Account sizes by IBAN: about how many transactions the account has over the history window. */
  accountSizes?: Record<string, number>;
  /** How long the `slow` user's login takes, in real milliseconds. Default 3000. */
  slowLoginMs?: number;
}

export interface Bank {
  seed: string;
  clock: BankClock;
  ledger: Ledger;
  consents: ConsentStore;
  budget: AccessBudget;
  faults: Faults;
  users: DemoUser[];
  pageSize: number;
  slowLoginMs: number;
}

export function createBank(settings: BankSettings = {}): Bank {
  const seed = settings.seed ?? 'demo';
  const clock = new BankClock(settings.start ?? new Date(), settings.clockScale ?? 1);
  const historyDays = settings.historyDays ?? 730;
  return {
    seed,
    clock,
    ledger: new Ledger(seed, historyDays, epochDay(clock.nowMs()) - historyDays),
    consents: new ConsentStore(clock, settings.maxConsentDays ?? 90),
    budget: new AccessBudget(),
    faults: new Faults(),
    users: demoUsers(settings.accountSizes),
    pageSize: settings.pageSize ?? 100,
    slowLoginMs: settings.slowLoginMs ?? 3000,
  };
}
