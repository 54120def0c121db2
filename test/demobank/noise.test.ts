import { describe, expect, test } from 'vitest';
import { generateDay, type LedgerEntry } from '../../demobank/generator.js';
import { isValidIban } from '../../demobank/iban.js';
import { withoutLegalForm } from '../../demobank/noise.js';
import { BUSINESS_PARTIES, PARTY_NAME_COLLISION } from '../../demobank/parties.js';
import { creditorReference, fikLine, referencesOf } from '../../demobank/references.js';
import { normalisedName } from '../../matching/names.js';
import { findReferences } from '../../matching/references/index.js';
import { demoUsers } from '../../demobank/users.js';

const accounts = demoUsers().flatMap((user) => user.accounts);
const firmaDkk = accounts.find((account) => account.key === 'firma-dkk')!;
const firmaEur = accounts.find((account) => account.key === 'firma-eur')!;
const partyOf = new Map(BUSINESS_PARTIES.map((party) => [party.id, party]));

/** A year of the account's entries (2024-10-01 on). */
function year(seed: string, account = firmaDkk): LedgerEntry[] {
  return Array.from({ length: 365 }, (_, i) => generateDay(seed, account, 730, 20_000 + i)).flat();
}

const dkkYear = year('demo');
const eurYear = year('demo', firmaEur);
const share = (entries: LedgerEntry[], predicate: (entry: LedgerEntry) => boolean) => entries.filter(predicate).length / entries.length;
const isCard = (entry: LedgerEntry) => entry.proprietaryBankTransactionCode === 'CARD';
const isTransfer = (entry: LedgerEntry) => entry.endToEndId !== undefined;

describe('the parties behind the entries', () => {
  test('every entry of a business account is with one of its registered parties, and every party has entries in a year', () => {
    for (const entry of [...dkkYear, ...eurYear]) expect(partyOf.has(entry.partyId!), `${entry.partyId}`).toBe(true);
    expect(new Set(dkkYear.map((entry) => entry.partyId))).toEqual(new Set(partyOf.keys()));
  });

  test('ids are unique; the ledger gets each party\'s IBAN where it has one; the bank has none', () => {
    expect(new Set(BUSINESS_PARTIES.map((party) => party.id)).size).toBe(BUSINESS_PARTIES.length);
    const ibanLength: Record<string, number> = { DE: 22, DK: 18, SE: 24 };
    for (const party of BUSINESS_PARTIES) if (party.iban) {
      expect(isValidIban(party.iban), party.iban).toBe(true);
      expect(party.iban.length, party.iban).toBe(ibanLength[party.iban.slice(0, 2)]);
    }
    expect(partyOf.get('demo-bank')!.iban).toBeUndefined();
  });

  test('exactly one pair of parties has the same normalised name (case, accents, punctuation and legal form gone): the café and the customer café', () => {
    const byName = new Map<string, Set<string>>();
    for (const party of BUSINESS_PARTIES)
      for (const name of [party.name, ...(party.otherNames ?? [])].map(normalisedName)) byName.set(name, (byName.get(name) ?? new Set()).add(party.id));
    const collisions = [...byName.values()].filter((ids) => ids.size > 1).map((ids) => [...ids].sort());
    expect(collisions).toEqual([[...PARTY_NAME_COLLISION].sort()]);
  });
});

describe('names as banks report them', () => {
  test('the same seed gives the same names, IBANs and texts; another seed others', () => {
    const reported = (entries: LedgerEntry[]) => entries.map((entry) => [entry.counterparty, entry.remittance, entry.references]);
    expect(reported(year('demo'))).toEqual(reported(dkkYear));
    expect(reported(year('other')).slice(0, 200)).not.toEqual(reported(dkkYear).slice(0, 200));
  });

  test('most entries are named as the party calls itself; the rest in the ways of real banks, in realistic proportions', () => {
    const named = (entry: LedgerEntry) => entry.counterparty.name;
    const party = (entry: LedgerEntry) => partyOf.get(entry.partyId!)!;
    const clean = share(dkkYear, (entry) => named(entry) === party(entry).name);
    expect(clean).toBeGreaterThan(0.5);
    expect(clean).toBeLessThan(0.65);
    expect(share(dkkYear, (entry) => named(entry) === party(entry).name.toUpperCase() && named(entry) !== party(entry).name)).toBeGreaterThan(0.08);
    expect(share(dkkYear, (entry) => !!named(entry) && named(entry) === withoutLegalForm(party(entry).name) && named(entry) !== party(entry).name)).toBeGreaterThan(0.02);
    // Legacy fields: the name and address run on, cut at 35 or 70 characters.
    const cut = dkkYear.filter((entry) => named(entry)?.length === 35 || named(entry)?.length === 70);
    expect(cut.length / dkkYear.length).toBeGreaterThan(0.03);
    for (const entry of cut) expect(named(entry)).toMatch(/^[\x20-\x7e]+$/);
    // Card payments: a third by the terminal's name and town, never with an IBAN.
    const cards = dkkYear.filter(isCard);
    const byTerminal = share(cards, (entry) => party(entry).terminals!.includes(named(entry)!));
    expect(byTerminal).toBeGreaterThan(0.22);
    expect(byTerminal).toBeLessThan(0.38);
    for (const entry of cards) expect(entry.counterparty.iban).toBeUndefined();
  });

  test('some transfers come without the IBAN, some without the name, none without both; bank charges name nobody', () => {
    const transfers = dkkYear.filter(isTransfer);
    const withoutIban = share(transfers, (entry) => !entry.counterparty.iban);
    expect(withoutIban).toBeGreaterThan(0.05);
    expect(withoutIban).toBeLessThan(0.11);
    const withoutName = share(transfers, (entry) => !entry.counterparty.name);
    expect(withoutName).toBeGreaterThan(0.03);
    expect(withoutName).toBeLessThan(0.07);
    for (const entry of transfers) expect(entry.counterparty.name ?? entry.counterparty.iban).toBeDefined();
    for (const entry of transfers) if (entry.counterparty.iban) expect(entry.counterparty.iban).toBe(partyOf.get(entry.partyId!)!.iban);
    const fees = dkkYear.filter((entry) => entry.proprietaryBankTransactionCode === 'FEE');
    expect(fees.length).toBeGreaterThan(50);
    for (const entry of fees) expect([entry.partyId, entry.counterparty]).toEqual(['demo-bank', {}]);
  });
});

describe('payment references', () => {
  test('check digits: ISO 11649 (RF) and the FI payment id, on published examples', () => {
    expect(creditorReference('539007547034')).toBe('RF18539007547034');
    // Uniconta's example FI line (a debtor account, an invoice number, the check digit 9).
    expect(fikLine(71, 404040000066, '12345678')).toBe('+71<004040400000669+12345678<');
    expect(fikLine(73, 1, '87654312')).toBe('+73<+87654312<');
  });

  const has = (kind: string) => (entry: LedgerEntry) => entry.references.some((reference) => reference.kind === kind);

  test('customer payments quote RF references and, in Denmark, FI lines; suppliers\' FI lines; tagged German SEPA texts', () => {
    const customerPayments = dkkYear.filter((entry) => partyOf.get(entry.partyId!)!.kind === 'customer');
    expect(share(customerPayments, has('creditor_reference'))).toBeGreaterThan(0.2);
    expect(share(customerPayments, has('creditor_reference'))).toBeLessThan(0.3);
    expect(share(customerPayments, has('fik'))).toBeGreaterThan(0.1);
    const fikLines = dkkYear.flatMap((entry) => entry.references).filter((reference) => reference.kind === 'fik');
    expect(new Set(fikLines.map((reference) => reference.value.slice(0, 3)))).toEqual(new Set(['+71', '+73', '+75']));
    const tagged = eurYear.filter((entry) => entry.remittance.startsWith('EREF+'));
    expect(tagged.length / eurYear.filter(isTransfer).length).toBeGreaterThan(0.25);
    expect(tagged.some((entry) => entry.remittance.startsWith('EREF+NOTPROVIDED '))).toBe(true);
    expect(tagged.some(has('mandate_id'))).toBe(true);
    for (const entry of tagged) expect(entry.remittance.length).toBeLessThanOrEqual(140);
    expect(dkkYear.some((entry) => entry.remittance.startsWith('EREF+'))).toBe(false);
  });

  test('the truth lists exactly the references bankfeed\'s extraction finds in each entry (no invoice pattern)', () => {
    const years = [firmaDkk, firmaEur, ...['embedded-eur', 'anna-sek', 'embedded-sek'].map((key) => accounts.find((account) => account.key === key)!)].map(
      (account) => [account, account === firmaDkk ? dkkYear : account === firmaEur ? eurYear : year('demo', account)] as const,
    );
    const differences = years.flatMap(([account, entries]) => entries.map((entry) => [account, entry] as const)).flatMap(([account, entry]) => {
      const found = findReferences({
        remittanceInformation: entry.remittance, endToEndId: entry.endToEndId, mandateId: entry.mandateId, currency: account.currency, counterpartyIban: entry.counterparty.iban,
      });
      const key = (references: { kind: string; value: string }[]) => references.map(({ kind, value }) => `${kind}:${value}`).sort();
      return JSON.stringify(key(found)) === JSON.stringify(key(referencesOf(entry))) ? [] : [{ text: entry.remittance, found: key(found), truth: key(referencesOf(entry)) }];
    });
    expect(differences.slice(0, 5)).toEqual([]);
  });
});
