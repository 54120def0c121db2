import { AmountError, parseAmount } from '../../domain/amount.js';
import { usableProviderKey } from '../../domain/provider-key.js';
import { isIsoDate } from '../../domain/dates.js';
import type { ProviderConsentStatus, ProviderTransaction, UnreadableEntry } from '../provider.js';

/** A Berlin Group transaction entry as it arrives: nothing in it is trusted yet. */
export interface WireTransaction {
  transactionId?: unknown;
  entryReference?: unknown;
  endToEndId?: unknown;
  mandateId?: unknown;
  bookingDate?: unknown;
  valueDate?: unknown;
  transactionAmount?: { currency?: unknown; amount?: unknown };
  creditorName?: unknown;
  creditorAccount?: { iban?: unknown };
  debtorName?: unknown;
  debtorAccount?: { iban?: unknown };
  remittanceInformationUnstructured?: unknown;
  remittanceInformationUnstructuredArray?: unknown;
  remittanceInformationStructured?: unknown;
  bankTransactionCode?: unknown;
  proprietaryBankTransactionCode?: unknown;
}

/** What `text` would change: a control character, or white space other than single spaces between words. */
const UNTIDY = /\p{Cc}|[^\S ]| {2}|^ | $/u;

const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  // Most values are tidy already: one test instead of two replacements and a trim, ten times per entry.
  if (!UNTIDY.test(value)) return value || undefined;
  // Control characters (NUL above all: Postgres refuses it) carry no meaning in bank texts.
  const cleaned = value.replace(/\p{Cc}/gu, ' ').replace(/\s+/g, ' ').trim();
  return cleaned || undefined;
};

function remittance(entry: WireTransaction): string | undefined {
  const array = Array.isArray(entry.remittanceInformationUnstructuredArray)
    ? entry.remittanceInformationUnstructuredArray.map(text).filter(Boolean).join(' ')
    : undefined;
  const structured = entry.remittanceInformationStructured as { reference?: unknown } | string | undefined;
  return (
    text(entry.remittanceInformationUnstructured) ??
    text(array) ??
    text(typeof structured === 'object' && structured ? structured.reference : structured)
  );
}

/**
 * One entry in bankfeed's terms, or why it cannot be read. Booked entries need a booking date;
 * pending ones have none (per the standard) and take their value date, else `today`.
 */
export function readTransaction(entry: WireTransaction, status: 'booked' | 'pending', today: string): ProviderTransaction | UnreadableEntry {
  const unreadable = (reason: string): UnreadableEntry => ({ reason, raw: entry });
  if (typeof entry !== 'object' || entry === null) return unreadable('the entry is not an object');
  let amount: string;
  try {
    // A JSON number may already have lost digits: amounts travel as strings.
    const wire = entry.transactionAmount?.amount;
    amount = parseAmount(typeof wire === 'string' ? wire : '');
  } catch (error) {
    if (error instanceof AmountError) return unreadable('transactionAmount.amount is not a decimal amount');
    throw error;
  }
  const currency = text(entry.transactionAmount?.currency);
  if (!currency || !/^[A-Z]{3}$/.test(currency)) return unreadable('transactionAmount.currency is not an ISO 4217 code');
  const valueDate = text(entry.valueDate);
  if (valueDate !== undefined && !isIsoDate(valueDate)) return unreadable('valueDate is not a date');
  const bookingDate = text(entry.bookingDate);
  if (bookingDate !== undefined && !isIsoDate(bookingDate)) return unreadable('bookingDate is not a date');
  if (status === 'booked' && !bookingDate) return unreadable('a booked entry has no bookingDate');

  // The other party: who was paid for a debit, who paid for a credit.
  const outgoing = amount.startsWith('-');
  const party = outgoing ? { name: entry.creditorName, iban: entry.creditorAccount?.iban } : { name: entry.debtorName, iban: entry.debtorAccount?.iban };
  return {
    providerKey: usableProviderKey(text(entry.entryReference), text(entry.transactionId)),
    bookingDate: (status === 'booked' ? bookingDate : valueDate) ?? today,
    valueDate,
    amount,
    currency,
    counterpartyName: text(party.name),
    counterpartyIban: text(party.iban)?.replace(/\s+/g, '').toUpperCase(),
    remittanceInformation: remittance(entry),
    endToEndId: usableProviderKey(text(entry.endToEndId)),
    mandateId: usableProviderKey(text(entry.mandateId)),
    bankTransactionCode: text(entry.bankTransactionCode) ?? text(entry.proprietaryBankTransactionCode),
  };
}

export function isUnreadable(entry: ProviderTransaction | UnreadableEntry): entry is UnreadableEntry {
  return 'reason' in entry;
}

const CONSENT_STATUSES: Record<string, ProviderConsentStatus> = {
  received: 'received',
  partiallyAuthorised: 'received',
  valid: 'valid',
  rejected: 'rejected',
  expired: 'expired',
  revokedByPsu: 'revoked',
  terminatedByTpp: 'terminated',
};

export function readConsentStatus(status: string): ProviderConsentStatus {
  // A code a bank added on its own: not usable, so not valid.
  return CONSENT_STATUSES[status] ?? 'rejected';
}
