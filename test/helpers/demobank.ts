/**
 * A Demo Bank of the test file's own on a random port, the NextGenPSD2 client pointed at it,
 * its admin surface (clock, faults, truth) over HTTP, and the SCA pages walked over plain HTTP
 * as a browser would post them.
 */
import { NextGenPsd2Client } from '../../providers/nextgenpsd2/client.js';
import type { AccountDetails, ConsentRequest, Transaction } from '../../providers/nextgenpsd2/types.js';
import { startDemoBank, type DemoBankOptions } from '../../demobank/server.js';

/** A fixed bank start, so that data and dates are the same on every run. */
export const BANK_START = new Date('2025-03-10T18:00:00Z');
export const PSU_IP = '203.0.113.7';
export const REDIRECT_URI = 'https://bankfeed.example/v1/callback?state=s-123&x=%C3%A6';
export const NOK_REDIRECT_URI = 'https://bankfeed.example/v1/callback?state=s-123&error=access_denied';

export function consentRequest(overrides: Partial<ConsentRequest> = {}): ConsentRequest {
  return {
    access: { accounts: [], balances: [], transactions: [] },
    recurringIndicator: true,
    validUntil: '9999-12-31',
    frequencyPerDay: 4,
    combinedServiceIndicator: false,
    ...overrides,
  };
}

/** A booked entry of the bank's ground truth: as the API shows it, plus who it is really with and the references in its text. */
export type TruthEntry = Transaction & { truth: { partyId: string | null; references: { kind: string; value: string }[] } };

/** A party as the Demo Bank says a ledger of its business accounts registers it. */
export interface DemoParty {
  id: string;
  kind: 'customer' | 'supplier' | 'employee' | 'other';
  name: string;
  ibans: string[];
  other_names: string[];
}

export interface Login {
  username?: string;
  password?: string;
  otp?: string;
  /** Picks the accounts to share from those offered (by IBAN); default all. */
  choose?: (ibans: string[]) => string[];
}

export async function startTestBank(options: DemoBankOptions = {}) {
  const server = await startDemoBank({ admin: true, start: BANK_START, ...options });
  return testBankAt(server.url, () => server.close());
}

/** The test helpers for a Demo Bank already listening at `url` (in this process or another). */
export function testBankAt(url: string, stop: () => Promise<void>) {
  const server = { url };
  const client = new NextGenPsd2Client({ baseUrl: server.url, timeoutMs: 10_000 });

  async function admin<T = unknown>(method: 'GET' | 'POST' | 'DELETE', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${server.url}/_demobank${path}`, {
      method,
      ...(body !== undefined && { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`${method} /_demobank${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  const groundTruth = async (resourceId: string) => (await admin<{ transactions: { booked: TruthEntry[] } }>('GET', `/accounts/${resourceId}/truth`)).transactions.booked;

  /** Walks login and account selection like a browser; the redirect the bank answers with at the end. */
  async function authorise(scaRedirect: string, login: Login = {}): Promise<string> {
    let cookie = '';
    const form = (fields: [string, string][]) => ({
      method: 'POST',
      redirect: 'manual' as const,
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(cookie && { cookie }) },
      body: new URLSearchParams(fields).toString(),
    });
    const loggedIn = await fetch(`${scaRedirect}/login`, form([
      ['username', login.username ?? 'embedded'],
      ['password', login.password ?? '12345'],
      ['otp', login.otp ?? '12345'],
      ['action', 'login'],
    ]));
    if (loggedIn.status !== 303) throw new Error(`login answered ${loggedIn.status}`);
    const next = new URL(loggedIn.headers.get('location')!, scaRedirect);
    if (!next.pathname.endsWith('/accounts')) return next.href;
    cookie = loggedIn.headers.get('set-cookie')!.split(';')[0]!;
    const page = await (await fetch(next, { headers: { cookie } })).text();
    const offered = [...page.matchAll(/value="([^"]+)">[\s\S]*?<span class="iban">([^<]+)</g)].map(([, id, iban]) => ({ id: id!, iban: iban!.replace(/ /g, '') }));
    const ibans = (login.choose ?? ((all) => all))(offered.map((offer) => offer.iban));
    const chosen = offered.filter((offer) => ibans.includes(offer.iban)).map((offer): [string, string] => ['accounts', offer.id]);
    const done = await fetch(next, form([...chosen, ['action', 'confirm']]));
    if (done.status !== 303) throw new Error(`account selection answered ${done.status}`);
    return done.headers.get('location')!;
  }

  return {
    url: server.url,
    client,
    authorise,
    /** A consent created, authorised through the SCA pages, and its accounts. */
    async connect(request: ConsentRequest = consentRequest(), login: Login = {}): Promise<{ consentId: string; accounts: AccountDetails[] }> {
      const { consentId, scaRedirect } = await client.createConsent(request, { redirectUri: REDIRECT_URI }, { psuIpAddress: PSU_IP });
      await authorise(scaRedirect, login);
      return { consentId, accounts: await client.listAccounts(consentId, { psuIpAddress: PSU_IP }) };
    },
    clock: {
      now: async () => new Date((await admin<{ now: string }>('GET', '/clock')).now),
      advance: (duration: string) => admin<{ now: string; today: string }>('POST', '/clock', { advance: duration }),
      setScale: (scale: number) => admin('POST', '/clock', { scale }),
    },
    faults: {
      set: (body: unknown) => admin('POST', '/faults', body),
      get: () => admin<{ faults: { kind: string; remaining?: number }[] }>('GET', '/faults'),
      reset: () => admin('DELETE', '/faults'),
    },
    expireConsent: (consentId: string) => admin('POST', `/consents/${consentId}/expire`),
    revokeConsent: (consentId: string) => admin('POST', `/consents/${consentId}/revoke`),
    /** Every booked entry as the API shows it. */
    truth: async (resourceId: string): Promise<Transaction[]> => (await groundTruth(resourceId)).map(({ truth: _truth, ...entry }) => entry),
    /** Every booked entry with who it is really with and the references in it. */
    groundTruth,
    parties: async () => (await admin<{ parties: DemoParty[] }>('GET', '/parties')).parties,
    async close() {
      await client.close();
      await stop();
    },
  };
}

export type TestBank = ReturnType<typeof testBankAt>;

/** Every page of a report, concatenated. */
export async function allTransactions(bank: TestBank, consentId: string, accountId: string, query: Parameters<NextGenPsd2Client['getTransactions']>[2], psuIpAddress = PSU_IP) {
  const booked: Transaction[] = [];
  const pending: Transaction[] = [];
  let pages = 0;
  for await (const page of bank.client.transactionPages(consentId, accountId, query, { psuIpAddress })) {
    booked.push(...page.booked);
    pending.push(...page.pending);
    pages++;
  }
  return { booked, pending, pages };
}
