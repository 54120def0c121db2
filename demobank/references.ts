/**
 * Payment references as banks carry them in the remittance text: ISO 11649 creditor references
 * (RF), Danish FI payment lines (+71/+73/+75 with the creditor number), and German SEPA
 * "Verwendungszweck" tags (EREF+ the end-to-end id, MREF+ the mandate, SVWZ+ the purpose). Which
 * of them an entry carries is its own Random's choice; the entry's ground truth lists them, in
 * bankfeed's kinds and forms (matching/references/kinds.ts).
 */
import { luhnCheckDigit } from '../matching/references/check-digits.js';
import type { PaymentReference } from '../matching/references/index.js';
import { makeIban } from './iban.js';
import type { Counterparty } from './parties.js';
import { hash32, type Random } from './random.js';
import type { DemoAccount } from './users.js';

export type { PaymentReference };

/**
 * Whose invoice a payment settles, and so whose references it carries: `ours` (a customer pays
 * the account holder, quoting the holder's references), `theirs` (the holder pays a supplier).
 */
export type Payee = 'ours' | 'theirs';

/** An ISO 11649 creditor reference: "RF", check digits by the IBAN's mod 97-10, then the body. */
export function creditorReference(body: string): string {
  return makeIban('RF', body);
}

/** An FI payment line: card type 71 (15-digit payment id), 75 (16 digits) or 73 (none), then the creditor number. */
export function fikLine(type: 71 | 73 | 75, serial: number, creditor: string): string {
  if (type === 73) return `+73<+${creditor}<`;
  const body = String(serial).padStart(type === 71 ? 14 : 15, '0');
  return `+${type}<${body}${luhnCheckDigit(body)}+${creditor}<`;
}

/** The account holder's own FI creditor number (8 digits, the first an 8), for its customers' payments. */
const holderFikCreditor = (account: DemoAccount) => `8${String(hash32('fik', account.key) % 10_000_000).padStart(7, '0')}`;

/** A remittance text as the bank carries it, and the references in it. */
export interface Remittance {
  text: string;
  references: PaymentReference[];
}

const MAX_REMITTANCE = 140;

function withStructuredReference(text: string, payee: Payee, account: DemoAccount, counterparty: Counterparty, random: Random): Remittance {
  const { currency } = account;
  const ticket = random.next();
  // RF references: a customer quoting the holder's invoice, or a (non-Danish) supplier's own.
  if (ticket < (payee === 'ours' ? 0.25 : currency === 'DKK' ? 0 : 0.15)) {
    const reference = creditorReference(`${random.int(1000, 99_999)}${random.int(10_000, 999_999)}`);
    const printed = random.chance(0.5) ? reference.replace(/(.{4})(?=.)/g, '$1 ') : reference;
    // In front of the text, so that a cut for the SEPA tags cannot cut it off.
    return { text: random.chance(0.5) ? printed : `${printed} ${text}`.slice(0, MAX_REMITTANCE), references: [{ kind: 'creditor_reference', value: reference }] };
  }
  // FI payment lines: Danish payments only, to the holder or to a supplier who issues them.
  const creditor = currency !== 'DKK' ? undefined : payee === 'ours' ? holderFikCreditor(account) : counterparty.fikCreditor;
  if (creditor && ticket < 0.4) {
    const type = payee === 'ours' ? 71 : random.pick([71, 71, 71, 71, 75, 73] as const);
    const line = fikLine(type, random.int(1, 99_999_999), creditor);
    return { text: type === 73 ? `${line} ${text}`.slice(0, MAX_REMITTANCE) : line, references: [{ kind: 'fik', value: line }] };
  }
  return { text, references: [] };
}

/** German banks put a SEPA entry's end-to-end id, mandate and purpose in tagged fields of the text. */
function withSepaTags(remittance: Remittance, endToEndId: string | undefined, mandateId: string | undefined): Remittance {
  const tags = `EREF+${endToEndId ?? 'NOTPROVIDED'} ${mandateId ? `MREF+${mandateId} ` : ''}`;
  const purpose = remittance.text.slice(0, MAX_REMITTANCE - tags.length - 'SVWZ+'.length).trim();
  return {
    text: `${tags}SVWZ+${purpose}`,
    references: [
      ...(endToEndId && endToEndId !== 'NOTPROVIDED' ? [{ kind: 'end_to_end_id' as const, value: endToEndId }] : []),
      ...(mandateId ? [{ kind: 'mandate_id' as const, value: mandateId }] : []),
      { kind: 'purpose', value: purpose },
      ...remittance.references,
    ],
  };
}

/** The entry's text with the references a payment of this kind carries at a bank of this currency's country. */
export function withReferences(
  text: string,
  entry: { payee?: Payee; sepa: boolean; account: DemoAccount; counterparty: Counterparty; endToEndId?: string; mandateId?: string },
  random: Random,
): Remittance {
  const plain = entry.payee ? withStructuredReference(text, entry.payee, entry.account, entry.counterparty, random) : { text, references: [] };
  return entry.sepa && entry.account.currency === 'EUR' && random.chance(0.35) ? withSepaTags(plain, entry.endToEndId, entry.mandateId) : plain;
}

/** All the references an entry carries: those in its text, and its own end-to-end id (a real one) and mandate where the text has not got them. */
export function referencesOf(entry: { references: PaymentReference[]; endToEndId?: string; mandateId?: string }): PaymentReference[] {
  const fields: PaymentReference[] = [
    ...(entry.endToEndId && entry.endToEndId !== 'NOTPROVIDED' ? [{ kind: 'end_to_end_id' as const, value: entry.endToEndId }] : []),
    ...(entry.mandateId ? [{ kind: 'mandate_id' as const, value: entry.mandateId }] : []),
  ];
  const inText = (field: PaymentReference) => entry.references.some((reference) => reference.kind === field.kind && reference.value === field.value);
  return [...entry.references, ...fields.filter((field) => !inText(field))];
}
