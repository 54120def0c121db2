/** Ledger entries as the NextGenPSD2 API shows them, and the ways a faulty bank spoils a page of them. */
import { formatAmount, fromMinorUnits } from '../domain/amount.js';
import type { Transaction } from '../providers/nextgenpsd2/types.js';
import { isoDate } from './clock.js';
import type { PageFaults } from './faults.js';
import type { LedgerEntry } from './generator.js';
import { bookingDay } from './ledger.js';
import { stableId } from './random.js';
import type { DemoAccount } from './users.js';

export interface IdScheme {
  seed: string;
  /** Changes every id at the bank (the "rekey" fault); empty for the bank's real ids. */
  salt: string;
  /** Booked entries that were pending get ids other than they had while pending. */
  changeOnBooking: boolean;
}

export const CANONICAL_IDS = (seed: string): IdScheme => ({ seed, salt: '', changeOnBooking: false });

/** An amount as banks send it: signed, with the currency's decimals ("-12.50"). */
export function displayAmount(minor: bigint, currency: string): string {
  return formatAmount(fromMinorUnits(minor, currency), currency);
}

export function renderEntry(account: DemoAccount, entry: LedgerEntry, booked: boolean, ids: IdScheme): Transaction {
  const salt = booked && ids.changeOnBooking && entry.lagDays > 0 ? `${ids.salt}booked` : ids.salt;
  const { name, iban } = entry.counterparty;
  const party = iban ? { iban } : undefined;
  return {
    transactionId: stableId(20, ids.seed, account.key, entry.day, entry.index, salt),
    entryReference: stableId(16, 'ref', ids.seed, account.key, entry.day, entry.index, salt),
    ...(entry.endToEndId && { endToEndId: entry.endToEndId }),
    ...(entry.mandateId && { mandateId: entry.mandateId }),
    ...(booked && { bookingDate: isoDate(bookingDay(entry)) }),
    valueDate: isoDate(entry.day),
    transactionAmount: { currency: account.currency, amount: displayAmount(BigInt(entry.amountMinor), account.currency) },
    ...(entry.amountMinor < 0
      ? { ...(name && { creditorName: name }), ...(party && { creditorAccount: party }) }
      : { ...(name && { debtorName: name }), ...(party && { debtorAccount: party }) }),
    remittanceInformationUnstructured: entry.remittance,
    bankTransactionCode: entry.bankTransactionCode,
    proprietaryBankTransactionCode: entry.proprietaryBankTransactionCode,
  };
}

/** Applies the per-entry and per-page faults to rendered entries (a new array; entries are fresh objects). */
export function spoilPage(entries: Transaction[], faults: PageFaults): Transaction[] {
  for (const entry of entries) {
    if (faults.omitIds) {
      delete entry.transactionId;
      delete entry.entryReference;
    } else if (faults.zeroEntryReference) entry.entryReference = '0';
  }
  if (faults.malformed && entries.length > 0) {
    const victim = entries[Math.floor(faults.random.next() * entries.length)]!;
    if (faults.malformed === 'amount') victim.transactionAmount.amount = `${victim.transactionAmount.amount.replace('.', ',')} ${victim.transactionAmount.currency}`;
    else victim.bookingDate = `${(victim.bookingDate ?? victim.valueDate ?? '2000').slice(0, 4)}-13-45`;
  }
  if (faults.duplicates === 0 || entries.length === 0) return entries;
  const repeat = new Set(Array.from({ length: faults.duplicates }, () => Math.floor(faults.random.next() * entries.length)));
  return entries.flatMap((entry, i) => (repeat.has(i) ? [entry, structuredClone(entry)] : [entry]));
}
