import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isValidIban } from '../../../demobank/iban.js';
import { BadRequestError, ConsentInvalidError } from '../../../providers/nextgenpsd2/errors.js';
import type { AccountDetails, Transaction } from '../../../providers/nextgenpsd2/types.js';
import { addAmounts, parseAmount, sumAmounts } from '../../../domain/amount.js';
import { allTransactions, PSU_IP, startTestBank, type TestBank } from '../../helpers/demobank.js';

const PAGE_SIZE = 25;
let bank: TestBank;
let consentId: string;
let accounts: AccountDetails[];
let dkk: AccountDetails;

beforeAll(async () => {
  bank = await startTestBank({ pageSize: PAGE_SIZE });
  ({ consentId, accounts } = await bank.connect());
  dkk = accounts.find((account) => account.currency === 'DKK')!;
});
afterAll(() => bank.close());

const attended = { psuIpAddress: PSU_IP };
const amountOf = (entry: Transaction) => parseAmount(entry.transactionAmount.amount);
const balance = (balances: { balanceType: string; balanceAmount: { amount: string } }[], type: string) =>
  parseAmount(balances.find((candidate) => candidate.balanceType === type)!.balanceAmount.amount);

describe('GET /v1/accounts', () => {
  test('lists the chosen accounts with IBAN, currency, name and links', async () => {
    expect(accounts.map((account) => account.currency).sort()).toEqual(['DKK', 'EUR', 'SEK']);
    for (const account of accounts) {
      expect(isValidIban(account.iban!)).toBe(true);
      expect(account).toMatchObject({
        resourceId: expect.any(String),
        name: expect.any(String),
        cashAccountType: 'CACC',
        status: 'enabled',
        bic: expect.stringMatching(/^DEMO/),
        _links: {
          balances: { href: `/v1/accounts/${account.resourceId}/balances` },
          transactions: { href: `/v1/accounts/${account.resourceId}/transactions` },
        },
      });
    }
  });

  test('withBalance adds each account\'s balances', async () => {
    const listed = await bank.client.listAccounts(consentId, { ...attended, withBalance: true });
    for (const account of listed) expect(account.balances?.map((b) => b.balanceType)).toEqual(['closingBooked', 'expected', 'interimAvailable']);
  });

  test('resourceIds are stable within a consent and differ for the same IBAN under a later consent', async () => {
    const again = await bank.client.listAccounts(consentId, attended);
    expect(again.map((a) => a.resourceId)).toEqual(accounts.map((a) => a.resourceId));

    // Another PSU's consent, so that this file's consent stays valid.
    const first = await bank.connect(undefined, { username: 'jonas' });
    const second = await bank.connect(undefined, { username: 'jonas' });
    expect(second.accounts.map((a) => a.iban)).toEqual(first.accounts.map((a) => a.iban));
    for (const [i, account] of second.accounts.entries()) expect(account.resourceId).not.toBe(first.accounts[i]!.resourceId);
  });
});

describe('GET /v1/accounts/{id}/balances', () => {
  test('closingBooked is yesterday\'s; expected adds today\'s bookings and every pending entry; interimAvailable the pending debits', async () => {
    const { balances, account } = await bank.client.getBalances(consentId, dkk.resourceId, attended);
    expect(account).toEqual({ iban: dkk.iban, currency: 'DKK' });
    const closing = balances.find((b) => b.balanceType === 'closingBooked')!;
    expect(closing.referenceDate).toBe('2025-03-09');
    for (const b of balances) expect(b.balanceAmount.amount).toMatch(/^-?\d+\.\d{2}$/);

    const today = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'both', dateFrom: '2025-03-10', dateTo: '2025-03-10' });
    const allPending = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'pending', dateFrom: '2025-03-01' });
    const bookedToday = sumAmounts(today.booked.map(amountOf));
    const pending = sumAmounts(allPending.pending.map(amountOf));
    const pendingDebits = sumAmounts(allPending.pending.map(amountOf).filter((amount) => amount.startsWith('-')));
    expect(allPending.pending.length).toBeGreaterThan(0);
    expect(balance(balances, 'expected')).toBe(addAmounts(addAmounts(balance(balances, 'closingBooked'), bookedToday), pending));
    expect(balance(balances, 'interimAvailable')).toBe(addAmounts(addAmounts(balance(balances, 'closingBooked'), bookedToday), pendingDebits));
  });
});

describe('GET /v1/accounts/{id}/transactions', () => {
  test('booked entries carry every documented field, in the period asked, oldest first', async () => {
    const { booked, pending } = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-01-01', dateTo: '2025-02-28' });
    expect(pending).toEqual([]);
    expect(booked.length).toBeGreaterThan(100);
    for (const entry of booked) {
      expect(entry.bookingDate! >= '2025-01-01' && entry.bookingDate! <= '2025-02-28').toBe(true);
      expect(entry).toMatchObject({
        transactionId: expect.stringMatching(/^[0-9A-Z]{20}$/),
        entryReference: expect.stringMatching(/^[0-9A-Z]{16}$/),
        valueDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
        transactionAmount: { currency: 'DKK', amount: expect.stringMatching(/^-?\d+\.\d{2}$/) },
        remittanceInformationUnstructured: expect.any(String),
        bankTransactionCode: expect.stringMatching(/^[A-Z]{4}-[A-Z]{4}-[A-Z]{4}$/),
        proprietaryBankTransactionCode: expect.any(String),
      });
      expect(entry.valueDate! <= entry.bookingDate!).toBe(true);
      // The other party by name or account (some transfers lack one of them), except on the bank's own charges.
      const other = entry.transactionAmount.amount.startsWith('-') ? entry.creditorName ?? entry.creditorAccount?.iban : entry.debtorName ?? entry.debtorAccount?.iban;
      if (entry.proprietaryBankTransactionCode === 'FEE') expect(other).toBeUndefined();
      else expect(other).toEqual(expect.any(String));
    }
    expect(booked.map((e) => e.bookingDate)).toEqual(booked.map((e) => e.bookingDate).sort());
    expect(booked.some((e) => e.endToEndId && e.endToEndId !== 'NOTPROVIDED')).toBe(true);
    expect(booked.some((e) => e.creditorAccount?.iban && isValidIban(e.creditorAccount.iban))).toBe(true);
    expect(booked.some((e) => e.debtorAccount?.iban && isValidIban(e.debtorAccount.iban))).toBe(true);
    expect(new Set(booked.map((e) => e.transactionId)).size).toBe(booked.length);
  });

  test('pages of the page size follow _links.next to the last page, which has none; together they are the truth of the period', async () => {
    const first = await bank.client.getTransactions(consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2024-12-01', dateTo: '2025-02-28' }, attended);
    expect(first.booked).toHaveLength(PAGE_SIZE);
    expect(first.next).toMatch(new RegExp(`^/v1/accounts/${dkk.resourceId}/transactions\\?`));
    const { booked, pages } = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2024-12-01', dateTo: '2025-02-28' });
    expect(pages).toBe(Math.ceil(booked.length / PAGE_SIZE));
    const truth = (await bank.truth(dkk.resourceId)).filter((e) => e.bookingDate! >= '2024-12-01' && e.bookingDate! <= '2025-02-28');
    expect(booked).toEqual(truth);
  });

  test('dateTo defaults to today; an entry of today appears booked on today', async () => {
    const { booked } = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-01' });
    expect(booked.at(-1)!.bookingDate).toBe('2025-03-10');
  });

  test('pending entries have no bookingDate; both gives booked then pending, across pages', async () => {
    const both = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'both', dateFrom: '2025-01-01' });
    const booked = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-01-01' });
    const pending = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'pending', dateFrom: '2025-01-01' });
    expect(pending.pending.length).toBeGreaterThan(0);
    expect(pending.booked).toEqual([]);
    for (const entry of pending.pending) {
      expect(entry.bookingDate).toBeUndefined();
      expect(entry.valueDate! >= '2025-03-07').toBe(true);
    }
    expect(both.booked).toEqual(booked.booked);
    expect(both.pending).toEqual(pending.pending);
    expect(both.pages).toBe(Math.ceil((booked.booked.length + pending.pending.length) / PAGE_SIZE));
  });

  test('withBalance adds the balances to the first page', async () => {
    const page = await bank.client.getTransactions(consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-01', withBalance: true }, attended);
    expect(page.balances?.map((b) => b.balanceType)).toEqual(['closingBooked', 'expected', 'interimAvailable']);
  });

  test.each([
    ['dateFrom after dateTo', { dateFrom: '2025-03-05', dateTo: '2025-03-01' }, 'PERIOD_INVALID'],
    // 730 days before 2025-03-10 (a leap day between) is 2023-03-11.
    ['dateFrom before the two years of history the bank keeps', { dateFrom: '2023-03-10' }, 'PERIOD_INVALID'],
    ['a dateFrom that is no date', { dateFrom: '2025-02-30' }, 'FORMAT_ERROR'],
    ['no dateFrom', { dateFrom: undefined }, 'FORMAT_ERROR'],
    ['an unknown bookingStatus', { bookingStatus: 'settled' }, 'FORMAT_ERROR'],
    ['bookingStatus information', { bookingStatus: 'information' }, 'PARAMETER_NOT_SUPPORTED'],
  ])('%s: 400 %s', async (_, query, code) => {
    const error = await bank.client
      .getTransactions(consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-01', ...query } as never, attended)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect(error).toMatchObject({ status: 400, code });
  });

  test('the oldest day of history can be asked for', async () => {
    const page = await bank.client.getTransactions(consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2023-03-11', dateTo: '2023-03-31' }, attended);
    expect(page.booked[0]!.bookingDate! >= '2023-03-11').toBe(true);
  });

  test('a page cursor the bank never gave is FORMAT_ERROR', async () => {
    await expect(bank.client.getTransactionsPage(consentId, `/v1/accounts/${dkk.resourceId}/transactions?bookingStatus=booked&dateFrom=2025-03-01&page=zzz`, attended))
      .rejects.toMatchObject({ status: 400, code: 'FORMAT_ERROR' });
  });
});

describe('addressing and headers', () => {
  test('an unknown account id is 404 RESOURCE_UNKNOWN; another consent\'s account id is 403 RESOURCE_UNKNOWN', async () => {
    const unknown = await bank.client.getBalances(consentId, 'no-such-account', attended).catch((caught: unknown) => caught);
    expect(unknown).toBeInstanceOf(BadRequestError);
    expect(unknown).toMatchObject({ status: 404, code: 'RESOURCE_UNKNOWN' });
    const other = await bank.connect(undefined, { username: 'anna' });
    await expect(bank.client.getTransactions(consentId, other.accounts[0]!.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-01' }, attended))
      .rejects.toMatchObject({ status: 403, code: 'RESOURCE_UNKNOWN' });
  });

  test.each([
    ['no Consent-ID', { 'x-request-id': randomUUID() }],
    ['no X-Request-ID', { 'consent-id': 'set in the test' }],
  ])('%s: 400 FORMAT_ERROR', async (_, headers) => {
    const response = await fetch(`${bank.url}/v1/accounts/${dkk.resourceId}/balances`, {
      headers: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, value === 'set in the test' ? consentId : value])),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { tppMessages: unknown[] }).tppMessages[0]).toMatchObject({ category: 'ERROR', code: 'FORMAT_ERROR' });
  });

  test('an unknown path is 404 RESOURCE_UNKNOWN', async () => {
    const response = await fetch(`${bank.url}/v1/cards`, { headers: { 'x-request-id': randomUUID(), 'consent-id': consentId } });
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ tppMessages: [{ category: 'ERROR', code: 'RESOURCE_UNKNOWN', text: expect.any(String) }] });
  });

  test('a terminated consent cannot page on', async () => {
    const other = await bank.connect(undefined, { username: 'firma' });
    const first = await bank.client.getTransactions(other.consentId, other.accounts[0]!.resourceId, { bookingStatus: 'booked', dateFrom: '2025-01-01' }, attended);
    await bank.client.deleteConsent(other.consentId);
    await expect(bank.client.getTransactionsPage(other.consentId, first.next!, attended)).rejects.toBeInstanceOf(ConsentInvalidError);
  });
});
