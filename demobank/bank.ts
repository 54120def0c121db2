/** Everything the Demo Bank knows, shared by its routes. */
import { AccessBudget } from './budget.js';
import { BankClock, epochDay } from './clock.js';
import { ConsentStore } from './consents.js';
import { Faults } from './faults.js';
import { Ledger } from './ledger.js';
import { STATE_VERSION, type BankState } from './state.js';
import { demoUsers, type DemoUser } from './users.js';

export interface BankSettings {
  /** Everything invented (transactions, balances) follows from it. Default "demo". */
  seed?: string;
  /** The bank's time at its first start-up (a bank with saved state resumes its clock). Default: the real now. */
  start?: Date;
  /** Bank seconds per real second, also for a resumed clock. Default 1. */
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

/** A new bank, or the bank that `saved` describes (the settings' start then ignored). */
export function createBank(settings: BankSettings = {}, saved?: BankState): Bank {
  const seed = settings.seed ?? 'demo';
  const scale = settings.clockScale ?? 1;
  const clock = saved ? BankClock.resume(saved.clock) : new BankClock(settings.start ?? new Date(), scale);
  // The speed is configuration, not state: a resumed clock runs at the configured one from now on.
  clock.setScale(scale);
  const historyDays = settings.historyDays ?? 730;
  const users = demoUsers(settings.accountSizes);
  return {
    seed,
    clock,
    ledger: new Ledger(seed, historyDays, saved?.historyStartDay ?? epochDay(clock.nowMs()) - historyDays),
    consents: new ConsentStore(clock, settings.maxConsentDays ?? 90, saved && { consents: saved.consents, users }),
    budget: new AccessBudget(saved?.budget),
    faults: new Faults(saved?.faults),
    users,
    pageSize: settings.pageSize ?? 100,
    slowLoginMs: settings.slowLoginMs ?? 3000,
  };
}

/** What the bank must not forget: see state.ts. */
export function bankState(bank: Bank): BankState {
  return {
    version: STATE_VERSION,
    historyStartDay: bank.ledger.firstDay,
    clock: bank.clock.state(),
    consents: bank.consents.state(),
    budget: bank.budget.state(bank.clock.nowMs()),
    faults: bank.faults.state(),
  };
}
