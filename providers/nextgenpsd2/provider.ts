import { setTimeout as sleep } from 'node:timers/promises';
import { ProviderError, type AccessOptions, type ConsentDetails, type CreatedConsent, type ConsentRequest, type Provider, type ProviderAccount, type ProviderBalance, type TransactionPage } from '../provider.js';
import type { NextGenPsd2Client, TransactionsPage } from './client.js';
import { ConsentExpiredError, ConsentInvalidError, ConsentUnknownError, NextGenPsd2Error, ProtocolError, RateLimitedError, TemporaryError } from './errors.js';
import { isUnreadable, readConsentStatus, readTransaction, type WireTransaction } from './mapping.js';

/** How often a page that failed for a passing reason is asked for again before the sync gives up. */
const PAGE_ATTEMPTS = 8;
const PAGE_RETRY_MS = 500;

/**
 * bankfeed's provider interface on a Berlin Group NextGenPSD2 bank: a bank-offered consent (the
 * user picks the accounts at the bank) with the redirect approach, and the AIS endpoints.
 */
export class NextGenPsd2Provider implements Provider {
  constructor(private readonly client: NextGenPsd2Client) {}

  async createConsent(request: ConsentRequest, options: AccessOptions & { psuIpAddress: string }): Promise<CreatedConsent> {
    return translate(async () => {
      const created = await this.client.createConsent(
        {
          access: { accounts: [], balances: [], transactions: [] },
          recurringIndicator: true,
          validUntil: request.validUntil,
          frequencyPerDay: request.frequencyPerDay,
          combinedServiceIndicator: false,
        },
        { redirectUri: request.redirectUrl, nokRedirectUri: request.nokRedirectUrl },
        options,
      );
      return { consentRef: created.consentId, authorizationUrl: created.scaRedirect };
    });
  }

  async getConsent(consentRef: string, options: AccessOptions): Promise<ConsentDetails> {
    return translate(async () => {
      const consent = await this.client.getConsent(consentRef, options);
      return { status: readConsentStatus(consent.consentStatus), validUntil: consent.validUntil, frequencyPerDay: consent.frequencyPerDay };
    });
  }

  async revokeConsent(consentRef: string, options: AccessOptions): Promise<void> {
    return translate(() => this.client.deleteConsent(consentRef, options));
  }

  async listAccounts(consentRef: string, options: AccessOptions): Promise<ProviderAccount[]> {
    return translate(async () => {
      const accounts = await this.client.listAccounts(consentRef, options);
      // bankfeed identifies accounts by IBAN and currency; an account without an IBAN (a card) is not one it can feed.
      return accounts.flatMap((account) =>
        account.iban ? [{ providerAccountId: account.resourceId, iban: account.iban.replace(/\s+/g, '').toUpperCase(), currency: account.currency, name: account.name }] : [],
      );
    });
  }

  async getBalances(consentRef: string, providerAccountId: string, options: AccessOptions): Promise<ProviderBalance[]> {
    return translate(async () => {
      const { balances } = await this.client.getBalances(consentRef, providerAccountId, options);
      return balances.map((b) => ({ type: b.balanceType, amount: b.balanceAmount.amount, currency: b.balanceAmount.currency, referenceDate: b.referenceDate }));
    });
  }

  async *transactions(consentRef: string, providerAccountId: string, range: { dateFrom: string; dateTo: string }, options: AccessOptions): AsyncIterable<TransactionPage> {
    let page = await translate(() =>
      this.client.getTransactions(consentRef, providerAccountId, { bookingStatus: 'both', dateFrom: range.dateFrom, dateTo: range.dateTo }, options),
    );
    for (;;) {
      // The next page is asked for before this one is handed on, so the bank prepares it while bankfeed stores this one.
      const href = page.next;
      const next = href ? translate(() => retryingPassingFailures(() => this.client.getTransactionsPage(consentRef, href, options), options.signal)) : undefined;
      next?.catch(() => {}); // awaited below; an early exit of the consumer must not leave it unhandled
      yield read(page, range.dateTo);
      if (!next) return;
      page = await next;
    }
  }
}

function read(page: TransactionsPage, today: string): TransactionPage {
  const result: TransactionPage = { booked: [], pending: [], unreadable: [] };
  for (const [status, entries] of [['booked', page.booked], ['pending', page.pending]] as const) {
    for (const entry of entries) {
      const read = readTransaction(entry as WireTransaction, status, today);
      if (isUnreadable(read)) result.unreadable.push(read);
      else result[status].push(read);
    }
  }
  return result;
}

/**
 * A follow-up page is free to ask for again (it does not count against the bank's budget),
 * so a page that failed for a passing reason is retried here: starting the whole report over
 * would cost an access.
 */
async function retryingPassingFailures<T>(call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof TemporaryError) || attempt >= PAGE_ATTEMPTS) throw error;
      await sleep(PAGE_RETRY_MS * 2 ** (attempt - 1), undefined, { signal });
    }
  }
}

/** The client's typed errors in the provider interface's terms. */
async function translate<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof NextGenPsd2Error)) throw error;
    if (error instanceof ConsentExpiredError) throw new ProviderError('consent_expired', error.message);
    if (error instanceof ConsentInvalidError || error instanceof ConsentUnknownError) throw new ProviderError('consent_invalid', error.message);
    if (error instanceof RateLimitedError) throw new ProviderError('access_exceeded', error.message);
    if (error instanceof TemporaryError) throw new ProviderError('temporary', error.message);
    // A response that breaks the standard may be a passing glitch of the bank's: retried like one.
    if (error instanceof ProtocolError) throw new ProviderError('temporary', error.message);
    throw new ProviderError('bad_request', error.message);
  }
}
