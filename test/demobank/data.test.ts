import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { isValidIban } from '../../demobank/iban.js';
import { demoUsers } from '../../demobank/users.js';
import { parseAmount } from '../../domain/amount.js';
import { PSU_IP, startTestBank, type TestBank, type TruthEntry } from '../helpers/demobank.js';

const users = demoUsers();
const bulkIban = users.find((user) => user.username === 'bulk')!.accounts[0]!.iban;

let bank: TestBank;
let truth: TruthEntry[];
beforeAll(async () => {
  bank = await startTestBank({ accountSizes: { [bulkIban]: 20_000 } });
  const { accounts } = await bank.connect();
  truth = await bank.groundTruth(accounts.find((account) => account.currency === 'DKK')!.resourceId);
});
afterAll(() => bank.close());

describe('the test users', () => {
  test('users with one to three accounts in EUR, DKK and SEK, under IBANs with right check digits', () => {
    const customers = users.filter((user) => user.behaviour === 'normal' || user.behaviour === 'slow');
    expect(customers.length).toBeGreaterThanOrEqual(5);
    for (const user of customers) expect([1, 2, 3]).toContain(user.accounts.length);
    // An account two people may access is one object in both users' lists; every other IBAN is its own.
    const accounts = [...new Set(users.flatMap((user) => user.accounts))];
    expect(new Set(accounts.map((account) => account.currency))).toEqual(new Set(['EUR', 'DKK', 'SEK']));
    for (const account of accounts) expect(isValidIban(account.iban), account.iban).toBe(true);
    expect(new Set(accounts.map((account) => account.iban)).size).toBe(accounts.length);
  });

  test('two people of one company share its accounts: kasper sees exactly what firma sees', () => {
    const accountsOf = (username: string) => users.find((user) => user.username === username)!.accounts;
    expect(accountsOf('kasper').length).toBeGreaterThan(0);
    expect(accountsOf('kasper')).toEqual(accountsOf('firma'));
  });

  test('the special usernames of Klarna\'s test bank exist', () => {
    expect(Object.fromEntries(users.filter((user) => user.behaviour !== 'normal').map((user) => [user.username, user.behaviour]))).toEqual({
      wrong: 'wrongCredentials', technical: 'technicalError', maintenance: 'maintenance', slow: 'slow',
    });
  });
});

describe('realistic data', () => {
  test('about two years of history, credits and debits, several kinds of entry', () => {
    expect(truth[0]!.bookingDate! <= '2023-03-20').toBe(true);
    expect(truth.length).toBeGreaterThan(2000);
    expect(truth.some((entry) => entry.transactionAmount.amount.startsWith('-'))).toBe(true);
    expect(truth.some((entry) => !entry.transactionAmount.amount.startsWith('-'))).toBe(true);
    expect(new Set(truth.map((entry) => entry.bankTransactionCode)).size).toBeGreaterThanOrEqual(5);
    for (const entry of truth) expect(() => parseAmount(entry.transactionAmount.amount)).not.toThrow();
  });

  test('long and non-ASCII remittance texts and names, within the standard\'s 140 characters', () => {
    const texts = truth.map((entry) => entry.remittanceInformationUnstructured!);
    expect(Math.max(...texts.map((text) => text.length))).toBeGreaterThan(120);
    expect(Math.max(...texts.map((text) => text.length))).toBeLessThanOrEqual(140);
    expect(texts.some((text) => [...text].some((char) => char.codePointAt(0)! > 0x7f))).toBe(true);
    expect(truth.some((entry) => /[æøåÆØÅäöüß]/.test(entry.creditorName ?? entry.debtorName ?? ''))).toBe(true);
  });

  test('SEPA direct debits carry a mandate, one per creditor; nothing else has one', () => {
    const debits = truth.filter((entry) => entry.proprietaryBankTransactionCode === 'SEPA-DD');
    expect(debits.length).toBeGreaterThan(10);
    expect(truth.filter((entry) => entry.mandateId)).toEqual(debits);
    const mandates = new Map<string, Set<string>>();
    // Per creditor as it really is: the bank spells one creditor's name several ways.
    for (const entry of debits) mandates.set(entry.truth.partyId!, (mandates.get(entry.truth.partyId!) ?? new Set()).add(entry.mandateId!));
    expect(mandates.size).toBeGreaterThan(1);
    for (const ids of mandates.values()) expect(ids.size).toBe(1);
    expect(new Set([...mandates.values()].map((ids) => [...ids][0])).size).toBe(mandates.size);
  });

  test('genuine identical payments: same day, amount, counterparty and text, under ids of their own', () => {
    const key = (entry: TruthEntry) =>
      JSON.stringify([entry.bookingDate, entry.transactionAmount, entry.creditorName ?? entry.debtorName, entry.remittanceInformationUnstructured]);
    const seen = new Map<string, TruthEntry>();
    const twins: [TruthEntry, TruthEntry][] = [];
    for (const entry of truth) {
      const earlier = seen.get(key(entry));
      if (earlier) twins.push([earlier, entry]);
      seen.set(key(entry), entry);
    }
    expect(twins.length).toBeGreaterThan(10);
    for (const [a, b] of twins) expect(a.transactionId).not.toBe(b.transactionId);
  });
});

describe('ground truth', () => {
  test('each entry of the firma account says which of the listed parties it is with, and the references in its text', async () => {
    const parties = await bank.parties();
    expect(parties.find((party) => party.id === 'customer-cafe-orsted')).toEqual({
      id: 'customer-cafe-orsted', kind: 'customer', name: 'Café Ørsted ApS', ibans: [expect.stringMatching(/^DE\d{20}$/)], other_names: [],
    });
    expect(new Set(parties.map((party) => party.kind))).toEqual(new Set(['customer', 'supplier', 'employee', 'other']));
    const { accounts } = await bank.connect(undefined, { username: 'firma' });
    const firma = await bank.groundTruth(accounts.find((account) => account.currency === 'DKK')!.resourceId);
    const ids = new Set(parties.map((party) => party.id));
    for (const entry of firma) expect(ids.has(entry.truth.partyId!), `${entry.truth.partyId}`).toBe(true);
    const referenced = firma.filter((entry) => entry.truth.references.length > 0);
    expect(referenced.length / firma.length).toBeGreaterThan(0.1);
    for (const entry of referenced)
      for (const reference of entry.truth.references)
        if (reference.value !== entry.endToEndId && reference.value !== entry.mandateId) expect(entry.remittanceInformationUnstructured!.replace(/ /g, '')).toContain(reference.value.replace(/ /g, ''));
  });

  test('cash from the machine is with nobody a ledger registers', () => {
    const cash = truth.filter((entry) => entry.proprietaryBankTransactionCode === 'ATM');
    expect(cash.length).toBeGreaterThan(10);
    for (const entry of cash) expect(entry.truth.partyId).toBeNull();
  });
});

describe('determinism', () => {
  test('the same seed gives the same bank; another seed another', async () => {
    const same = await startTestBank();
    const other = await startTestBank({ seed: 'another' });
    try {
      const truthOf = async (b: TestBank) => b.groundTruth((await b.connect()).accounts.find((account) => account.currency === 'DKK')!.resourceId);
      // Both banks run on at real speed from the same start; compare what both have seen.
      const sameTruth = (await truthOf(same)).filter((entry) => entry.bookingDate! < '2025-03-10');
      expect(sameTruth).toEqual(truth.filter((entry) => entry.bookingDate! < '2025-03-10'));
      const otherTruth = await truthOf(other);
      expect(otherTruth.slice(0, 50)).not.toEqual(truth.slice(0, 50));
    } finally {
      await same.close();
      await other.close();
    }
  });

  test('an account sized to N transactions has about N in its two years', async () => {
    const { accounts } = await bank.connect(undefined, { username: 'bulk' });
    const sized = await bank.truth(accounts[0]!.resourceId);
    expect(Math.abs(sized.length - 20_000)).toBeLessThan(200);
  });
});

test('a million-transaction account streams page by page in bounded memory', async () => {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  const large = await startTestBank({ accountSizes: { [bulkIban]: 1_000_000 }, pageSize: 1000 });
  try {
    const { consentId, accounts } = await large.connect(undefined, { username: 'bulk' });
    const account = accounts[0]!.resourceId;
    // The whole history's first page comes without the bank holding the history.
    const first = await large.client.getTransactions(consentId, account, { bookingStatus: 'booked', dateFrom: '2023-03-11' }, { psuIpAddress: PSU_IP });
    expect(first.booked).toHaveLength(1000);

    gc();
    const baseline = process.memoryUsage().heapUsed;
    let retainedGrowth = 0;
    let count = 0;
    let pages = 0;
    let bytes = 0;
    for await (const page of large.client.transactionPages(consentId, account, { bookingStatus: 'booked', dateFrom: '2024-12-01', dateTo: '2025-02-28' }, { psuIpAddress: PSU_IP })) {
      count += page.booked.length;
      bytes += JSON.stringify(page.booked).length;
      if (++pages % 20 === 0) {
        gc();
        retainedGrowth = Math.max(retainedGrowth, process.memoryUsage().heapUsed - baseline);
      }
    }
    // 90 days of a million spread over 730: about 123,000 entries, some 55 MB of JSON.
    expect(Math.abs(count - 1_000_000 * (90 / 730))).toBeLessThan(3000);
    expect(bytes).toBeGreaterThan(40e6);
    expect(retainedGrowth).toBeLessThan(40e6);
  } finally {
    await large.close();
  }
});
