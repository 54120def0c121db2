import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConsentExpiredError } from '../../providers/nextgenpsd2/errors.js';
import type { AccountDetails, Transaction } from '../../providers/nextgenpsd2/types.js';
import { addAmounts, negateAmount, parseAmount, sumAmounts } from '../../domain/amount.js';
import { startDemoBank } from '../../demobank/server.js';
import { allTransactions, BANK_START, PSU_IP, startTestBank, type TestBank } from '../helpers/demobank.js';

let bank: TestBank;
let consentId: string;
let account: AccountDetails;
beforeAll(async () => {
  bank = await startTestBank({ maxConsentDays: 30 });
  ({ consentId } = await bank.connect(undefined, { username: 'bulk' }));
  account = (await bank.client.listAccounts(consentId, { psuIpAddress: PSU_IP }))[0]!;
});
afterAll(() => bank.close());

const attended = { psuIpAddress: PSU_IP };
const closingBooked = async () =>
  parseAmount((await bank.client.getBalances(consentId, account.resourceId, attended)).balances.find((b) => b.balanceType === 'closingBooked')!.balanceAmount.amount);

describe('the admin clock', () => {
  test('GET tells the bank\'s now; it starts where it was told and runs at real speed by default', async () => {
    const now = await bank.clock.now();
    expect(now.getTime()).toBeGreaterThanOrEqual(BANK_START.getTime());
    const response = await fetch(`${bank.url}/_demobank/clock`);
    expect(await response.json()).toEqual({ now: expect.any(String), today: '2025-03-10', scale: 1 });
  });

  test('advance with an ISO 8601 duration moves bank time forward; bad durations are refused', async () => {
    const before = await bank.clock.now();
    const after = await bank.clock.advance('PT1H30M');
    expect(Date.parse(after.now) - before.getTime()).toBeGreaterThanOrEqual(90 * 60_000);
    for (const body of [{ advance: 'P1M' }, { advance: '1 day' }, { scale: 0 }, { advance: 'P1D', rewind: true }]) {
      const response = await fetch(`${bank.url}/_demobank/clock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(response.status, JSON.stringify(body)).toBe(400);
    }
  });
});

describe('a bank day later', () => {
  test('new transactions appear, pending ones book under the same ids, and the closing balance moves by exactly the bookings', async () => {
    const before = await allTransactions(bank, consentId, account.resourceId, { bookingStatus: 'both', dateFrom: '2025-03-01' });
    const closingBefore = await closingBooked();
    expect(before.pending.length).toBeGreaterThan(0);

    const { today } = await bank.clock.advance('P4D');
    expect(today).toBe('2025-03-14');
    const after = await allTransactions(bank, consentId, account.resourceId, { bookingStatus: 'both', dateFrom: '2025-03-01' });

    expect(after.booked.length).toBeGreaterThan(before.booked.length);
    expect(after.booked.slice(0, before.booked.length)).toEqual(before.booked);
    expect(after.booked.some((entry) => entry.bookingDate! > '2025-03-11')).toBe(true);
    const bookedById = new Map(after.booked.map((entry) => [entry.transactionId, entry]));
    for (const pending of before.pending) {
      const booked = bookedById.get(pending.transactionId);
      expect(booked, `pending ${pending.transactionId} has booked`).toBeDefined();
      expect(booked).toMatchObject({ entryReference: pending.entryReference, transactionAmount: pending.transactionAmount, valueDate: pending.valueDate });
      expect(booked!.bookingDate! > pending.valueDate!).toBe(true);
    }

    // closingBooked went from the end of 2025-03-09 to the end of 2025-03-13.
    const bookedBetween = after.booked.filter((entry: Transaction) => entry.bookingDate! >= '2025-03-10' && entry.bookingDate! <= '2025-03-13');
    expect(addAmounts(await closingBooked(), negateAmount(closingBefore))).toBe(sumAmounts(bookedBetween.map((entry) => parseAmount(entry.transactionAmount.amount))));
  });

  test('the truth grows with the clock', async () => {
    const { accounts } = await bank.connect(undefined, { username: 'firma' });
    const truth = await bank.truth(accounts[0]!.resourceId);
    const { today } = await bank.clock.advance('P1D');
    const later = await bank.truth(accounts[0]!.resourceId);
    expect(later.length).toBeGreaterThan(truth.length);
    expect(later.slice(0, truth.length)).toEqual(truth);
    expect(later.at(-1)!.bookingDate).toBe(today);
  });

  test('a consent expires when the day of its validUntil has passed', async () => {
    const { consentId: fresh, accounts } = await bank.connect(undefined, { username: 'anna' });
    const { validUntil } = await bank.client.getConsent(fresh);
    const call = () => bank.client.getBalances(fresh, accounts[0]!.resourceId, attended);
    await bank.clock.advance('P30D');
    expect((await bank.clock.now()).toISOString().slice(0, 10)).toBe(validUntil);
    await call();
    await bank.clock.advance('PT12H'); // past midnight after validUntil
    await expect(call()).rejects.toBeInstanceOf(ConsentExpiredError);
    expect(await bank.client.getConsentStatus(fresh)).toBe('expired');
  });
});

test('a scaled clock runs that many bank seconds per real second, and a change of scale does not jump', async () => {
  const fast = await startTestBank({ clockScale: 86_400 });
  try {
    const start = await fast.clock.now();
    await sleep(200);
    const later = await fast.clock.now();
    // At least 200 ms × 86400 = 4.8 bank hours have passed (a busy machine only adds to it).
    expect(later.getTime() - start.getTime()).toBeGreaterThanOrEqual(200 * 86_400);

    await fast.clock.setScale(1);
    const slowStart = await fast.clock.now();
    expect(slowStart.getTime()).toBeGreaterThanOrEqual(later.getTime());
    await sleep(50);
    const slowLater = await fast.clock.now();
    expect(slowLater.getTime()).toBeGreaterThanOrEqual(slowStart.getTime() + 50);
  } finally {
    await fast.close();
  }
});

test('without the admin surface, /_demobank is not there', async () => {
  const plain = await startDemoBank();
  try {
    for (const [method, path] of [['GET', '/clock'], ['POST', '/clock'], ['POST', '/faults'], ['GET', '/faults']])
      expect((await fetch(`${plain.url}/_demobank${path}`, { method })).status, `${method} ${path}`).toBe(404);
  } finally {
    await plain.close();
  }
});
