/**
 * What the Demo Bank must not forget across a restart, as its state file holds it: the consents
 * (with their SCA progress and the accounts granted), the access budget, the clock and the fault
 * switches. Transactions are not in it: they are a pure function of the seed and of the first day
 * of history, which is. Accounts and users are named by their stable keys, never copied.
 */
import { Type, type Static } from 'typebox';
import { ConsentRequest, ConsentStatus } from '../providers/nextgenpsd2/types.js';
import { FaultRule } from './faults.js';

/** Bumped when the shape changes; a file of another version is not read. */
export const STATE_VERSION = 1;

const EpochDay = Type.Integer();

export const ClockState = Type.Object({
  /** The bank's time at the real instant `realMs`. */
  bankMs: Type.Number(),
  realMs: Type.Number(),
  scale: Type.Number({ exclusiveMinimum: 0 }),
});
export type ClockState = Static<typeof ClockState>;

const ResourceId = Type.String({ minLength: 1 });
const AccountKey = Type.String({ minLength: 1 });

export const ConsentState = Type.Object({
  id: Type.String({ minLength: 1 }),
  request: ConsentRequest,
  status: ConsentStatus,
  validUntilDay: EpochDay,
  lastActionDay: EpochDay,
  redirectUri: Type.String(),
  nokRedirectUri: Type.String(),
  /** The PSU, once logged in. */
  username: Type.Optional(Type.String()),
  failedLogins: Type.Integer({ minimum: 0 }),
  scaSession: Type.Optional(Type.String()),
  offered: Type.Array(Type.Object({ resourceId: ResourceId, account: AccountKey })),
  accounts: Type.Array(Type.Object({ resourceId: ResourceId, account: AccountKey, balances: Type.Boolean(), transactions: Type.Boolean() })),
});
export type ConsentState = Static<typeof ConsentState>;

/** Bank instants of the counted calls, oldest first, per scope (consent, resource, endpoint). */
export const BudgetState = Type.Record(Type.String(), Type.Array(Type.Number()));
export type BudgetState = Static<typeof BudgetState>;

export const FaultsState = Type.Object({
  seed: Type.Union([Type.Integer(), Type.String()]),
  rules: Type.Array(Type.Object({ rule: FaultRule, remaining: Type.Optional(Type.Integer({ minimum: 0 })), calls: Type.Integer({ minimum: 0 }) })),
});
export type FaultsState = Static<typeof FaultsState>;

export const BankState = Type.Object({
  version: Type.Literal(STATE_VERSION),
  /** The first day of every account's history: balances add up from it. */
  historyStartDay: EpochDay,
  clock: ClockState,
  consents: Type.Array(ConsentState),
  budget: BudgetState,
  faults: FaultsState,
});
export type BankState = Static<typeof BankState>;
