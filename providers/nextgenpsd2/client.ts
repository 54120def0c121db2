/**
 * A client of a Berlin Group NextGenPSD2 (XS2A 1.3) bank's account-information API.
 *
 * Every call carries a fresh X-Request-ID; a call made while the PSU is present passes their IP
 * (PSU-IP-Address), which keeps it out of the consent's unattended budget. Each call can be
 * cancelled (an AbortSignal, e.g. a Temporal activity's) and times out on its own. Real banks
 * want a client certificate (mTLS, a QWAC): pass it as `tls`.
 */
import { randomUUID } from 'node:crypto';
import { Agent, request, type Dispatcher } from 'undici';
import { Compile } from 'typebox/compile';
import { errorForResponse, ProtocolError, TemporaryError } from './errors.js';
import {
  AccountList,
  BalancesResponse,
  ConsentCreated,
  ConsentInformation,
  ConsentStatusResponse,
  ErrorResponse,
  TransactionsResponse,
  type AccountDetails,
  type AccountReference,
  type Balance,
  type BookingStatus,
  type ConsentRequest,
  type ConsentStatus,
  type Transaction,
} from './types.js';

export interface ClientCertificate {
  /** PEM certificate chain of the TPP. */
  cert: string | Buffer;
  /** PEM private key of the certificate. */
  key: string | Buffer;
  passphrase?: string;
  /** PEM CA certificates to trust for the bank's server certificate, instead of the system's. */
  ca?: string | Buffer | (string | Buffer)[];
}

export interface NextGenPsd2ClientOptions {
  /** The bank's API root, e.g. https://api.bank.example/psd2 (paths /v1/... are appended). */
  baseUrl: string;
  tls?: ClientCertificate;
  /** How long one request may take, headers and body; default 30 s. */
  timeoutMs?: number;
}

export interface CallOptions {
  /** The PSU's IP address, on calls the PSU started (attended access). */
  psuIpAddress?: string;
  signal?: AbortSignal;
  /** Overrides the client's timeout for this call. */
  timeoutMs?: number;
}

export interface ConsentRedirects {
  /** Where the bank sends the browser after SCA; the bank returns to it exactly as given. */
  redirectUri: string;
  /** Where it goes on cancel or failure (default: redirectUri). */
  nokRedirectUri?: string;
}

export interface TransactionQuery {
  bookingStatus: BookingStatus;
  /** Inclusive, YYYY-MM-DD. */
  dateFrom: string;
  /** Inclusive, YYYY-MM-DD; the bank's today when absent. */
  dateTo?: string;
  withBalance?: boolean;
}

export interface TransactionsPage {
  account?: AccountReference;
  booked: Transaction[];
  pending: Transaction[];
  balances?: Balance[];
  /** The href of the next page, absent on the last. */
  next?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

const checkers = {
  consentCreated: Compile(ConsentCreated),
  consentInformation: Compile(ConsentInformation),
  consentStatus: Compile(ConsentStatusResponse),
  accountList: Compile(AccountList),
  balances: Compile(BalancesResponse),
  transactions: Compile(TransactionsResponse),
  error: Compile(ErrorResponse),
};

interface Checker<R> {
  Check(value: unknown): value is R;
}

export class NextGenPsd2Client {
  private readonly baseUrl: string;
  private readonly origin: string;
  private readonly dispatcher: Dispatcher;
  private readonly timeoutMs: number;

  constructor(options: NextGenPsd2ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.origin = new URL(this.baseUrl).origin;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.dispatcher = new Agent(options.tls ? { connect: { cert: options.tls.cert, key: options.tls.key, passphrase: options.tls.passphrase, ca: options.tls.ca } } : {});
  }

  /** POST /v1/consents: a consent in status `received`; send the PSU's browser to `scaRedirect`. */
  async createConsent(
    consent: ConsentRequest,
    redirects: ConsentRedirects,
    options: CallOptions & { psuIpAddress: string },
  ): Promise<{ consentId: string; consentStatus: ConsentStatus; scaRedirect: string }> {
    const headers: Record<string, string> = { 'TPP-Redirect-URI': redirects.redirectUri };
    if (redirects.nokRedirectUri) headers['TPP-Nok-Redirect-URI'] = redirects.nokRedirectUri;
    const created = await this.call('POST', this.endpoint('/v1/consents'), checkers.consentCreated, options, { headers, body: consent });
    const scaRedirect = created._links.scaRedirect?.href;
    if (!scaRedirect) throw new ProtocolError({ method: 'POST', path: '/v1/consents', status: 201 }, 'no scaRedirect link');
    return { consentId: created.consentId, consentStatus: created.consentStatus, scaRedirect };
  }

  async getConsent(consentId: string, options: CallOptions = {}): Promise<ConsentInformation> {
    return this.call('GET', this.endpoint(`/v1/consents/${encodeURIComponent(consentId)}`), checkers.consentInformation, options);
  }

  async getConsentStatus(consentId: string, options: CallOptions = {}): Promise<ConsentStatus> {
    return (await this.call('GET', this.endpoint(`/v1/consents/${encodeURIComponent(consentId)}/status`), checkers.consentStatus, options)).consentStatus;
  }

  /** DELETE /v1/consents/{id}: the consent becomes terminatedByTpp. */
  async deleteConsent(consentId: string, options: CallOptions = {}): Promise<void> {
    await this.call('DELETE', this.endpoint(`/v1/consents/${encodeURIComponent(consentId)}`), undefined, options);
  }

  async listAccounts(consentId: string, options: CallOptions & { withBalance?: boolean } = {}): Promise<AccountDetails[]> {
    const query = options.withBalance ? '?withBalance=true' : '';
    return (await this.call('GET', this.endpoint(`/v1/accounts${query}`), checkers.accountList, options, { consentId })).accounts;
  }

  async getBalances(consentId: string, accountId: string, options: CallOptions = {}): Promise<BalancesResponse> {
    return this.call('GET', this.endpoint(`/v1/accounts/${encodeURIComponent(accountId)}/balances`), checkers.balances, options, { consentId });
  }

  /** The first page of an account's transactions in a period. */
  async getTransactions(consentId: string, accountId: string, query: TransactionQuery, options: CallOptions = {}): Promise<TransactionsPage> {
    const params = new URLSearchParams({ bookingStatus: query.bookingStatus, dateFrom: query.dateFrom });
    if (query.dateTo) params.set('dateTo', query.dateTo);
    if (query.withBalance) params.set('withBalance', 'true');
    return this.transactionsAt(consentId, this.endpoint(`/v1/accounts/${encodeURIComponent(accountId)}/transactions?${params}`), options);
  }

  /** The page a `next` href points to (relative to the bank's API, or absolute on the same host). */
  async getTransactionsPage(consentId: string, href: string, options: CallOptions = {}): Promise<TransactionsPage> {
    return this.transactionsAt(consentId, this.link(href), options);
  }

  /** Every page of an account's transactions in a period, following `_links.next` until it ends. */
  async *transactionPages(consentId: string, accountId: string, query: TransactionQuery, options: CallOptions = {}): AsyncGenerator<TransactionsPage> {
    let page = await this.getTransactions(consentId, accountId, query, options);
    yield page;
    while (page.next) {
      page = await this.getTransactionsPage(consentId, page.next, options);
      yield page;
    }
  }

  /** Closes the client's connections. */
  async close(): Promise<void> {
    await this.dispatcher.close();
  }

  private async transactionsAt(consentId: string, url: URL, options: CallOptions): Promise<TransactionsPage> {
    const response = await this.call('GET', url, checkers.transactions, options, { consentId });
    const { booked = [], pending = [], _links } = response.transactions;
    const balances = (response as { balances?: Balance[] }).balances;
    return { account: response.account, booked, pending, ...(balances && { balances }), ...(_links?.next && { next: _links.next.href }) };
  }

  /** One of the API's own paths, under the base URL. */
  private endpoint(path: string): URL {
    return new URL(`${this.baseUrl}${path}`);
  }

  private async call<R>(
    method: 'GET' | 'POST' | 'DELETE',
    url: URL,
    checker: Checker<R> | undefined,
    options: CallOptions,
    extra: { consentId?: string; headers?: Record<string, string>; body?: unknown } = {},
  ): Promise<R> {
    const where = { method, path: url.pathname };
    const headers: Record<string, string> = { Accept: 'application/json', 'X-Request-ID': randomUUID(), ...extra.headers };
    if (extra.consentId) headers['Consent-ID'] = extra.consentId;
    if (options.psuIpAddress) headers['PSU-IP-Address'] = options.psuIpAddress;
    if (extra.body !== undefined) headers['Content-Type'] = 'application/json';

    const timeout = AbortSignal.timeout(options.timeoutMs ?? this.timeoutMs);
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    let status: number;
    let text: string;
    let retryAfter: string | undefined;
    try {
      const response = await request(url, {
        method,
        headers,
        body: extra.body === undefined ? undefined : JSON.stringify(extra.body),
        dispatcher: this.dispatcher,
        signal,
      });
      status = response.statusCode;
      const header = response.headers['retry-after'];
      retryAfter = typeof header === 'string' ? header : undefined;
      text = await response.body.text();
    } catch (error) {
      // The caller's cancellation is theirs to see as it is; everything else is the bank's failure to answer.
      if (options.signal?.aborted) throw options.signal.reason;
      throw new TemporaryError({ ...where, status: 0, code: timeout.aborted ? 'TIMEOUT' : 'CONNECTION_FAILED', cause: error });
    }

    const body = parseJson(text);
    if (status >= 400) throw errorForResponse({ ...where, status }, checkers.error.Check(body) ? body.tppMessages : [], retryAfter);
    if (!checker) return undefined as R;
    if (!checker.Check(body)) throw new ProtocolError({ ...where, status }, 'the response body is not what the standard prescribes');
    return body;
  }

  /**
   * A link the bank gave: absolute on the bank's own host (never elsewhere: it would get our
   * Consent-ID), or relative. Banks write relative links from their API root ("/v1/...", as in
   * the standard's examples) or from their host ("/psd2/v1/..."); both resolve to the same URL.
   */
  private link(href: string): URL {
    const root = new URL(this.baseUrl).pathname.replace(/\/+$/, '');
    const url = /^[a-z][a-z0-9+.-]*:/i.test(href)
      ? new URL(href)
      : new URL(root !== '' && href.startsWith(`${root}/`) ? `${this.origin}${href}` : `${this.baseUrl}/${href.replace(/^\/+/, '')}`);
    if (url.origin !== this.origin) throw new ProtocolError({ method: 'GET', path: url.pathname, status: 0, code: 'FOREIGN_LINK' }, `a link to ${url.origin}`);
    return url;
  }
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
