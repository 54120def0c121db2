import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { NextGenPsd2Client } from '../../providers/nextgenpsd2/client.js';
import { RateLimitedError, TemporaryError } from '../../providers/nextgenpsd2/errors.js';
import type { AccountDetails, Transaction } from '../../providers/nextgenpsd2/types.js';
import { AmountError, parseAmount } from '../../domain/amount.js';
import { allTransactions, PSU_IP, startTestBank, type TestBank } from '../helpers/demobank.js';

const PAGE_SIZE = 50;
let bank: TestBank;
let consentId: string;
let dkk: AccountDetails;
let eur: AccountDetails;

beforeAll(async () => {
  bank = await startTestBank({ pageSize: PAGE_SIZE });
  const connected = await bank.connect(undefined, { username: 'firma' });
  consentId = connected.consentId;
  dkk = connected.accounts.find((a) => a.currency === 'DKK')!;
  eur = connected.accounts.find((a) => a.currency === 'EUR')!;
});
afterEach(() => bank.faults.reset());
afterAll(() => bank.close());

const attended = { psuIpAddress: PSU_IP };
const balances = (account = dkk) => bank.client.getBalances(consentId, account.resourceId, attended);
const outcome = (promise: Promise<unknown>) => promise.then(() => 'ok', (error: unknown) => (error as Error).name);
const january = { bookingStatus: 'booked' as const, dateFrom: '2025-01-01', dateTo: '2025-01-31' };
const firstPage = (account = dkk) => bank.client.getTransactions(consentId, account.resourceId, january, attended);

describe('the faults resource', () => {
  test('POST replaces the faults, GET shows them with what is left of them, DELETE clears them', async () => {
    await bank.faults.set({ seed: 7, faults: [{ kind: 'serverError', times: 2 }, { kind: 'omitIds', account: dkk.iban }] });
    await outcome(balances());
    expect(await bank.faults.get()).toEqual({ seed: 7, faults: [{ kind: 'serverError', times: 2, remaining: 1 }, { kind: 'omitIds', account: dkk.iban }] });
    await bank.faults.reset();
    expect(await bank.faults.get()).toEqual({ seed: 0, faults: [] });
  });

  test.each([
    [{ faults: [{ kind: 'meteorStrike' }] }],
    [{ faults: [{ kind: 'serverError', rate: 2 }] }],
    [{ faults: [{ kind: 'latency' }] }],
    [{ faults: [{ kind: 'omitIds', endpoint: 'balances' }] }],
    [{ faults: [], extra: true }],
  ])('%j is refused with 400', async (body) => {
    const response = await fetch(`${bank.url}/_demobank/faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(response.status).toBe(400);
  });
});

describe('request faults', () => {
  test('serverError: 503 SERVICE_UNAVAILABLE as a TemporaryError, for `times` responses, then the bank recovers', async () => {
    await bank.faults.set({ faults: [{ kind: 'serverError', times: 2 }] });
    const error = await balances().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TemporaryError);
    expect(error).toMatchObject({ status: 503, code: 'SERVICE_UNAVAILABLE' });
    await expect(balances()).rejects.toBeInstanceOf(TemporaryError);
    await expect(balances()).resolves.toBeDefined();
  });

  test('serverError with a rate fails a seeded, repeatable share of the calls', async () => {
    const run = async () => {
      await bank.faults.set({ seed: 'repeatable', faults: [{ kind: 'serverError', rate: 0.5, status: 500 }] });
      const outcomes = [];
      for (let i = 0; i < 24; i++) outcomes.push(await outcome(balances()));
      return outcomes;
    };
    const first = await run();
    expect(first).toContain('ok');
    expect(first).toContain('TemporaryError');
    expect(await run()).toEqual(first);
  });

  test('scopes: an account (by IBAN) and an endpoint', async () => {
    await bank.faults.set({ faults: [{ kind: 'serverError', account: eur.iban, endpoint: 'balances' }] });
    await expect(balances(eur)).rejects.toMatchObject({ status: 503 });
    await expect(balances(dkk)).resolves.toBeDefined();
    await expect(firstPage(eur)).resolves.toBeDefined();
  });

  test('latency delays the answer', async () => {
    await bank.faults.set({ faults: [{ kind: 'latency', ms: 300, times: 1 }] });
    const started = performance.now();
    await balances();
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
  });

  test('timeout holds the request past the client\'s patience: a TemporaryError TIMEOUT, and the bank serves the next call', async () => {
    await bank.faults.set({ faults: [{ kind: 'timeout', ms: 60_000, times: 1 }] });
    const impatient = new NextGenPsd2Client({ baseUrl: bank.url, timeoutMs: 300 });
    try {
      const error = await impatient.getBalances(consentId, dkk.resourceId, attended).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TemporaryError);
      expect(error).toMatchObject({ status: 0, code: 'TIMEOUT' });
      await expect(impatient.getBalances(consentId, dkk.resourceId, attended)).resolves.toBeDefined();
    } finally {
      await impatient.close();
    }
  });

  test('timeout with a short hold drops the connection without an answer', async () => {
    await bank.faults.set({ faults: [{ kind: 'timeout', ms: 50, times: 1 }] });
    await expect(balances()).rejects.toMatchObject({ name: 'TemporaryError', code: 'CONNECTION_FAILED' });
  });

  test('rateLimit: 429 ACCESS_EXCEEDED after N calls, attended or not', async () => {
    await bank.faults.set({ faults: [{ kind: 'rateLimit', after: 2 }] });
    await balances();
    await firstPage();
    const error = await balances().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RateLimitedError);
    expect(error).toMatchObject({ status: 429, code: 'ACCESS_EXCEEDED' });
  });
});

describe('data faults', () => {
  test('omitIds: entries without transactionId and entryReference', async () => {
    await bank.faults.set({ faults: [{ kind: 'omitIds' }] });
    const { booked } = await firstPage();
    expect(booked).toHaveLength(PAGE_SIZE);
    for (const entry of booked) {
      expect(entry.transactionId).toBeUndefined();
      expect(entry.entryReference).toBeUndefined();
      expect(entry.transactionAmount.amount).toEqual(expect.any(String));
    }
  });

  test('zeroEntryReference: every entryReference is the placeholder "0"', async () => {
    await bank.faults.set({ faults: [{ kind: 'zeroEntryReference', times: 1 }] });
    expect(new Set((await firstPage()).booked.map((entry) => entry.entryReference))).toEqual(new Set(['0']));
    expect((await firstPage()).booked[0]!.entryReference).not.toBe('0');
  });

  test('rekey: every id changes, the entries do not; without the fault the ids are back', async () => {
    const { booked: before } = await firstPage();
    await bank.faults.set({ faults: [{ kind: 'rekey' }] });
    const { booked: rekeyed } = await firstPage();
    const withoutIds = (entry: Transaction) => ({ ...entry, transactionId: undefined, entryReference: undefined });
    expect(rekeyed.map(withoutIds)).toEqual(before.map(withoutIds));
    for (const [i, entry] of rekeyed.entries()) {
      expect(entry.transactionId).not.toBe(before[i]!.transactionId);
      expect(entry.entryReference).not.toBe(before[i]!.entryReference);
    }
    await bank.faults.set({ faults: [{ kind: 'rekey', generation: 2 }] });
    expect((await firstPage()).booked[0]!.transactionId).not.toBe(rekeyed[0]!.transactionId);
    await bank.faults.reset();
    expect((await firstPage()).booked).toEqual(before);
  });

  test('duplicateRows: a row of each page repeated right after itself', async () => {
    await bank.faults.set({ faults: [{ kind: 'duplicateRows' }] });
    const { booked } = await firstPage();
    expect(booked).toHaveLength(PAGE_SIZE + 1);
    const twins = booked.filter((entry, i) => i > 0 && entry.transactionId === booked[i - 1]!.transactionId);
    expect(twins).toHaveLength(1);
  });

  test.each([
    ['amount', (entry: Transaction) => parseAmount(entry.transactionAmount.amount)],
    ['bookingDate', (entry: Transaction) => {
      if (Number.isNaN(Date.parse(`${entry.bookingDate}T00:00:00Z`))) throw new AmountError('not a date');
    }],
  ])('malformedEntry %s: one entry of the page cannot be read, the others can', async (field, read) => {
    await bank.faults.set({ faults: [{ kind: 'malformedEntry', field }] });
    const { booked } = await firstPage();
    const unreadable = booked.filter((entry) => {
      try {
        read(entry);
        return false;
      } catch {
        return true;
      }
    });
    expect(unreadable).toHaveLength(1);
  });

  test('the same faults with the same seed spoil the same rows', async () => {
    const spoiled = async () => {
      await bank.faults.set({ seed: 3, faults: [{ kind: 'duplicateRows', count: 3 }, { kind: 'malformedEntry' }] });
      const pages = [];
      for await (const page of bank.client.transactionPages(consentId, dkk.resourceId, january, attended)) pages.push(page.booked);
      return pages;
    };
    const first = await spoiled();
    expect(first.length).toBeGreaterThan(3);
    expect(await spoiled()).toEqual(first);
  });

  test('changeIdOnBooking: an entry booked after pending gets new ids; the truth keeps the bank\'s real ones', async () => {
    const before = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'pending', dateFrom: '2025-03-01' });
    expect(before.pending.length).toBeGreaterThan(0);
    await bank.faults.set({ faults: [{ kind: 'changeIdOnBooking', account: dkk.iban }] });
    await bank.clock.advance('P4D');
    const { booked } = await allTransactions(bank, consentId, dkk.resourceId, { bookingStatus: 'booked', dateFrom: '2025-03-07' });
    const truth = await bank.truth(dkk.resourceId);
    const bookedIds = new Set(booked.map((entry) => entry.transactionId));
    const truthIds = new Set(truth.map((entry) => entry.transactionId));
    for (const pending of before.pending) {
      expect(bookedIds.has(pending.transactionId)).toBe(false);
      expect(truthIds.has(pending.transactionId)).toBe(true);
      expect(booked.some((entry) => entry.valueDate === pending.valueDate && entry.transactionAmount.amount === pending.transactionAmount.amount
        && entry.remittanceInformationUnstructured === pending.remittanceInformationUnstructured)).toBe(true);
    }
    // Entries that never were pending keep their ids.
    expect(booked.filter((entry) => truthIds.has(entry.transactionId)).length).toBeGreaterThan(0);
  });
});
