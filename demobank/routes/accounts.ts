/** `GET /v1/accounts`, `/v1/accounts/{id}/balances` and `/v1/accounts/{id}/transactions`. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type, type Static } from 'typebox';
import type { AccountDetails, Balance, BalancesResponse, Transaction, TransactionsResponse } from '../../providers/nextgenpsd2/types.js';
import type { Bank } from '../bank.js';
import { epochDay, isoDate, parseIsoDate } from '../clock.js';
import type { Consent, GrantedAccount } from '../consents.js';
import { TppError } from '../errors.js';
import type { Endpoint } from '../faults.js';
import type { BookedPosition } from '../ledger.js';
import { displayAmount, renderEntry, spoilPage } from '../render.js';
import type { DemoAccount } from '../users.js';

const AccountParams = Type.Object({ accountId: Type.String() });
const WithBalance = Type.Object({ withBalance: Type.Optional(Type.Boolean()) });
const TransactionsQuery = Type.Object({
  bookingStatus: Type.Optional(Type.String()),
  dateFrom: Type.Optional(Type.String()),
  dateTo: Type.Optional(Type.String()),
  withBalance: Type.Optional(Type.Boolean()),
  /** The bank's continuation cursor, only ever taken from a `_links.next` it gave out. */
  page: Type.Optional(Type.String()),
});

const utf8 = new TextEncoder();

/** Where a report continues: booked entries from a position, or pending ones from an offset. */
type Cursor = { phase: 'booked'; position: BookedPosition } | { phase: 'pending'; offset: number };

export async function accountRoutes(app: FastifyInstance, { bank }: { bank: Bank }) {
  app.get('/v1/accounts', { config: { endpoint: 'accounts' }, schema: { querystring: WithBalance } }, async (request) => {
    const consent = validConsent(bank, request);
    const { withBalance } = request.query as Static<typeof WithBalance>;
    if (withBalance && consent.accounts.some((granted) => !granted.balances))
      throw new TppError(401, 'CONSENT_INVALID', 'The consent does not cover the balances of every account');
    charge(bank, request, consent, '*', 'accounts');
    const accounts = consent.accounts.map((granted): AccountDetails => ({
      ...details(granted),
      ...(withBalance && { balances: balances(bank, granted.account) }),
    }));
    return { accounts };
  });

  app.get('/v1/accounts/:accountId/balances', { config: { endpoint: 'balances' }, schema: { params: AccountParams } }, async (request): Promise<BalancesResponse> => {
    const consent = validConsent(bank, request);
    const granted = grantedAccount(bank, consent, request);
    if (!granted.balances) throw new TppError(401, 'CONSENT_INVALID', 'The consent does not cover the balances of this account');
    charge(bank, request, consent, granted.resourceId, 'balances');
    return { account: { iban: granted.account.iban, currency: granted.account.currency }, balances: balances(bank, granted.account) };
  });

  app.get(
    '/v1/accounts/:accountId/transactions',
    { config: { endpoint: 'transactions' }, schema: { params: AccountParams, querystring: TransactionsQuery } },
    async (request, reply) => {
      const consent = validConsent(bank, request);
      const granted = grantedAccount(bank, consent, request);
      if (!granted.transactions) throw new TppError(401, 'CONSENT_INVALID', 'The consent does not cover the transactions of this account');
      const query = request.query as Static<typeof TransactionsQuery>;
      const status = bookingStatus(query.bookingStatus);
      const nowMs = bank.clock.nowMs();
      const { fromDay, toDay } = period(query, epochDay(nowMs), epochDay(nowMs) - bank.ledger.historyDays);
      const cursor = query.page === undefined ? undefined : parseCursor(query.page);
      if (query.withBalance && !granted.balances) throw new TppError(401, 'CONSENT_INVALID', 'The consent does not cover the balances of this account');
      // Follow-up pages belong to the report whose first page was counted.
      if (!cursor) charge(bank, request, consent, granted.resourceId, 'transactions');

      const { account } = granted;
      const faults = bank.faults.forPage(account.iban);
      const ids = { seed: bank.seed, salt: faults.idSalt, changeOnBooking: faults.changeIdOnBooking };
      const booked: Transaction[] = [];
      const pending: Transaction[] = [];
      let next: Cursor | undefined;
      if (status !== 'pending' && cursor?.phase !== 'pending') {
        let position = cursor?.position;
        for (const [entry, after] of bank.ledger.booked(account, fromDay, toDay, nowMs, position)) {
          if (booked.length === bank.pageSize) {
            next = { phase: 'booked', position: position! };
            break;
          }
          booked.push(renderEntry(account, entry, true, ids));
          position = after;
        }
      }
      if (status !== 'booked' && !next) {
        const all = bank.ledger.pending(account, fromDay, toDay, nowMs);
        const offset = cursor?.phase === 'pending' ? cursor.offset : 0;
        const room = bank.pageSize - booked.length;
        for (const entry of all.slice(offset, offset + room)) pending.push(renderEntry(account, entry, false, ids));
        if (offset + room < all.length) next = { phase: 'pending', offset: offset + room };
      }

      const self = `/v1/accounts/${granted.resourceId}`;
      const nextQuery = next && new URLSearchParams({ bookingStatus: status, dateFrom: isoDate(fromDay), dateTo: isoDate(toDay), page: formatCursor(next) });
      const page: TransactionsResponse & { balances?: Balance[] } = {
        account: { iban: account.iban, currency: account.currency },
        transactions: {
          ...(status !== 'pending' && { booked: spoilPage(booked, faults) }),
          ...(status !== 'booked' && { pending: spoilPage(pending, faults) }),
          _links: { account: { href: self }, ...(nextQuery && { next: { href: `${self}/transactions?${nextQuery}` } }) },
        },
        ...(query.withBalance && { balances: balances(bank, account) }),
      };
      // Pages are large and seldom ASCII: encoded once here (TextEncoder is several times faster
      // than Buffer.from), rather than measured and then encoded by the server.
      const bytes = utf8.encode(JSON.stringify(page));
      return reply.type('application/json; charset=utf-8').send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },
  );
}

/** The consent of the Consent-ID header, valid now; else the error a Berlin Group bank gives. */
function validConsent(bank: Bank, request: FastifyRequest): Consent {
  const id = request.headers['consent-id'];
  if (typeof id !== 'string' || id === '') throw new TppError(400, 'FORMAT_ERROR', 'The header Consent-ID is required');
  const consent = bank.consents.get(id);
  // The standard: 400 when the unknown consent id comes in a header (403 when in the path).
  if (!consent) throw new TppError(400, 'CONSENT_UNKNOWN', 'The consent is not known to the bank');
  if (consent.status === 'expired') throw new TppError(401, 'CONSENT_EXPIRED', 'The consent has expired');
  if (consent.status !== 'valid') throw new TppError(401, 'CONSENT_INVALID', `The consent is not valid (status ${consent.status})`);
  bank.consents.touch(consent);
  return consent;
}

function grantedAccount(bank: Bank, consent: Consent, request: FastifyRequest): GrantedAccount {
  const { accountId } = request.params as Static<typeof AccountParams>;
  const granted = consent.accounts.find((candidate) => candidate.resourceId === accountId);
  if (granted) return granted;
  // The id of another consent's account: the resource exists, but not for this consent.
  if (bank.consents.resource(accountId)) throw new TppError(403, 'RESOURCE_UNKNOWN', 'The account is not accessible under this consent');
  throw new TppError(404, 'RESOURCE_UNKNOWN', 'The account is not known');
}

/** Counts an unattended call (no PSU-IP-Address) against the consent's frequencyPerDay. */
function charge(bank: Bank, request: FastifyRequest, consent: Consent, resourceId: string, endpoint: Endpoint): void {
  if (request.headers['psu-ip-address']) return;
  if (!bank.budget.take(`${consent.id}:${resourceId}:${endpoint}`, consent.request.frequencyPerDay, bank.clock.nowMs()))
    throw new TppError(429, 'ACCESS_EXCEEDED', `The consent allows ${consent.request.frequencyPerDay} unattended accesses per day to this resource`);
}

function details(granted: GrantedAccount): AccountDetails {
  const { resourceId, account } = granted;
  const links: Record<string, { href: string }> = {};
  if (granted.balances) links.balances = { href: `/v1/accounts/${resourceId}/balances` };
  if (granted.transactions) links.transactions = { href: `/v1/accounts/${resourceId}/transactions` };
  return {
    resourceId,
    iban: account.iban,
    currency: account.currency,
    name: account.name,
    product: account.product,
    cashAccountType: 'CACC',
    status: 'enabled',
    bic: account.bic,
    _links: links,
  };
}

function balances(bank: Bank, account: DemoAccount): Balance[] {
  const nowMs = bank.clock.nowMs();
  const computed = bank.ledger.balances(account, nowMs);
  const amount = (minor: bigint) => ({ currency: account.currency, amount: displayAmount(minor, account.currency) });
  const lastChangeDateTime = new Date(nowMs).toISOString();
  return [
    { balanceType: 'closingBooked', balanceAmount: amount(computed.closingBooked), referenceDate: isoDate(computed.referenceDay) },
    { balanceType: 'expected', balanceAmount: amount(computed.expected), lastChangeDateTime },
    { balanceType: 'interimAvailable', balanceAmount: amount(computed.interimAvailable), lastChangeDateTime },
  ];
}

function bookingStatus(value: string | undefined): 'booked' | 'pending' | 'both' {
  if (value === 'booked' || value === 'pending' || value === 'both') return value;
  if (value === 'information' || value === 'all') throw new TppError(400, 'PARAMETER_NOT_SUPPORTED', `bookingStatus ${value} is not supported`);
  throw new TppError(400, 'FORMAT_ERROR', 'The query parameter bookingStatus must be booked, pending or both');
}

/** The inclusive period asked for; dateTo defaults to today, and dateFrom may not reach past the history the bank keeps. */
function period(query: Static<typeof TransactionsQuery>, today: number, oldestDay: number): { fromDay: number; toDay: number } {
  if (query.dateFrom === undefined) throw new TppError(400, 'FORMAT_ERROR', 'The query parameter dateFrom is required');
  const fromDay = parseIsoDate(query.dateFrom);
  const toDay = query.dateTo === undefined ? today : parseIsoDate(query.dateTo);
  if (fromDay === undefined || toDay === undefined) throw new TppError(400, 'FORMAT_ERROR', 'dateFrom and dateTo must be dates (YYYY-MM-DD)');
  if (fromDay > toDay) throw new TppError(400, 'PERIOD_INVALID', 'dateFrom is after dateTo');
  if (fromDay < oldestDay) throw new TppError(400, 'PERIOD_INVALID', `The bank keeps history from ${isoDate(oldestDay)} only`);
  return { fromDay, toDay };
}

function formatCursor(cursor: Cursor): string {
  return cursor.phase === 'booked' ? `b${cursor.position.day}.${cursor.position.offset}` : `p${cursor.offset}`;
}

function parseCursor(text: string): Cursor {
  const booked = /^b(\d+)\.(\d+)$/.exec(text);
  if (booked) return { phase: 'booked', position: { day: Number(booked[1]), offset: Number(booked[2]) } };
  const pending = /^p(\d+)$/.exec(text);
  if (pending) return { phase: 'pending', offset: Number(pending[1]) };
  throw new TppError(400, 'FORMAT_ERROR', 'The page parameter is not one this bank gave out');
}
