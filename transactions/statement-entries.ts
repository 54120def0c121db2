import { usableProviderKey } from '../domain/provider-key.js';
import type { StatementEntry } from '../statements/index.js';
import type { FingerprintCounter } from './identity.js';
import type { PendingEntry } from './pending.js';
import type { BookedEntry } from './store.js';

/** A statement file's entries as the store keeps them: the same shapes for an import and a preview. */

/** What a transaction's identity reads of an entry (identity.ts): a counterparty without an IBAN by its account. */
function contentOf(entry: StatementEntry) {
  return {
    bookingDate: entry.bookingDate,
    amount: entry.amount,
    currency: entry.currency,
    counterpartyName: entry.counterpartyName ?? null,
    counterpartyIban: entry.counterpartyIban ?? entry.counterpartyAccount ?? null,
    remittanceInformation: entry.remittanceInformation ?? null,
  };
}

/** A file's pending entry as the account's, without the bank's reference: pending entries compare provider keys with the feed's ids, which a file's references are not. */
export function pendingEntry(entry: StatementEntry): PendingEntry {
  const { bookingDate, ...content } = contentOf(entry);
  return { expectedDate: bookingDate, ...content };
}

export function bookedEntry(entry: StatementEntry, counter: FingerprintCounter): BookedEntry {
  const content = contentOf(entry);
  return {
    bookingDate: content.bookingDate,
    amount: content.amount,
    currency: content.currency,
    counterpartyName: content.counterpartyName,
    counterpartyIban: content.counterpartyIban,
    remittanceInformation: content.remittanceInformation,
    providerKey: usableProviderKey(entry.bankReference),
    fingerprint: counter.fingerprint(content),
    valueDate: entry.valueDate ?? null,
    endToEndId: entry.endToEndId ?? null,
    mandateId: entry.mandateId ?? null,
    bankTransactionCode: entry.bankTransactionCode ?? null,
  };
}
