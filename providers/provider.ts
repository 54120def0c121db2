/**
 * What bankfeed needs from an open-banking provider, in bankfeed's own terms. One folder per
 * provider implements it (`nextgenpsd2/`, later `gocardless/`, ...); nothing outside `providers/`
 * sees a provider's wire format.
 */

/** A bank as the ledger app picks it. */
export interface Institution {
  id: string;
  name: string;
  countries: string[];
  bic?: string;
  /** Which provider implementation talks to it, and that provider's settings for it. */
  provider: string;
  /** The longest consent the bank grants, in days (EEA: up to 180). */
  maxConsentDays: number;
  /** How many days back the bank serves transactions. */
  historyDays: number;
  /** Unattended accesses per day the bank allows (PSD2 RTS: 4 unless agreed otherwise). */
  frequencyPerDay: number;
  /** The bank's time zone: its days (booking dates, "last midnight") end there. */
  timeZone: string;
}

export interface ConsentRequest {
  /** Last day of access asked for (the bank may shorten it). */
  validUntil: string;
  frequencyPerDay: number;
  /** Where the bank sends the user's browser after a successful login, and after a failed or cancelled one. */
  redirectUrl: string;
  nokRedirectUrl: string;
}

export interface CreatedConsent {
  /** The provider's reference: a secret to store encrypted, never to put in Temporal history. */
  consentRef: string;
  authorizationUrl: string;
}

export type ProviderConsentStatus = 'received' | 'valid' | 'rejected' | 'expired' | 'revoked' | 'terminated';

export interface ConsentDetails {
  status: ProviderConsentStatus;
  /** The last day of access the bank granted. */
  validUntil?: string;
  frequencyPerDay?: number;
}

export interface ProviderAccount {
  /** The provider's id for the account under this consent; it can differ under the next one. */
  providerAccountId: string;
  iban: string;
  currency: string;
  name?: string;
}

export interface ProviderBalance {
  type: string;
  amount: string;
  currency: string;
  referenceDate?: string;
}

/** A bank entry in bankfeed's terms. Amounts are canonical signed decimals (debits negative). */
export interface ProviderTransaction {
  /** The provider's usable key (see transactions/identity.ts), if it has one. */
  providerKey?: string;
  /** For booked entries the booking date; for pending ones the expected (value) date or, failing that, today. */
  bookingDate: string;
  valueDate?: string;
  amount: string;
  currency: string;
  counterpartyName?: string;
  counterpartyIban?: string;
  remittanceInformation?: string;
  endToEndId?: string;
  /** The SEPA direct debit mandate reference. */
  mandateId?: string;
  bankTransactionCode?: string;
}

/** An entry the provider sent that could not be read: recorded on the sync run, never dropped silently. */
export interface UnreadableEntry {
  reason: string;
  raw: unknown;
}

export interface TransactionPage {
  booked: ProviderTransaction[];
  pending: ProviderTransaction[];
  unreadable: UnreadableEntry[];
}

export interface AccessOptions {
  /** The IP address of a person who asked for this access just now (attended): not counted in the daily budget. */
  psuIpAddress?: string;
  signal?: AbortSignal;
}

export interface Provider {
  /** Consents are created while the user is present: the bank wants their IP address. */
  createConsent(request: ConsentRequest, options: AccessOptions & { psuIpAddress: string }): Promise<CreatedConsent>;
  getConsent(consentRef: string, options: AccessOptions): Promise<ConsentDetails>;
  /** Withdraws the consent at the bank; a consent that is already gone is not an error. */
  revokeConsent(consentRef: string, options: AccessOptions): Promise<void>;
  listAccounts(consentRef: string, options: AccessOptions): Promise<ProviderAccount[]>;
  getBalances(consentRef: string, providerAccountId: string, options: AccessOptions): Promise<ProviderBalance[]>;
  /** Booked entries by booking date in [dateFrom, dateTo] (inclusive), and the current pending ones, page by page. */
  transactions(
    consentRef: string,
    providerAccountId: string,
    range: { dateFrom: string; dateTo: string },
    options: AccessOptions,
  ): AsyncIterable<TransactionPage>;
}

/**
 * Failures every provider reports the same way, so activities can decide: consent problems end
 * syncing until the user re-authorises; an exhausted budget waits for the next slot; temporary
 * ones are retried. Messages carry no personal data (they can reach Temporal history).
 */
export class ProviderError extends Error {
  constructor(
    readonly kind: 'consent_expired' | 'consent_invalid' | 'access_exceeded' | 'temporary' | 'bad_request',
    message: string,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}
