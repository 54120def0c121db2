/**
 * Consents and their life: received → valid (after SCA) | rejected; valid → expired (validUntil
 * passed, a later recurring consent of the same PSU, or the admin surface) | revokedByPsu |
 * terminatedByTpp (DELETE). Expiry is evaluated on the bank's clock whenever a consent is read.
 */
import { randomUUID } from 'node:crypto';
import type { AccountReference, ConsentRequest, ConsentStatus } from '../providers/nextgenpsd2/types.js';
import { DAY_MS, epochDay, parseIsoDate, type BankClock } from './clock.js';
import type { ConsentState } from './state.js';
import type { DemoAccount, DemoUser } from './users.js';

/** What the PSU granted on one account, under the resourceId this consent shows it by. */
export interface GrantedAccount {
  resourceId: string;
  account: DemoAccount;
  balances: boolean;
  transactions: boolean;
}

export interface Consent {
  id: string;
  request: ConsentRequest;
  status: ConsentStatus;
  /** Inclusive, as an epoch day: the consent ends when this day ends. */
  validUntilDay: number;
  lastActionDay: number;
  redirectUri: string;
  nokRedirectUri: string;
  /** The PSU, once logged in on the SCA pages. */
  user?: DemoUser;
  failedLogins: number;
  /** Proof of a completed login, held by the PSU's browser between login and account selection. */
  scaSession?: string;
  /** The accounts the PSU may choose from, once logged in. */
  offered: { resourceId: string; account: DemoAccount }[];
  accounts: GrantedAccount[];
}

function names(ref: AccountReference, account: DemoAccount): boolean {
  return ref.iban === account.iban && (!ref.currency || ref.currency === account.currency);
}

/** The longest a consent can run, from a given day: the bank's maximum, or `9999-12-31` for exactly that. */
const FAR_FUTURE = '9999-12-31';

export class ConsentStore {
  private readonly consents = new Map<string, Consent>();
  private readonly byResourceId = new Map<string, { consent: Consent; granted: GrantedAccount }>();

  constructor(
    private readonly clock: BankClock,
    private readonly maxConsentDays: number,
    saved: { consents: ConsentState[]; users: DemoUser[] } = { consents: [], users: [] },
  ) {
    for (const state of saved.consents) {
      const consent = restore(state, saved.users);
      this.consents.set(consent.id, consent);
      for (const granted of consent.accounts) this.byResourceId.set(granted.resourceId, { consent, granted });
    }
  }

  /** Every consent, its PSU and accounts named by their keys. */
  state(): ConsentState[] {
    return [...this.consents.values()].map(({ user, offered, accounts, ...consent }) => ({
      ...consent,
      username: user?.username,
      offered: offered.map(({ resourceId, account }) => ({ resourceId, account: account.key })),
      accounts: accounts.map(({ account, ...granted }) => ({ ...granted, account: account.key })),
    }));
  }

  /** A new consent in status `received`, its validUntil already capped at the bank's maximum. */
  create(request: ConsentRequest, redirectUri: string, nokRedirectUri: string): Consent {
    const today = epochDay(this.clock.nowMs());
    const consent: Consent = {
      id: randomUUID(),
      request,
      status: 'received',
      validUntilDay: this.cappedValidUntil(request.validUntil, today),
      lastActionDay: today,
      redirectUri,
      nokRedirectUri,
      failedLogins: 0,
      offered: [],
      accounts: [],
    };
    this.consents.set(consent.id, consent);
    return consent;
  }

  /** The consent with its status brought up to the bank's now, or undefined. */
  get(id: string): Consent | undefined {
    const consent = this.consents.get(id);
    if (consent && (consent.status === 'valid' || consent.status === 'received') && this.clock.nowMs() >= (consent.validUntilDay + 1) * DAY_MS)
      consent.status = 'expired';
    return consent;
  }

  /** The account a resourceId names, with the consent it belongs to. */
  resource(resourceId: string): { consent: Consent; granted: GrantedAccount } | undefined {
    return this.byResourceId.get(resourceId);
  }

  /**
   * Login done: the PSU's accounts this consent may cover are offered for selection, each under a
   * resourceId of its own (a later consent shows the same account under another id).
   */
  offer(consent: Consent, user: DemoUser): string {
    const { access } = consent.request;
    const refs = [...(access.accounts ?? []), ...(access.balances ?? []), ...(access.transactions ?? [])];
    const accounts = refs.length === 0 ? user.accounts : user.accounts.filter((account) => refs.some((ref) => names(ref, account)));
    consent.user = user;
    consent.offered = accounts.map((account) => ({ resourceId: randomUUID(), account }));
    consent.scaSession = randomUUID();
    return consent.scaSession;
  }

  /**
   * SCA done: the consent becomes valid for the chosen offered accounts, and validUntil counts
   * from today. Earlier valid recurring consents of the same PSU expire, as the standard has it.
   */
  authorise(consent: Consent, resourceIds: string[]): void {
    const today = epochDay(this.clock.nowMs());
    const { access } = consent.request;
    const named = (list: AccountReference[] | undefined, account: DemoAccount) => list?.some((ref) => names(ref, account)) ?? false;
    // Empty lists (or allPsd2) ask for everything on the accounts the PSU picks.
    const everything = Boolean(access.allPsd2) || [access.accounts, access.balances, access.transactions].every((list) => list?.length === 0);
    consent.accounts = consent.offered
      .filter(({ resourceId }) => resourceIds.includes(resourceId))
      .map(({ resourceId, account }) => ({
        resourceId,
        account,
        balances: everything || Boolean(access.availableAccountsWithBalance) || named(access.balances, account),
        transactions: everything || named(access.transactions, account),
      }));
    for (const granted of consent.accounts) this.byResourceId.set(granted.resourceId, { consent, granted });
    consent.status = 'valid';
    consent.lastActionDay = today;
    consent.validUntilDay = this.cappedValidUntil(consent.request.validUntil, today);
    consent.scaSession = undefined;
    if (consent.request.recurringIndicator)
      for (const other of this.consents.values())
        if (other !== consent && other.user === consent.user && other.request.recurringIndicator && this.get(other.id)?.status === 'valid') other.status = 'expired';
  }

  touch(consent: Consent): void {
    consent.lastActionDay = epochDay(this.clock.nowMs());
  }

  private cappedValidUntil(requested: string, fromDay: number): number {
    const longest = fromDay + this.maxConsentDays;
    if (requested === FAR_FUTURE) return longest;
    return Math.min(parseIsoDate(requested) ?? longest, longest);
  }
}

/** A saved consent with its PSU and accounts found again among the bank's (the same objects, so identity comparisons hold). */
function restore({ username, offered, accounts, ...state }: ConsentState, users: DemoUser[]): Consent {
  const user = username === undefined ? undefined : users.find((candidate) => candidate.username === username);
  if (username !== undefined && !user) throw new Error(`consent ${state.id}: the bank has no user ${username}`);
  const account = (key: string) => {
    const found = user?.accounts.find((candidate) => candidate.key === key);
    if (!found) throw new Error(`consent ${state.id}: ${username ?? 'no user'} has no account ${key}`);
    return found;
  };
  return {
    ...state,
    user,
    offered: offered.map(({ resourceId, account: key }) => ({ resourceId, account: account(key) })),
    accounts: accounts.map(({ account: key, ...granted }) => ({ ...granted, account: account(key) })),
  };
}
