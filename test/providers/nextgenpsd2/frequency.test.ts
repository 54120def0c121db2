import { afterAll, beforeAll, expect, test } from 'vitest';
import { RateLimitedError } from '../../../providers/nextgenpsd2/errors.js';
import type { AccountDetails } from '../../../providers/nextgenpsd2/types.js';
import { consentRequest, PSU_IP, startTestBank, type TestBank } from '../../helpers/demobank.js';

let bank: TestBank;
beforeAll(async () => {
  bank = await startTestBank({ pageSize: 10, slowLoginMs: 10 });
});
afterAll(() => bank.close());

const unattended = {};
const query = { bookingStatus: 'booked' as const, dateFrom: '2025-02-01' };

async function connect(frequencyPerDay: number, username = 'embedded'): Promise<{ consentId: string; account: AccountDetails; other: AccountDetails }> {
  const { consentId, accounts } = await bank.connect(consentRequest({ frequencyPerDay }), { username });
  return { consentId, account: accounts[0]!, other: accounts[1]! };
}

test('unattended calls beyond frequencyPerDay in 24 h are 429 ACCESS_EXCEEDED, per account and endpoint', async () => {
  const { consentId, account, other } = await connect(4);
  for (let i = 0; i < 4; i++) await bank.client.getBalances(consentId, account.resourceId, unattended);
  const error = await bank.client.getBalances(consentId, account.resourceId, unattended).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(RateLimitedError);
  expect(error).toMatchObject({ status: 429, code: 'ACCESS_EXCEEDED' });
  // Another endpoint of the same account, and the same endpoint of another account, have budgets of their own.
  await expect(bank.client.getTransactions(consentId, account.resourceId, query, unattended)).resolves.toBeDefined();
  await expect(bank.client.getBalances(consentId, other.resourceId, unattended)).resolves.toBeDefined();
});

test('calls with PSU-IP-Address are not counted, not even after the budget is used up', async () => {
  const { consentId, account } = await connect(2, 'jonas');
  for (let i = 0; i < 6; i++) await bank.client.getBalances(consentId, account.resourceId, { psuIpAddress: PSU_IP });
  await bank.client.getBalances(consentId, account.resourceId, unattended);
  await bank.client.getBalances(consentId, account.resourceId, unattended);
  await expect(bank.client.getBalances(consentId, account.resourceId, unattended)).rejects.toBeInstanceOf(RateLimitedError);
  await expect(bank.client.getBalances(consentId, account.resourceId, { psuIpAddress: PSU_IP })).resolves.toBeDefined();
});

test('the follow-up pages of one report do not count; each new report does', async () => {
  const { consentId, account } = await connect(1, 'anna');
  let pages = 0;
  for await (const page of bank.client.transactionPages(consentId, account.resourceId, query, unattended)) {
    expect(page.booked.length).toBeGreaterThan(0);
    pages++;
  }
  expect(pages).toBeGreaterThan(3);
  await expect(bank.client.getTransactions(consentId, account.resourceId, query, unattended)).rejects.toBeInstanceOf(RateLimitedError);
});

test('the window rolls on the bank\'s clock: a slot frees 24 h after the call that used it', async () => {
  const { consentId, account } = await connect(2, 'firma');
  const call = () => bank.client.getBalances(consentId, account.resourceId, unattended);
  await call(); // t0
  await bank.clock.advance('PT10H');
  await call(); // t0 + 10 h
  await expect(call()).rejects.toBeInstanceOf(RateLimitedError);
  await bank.clock.advance('PT13H'); // t0 + 23 h: both calls are still inside the window
  await expect(call()).rejects.toBeInstanceOf(RateLimitedError);
  await bank.clock.advance('PT1H1M'); // t0 + 24 h 1 min: the first call has left it
  await call();
  await expect(call()).rejects.toBeInstanceOf(RateLimitedError);
  await bank.clock.advance('PT10H'); // the second call has left it too
  await call();
});

test('GET /v1/accounts has a budget of its own', async () => {
  const { consentId } = await connect(1, 'slow');
  await bank.client.listAccounts(consentId, unattended);
  await expect(bank.client.listAccounts(consentId, unattended)).rejects.toBeInstanceOf(RateLimitedError);
  await expect(bank.client.listAccounts(consentId, { psuIpAddress: PSU_IP })).resolves.toHaveLength(1);
});
