import { hash } from 'node:crypto';
import { amountIdentity } from '../domain/amount.js';

/**
 * How bankfeed recognises a bank transaction it has already stored, whichever way it came (bank
 * feed or statement file): by the provider's own key where that key is usable, else, and also when
 * the provider re-keys everything, by a fingerprint of what the transaction is.
 */

/** What a transaction is, as far as recognising it again goes. */
export interface TransactionContent {
  bookingDate: string;
  amount: string;
  currency: string;
  counterpartyName?: string | null;
  counterpartyIban?: string | null;
  remittanceInformation?: string | null;
}

/** Letters and digits only, lower case, accents folded: survives re-wrapping, spacing and case. */
function normalised(text: string | null | undefined, maxLength: number): string {
  if (!text) return '';
  // Most bank texts are plain ASCII: the same result without Unicode normalisation, much faster.
  if (/^[\x20-\x7e\t\n\r]*$/.test(text)) return text.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, maxLength);
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, '')
    .slice(0, maxLength);
}

/**
 * The fingerprint without the ordinal: identical for genuinely identical entries of a day.
 * Texts are cut after normalising because sources cut them at different lengths
 * (MT940 :86: lines, camt's 140 characters, a bank's own limits).
 */
export function contentKey(content: TransactionContent): string {
  return [
    content.bookingDate,
    // "-30", "-30.00" (a file) and "-30.0000" (a numeric column) are one amount.
    amountIdentity(content.amount, content.currency),
    content.currency.toUpperCase(),
    counterpartyKey(content.counterpartyName, content.counterpartyIban),
    normalised(content.remittanceInformation, 64),
  ].join('|');
}

/** Who the other party is, by name, or by account when there is no name. */
export function counterpartyKey(name: string | null | undefined, iban: string | null | undefined): string {
  return (name ? normalisedName(name) : '') || normalised(iban, 34);
}

/** Names repeat (the same shops, the same employer), and folding accents is slow: their keys are remembered, up to a bound. */
const nameKeys = new Map<string, string>();
const REMEMBERED_NAMES = 10_000;

function normalisedName(name: string): string {
  let key = nameKeys.get(name);
  if (key === undefined) {
    if (nameKeys.size >= REMEMBERED_NAMES) nameKeys.clear();
    key = normalised(name, 32);
    nameKeys.set(name, key);
  }
  return key;
}

/**
 * Numbers identical entries in the order they are seen, so that two genuine same-day payments of
 * the same amount to the same party with the same text stay two transactions. Use one counter
 * per fetched date range (or file) of one account: the range holds whole days, so every copy of
 * an entry is counted, whichever page it is on.
 */
export class FingerprintCounter {
  private readonly seen = new Map<string, number>();

  fingerprint(content: TransactionContent): string {
    const key = contentKey(content);
    const ordinal = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, ordinal);
    // The one-shot hash: no Hash object per entry for the garbage collector.
    return hash('sha256', `${key}|${ordinal}`, 'base64url').slice(0, 32);
  }
}
