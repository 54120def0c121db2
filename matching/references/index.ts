import { compactIban } from '../../domain/iban.js';
import { cleanReference } from '../../statements/text.js';
import { findCreditorReferences } from './creditor-reference.js';
import { findFik } from './fik.js';
import { finnishReference } from './finnish-reference.js';
import { findInvoiceNumbers, type InvoiceNumberPattern } from './invoice-pattern.js';
import { findKeywordReferences, type ReferenceContext } from './keyword-references.js';
import { kid } from './kid.js';
import type { FoundReference, PaymentReference } from './kinds.js';
import { ocr } from './ocr.js';
import { findSepaTags } from './sepa-tags.js';

export { REFERENCE_KINDS, type PaymentReference, type ReferenceKind } from './kinds.js';
export { parseInvoiceNumberPattern, type InvoiceNumberPattern, type InvoiceNumberPatternParse } from './invoice-pattern.js';

export interface ReferenceSource {
  remittanceInformation?: string | null;
  endToEndId?: string | null;
  mandateId?: string | null;
  currency?: string | null;
  counterpartyIban?: string | null;
}

export interface FindReferencesOptions {
  /** The tenant's pattern, parsed once with parseInvoiceNumberPattern. */
  invoiceNumberPattern?: InvoiceNumberPattern | null;
}

/**
 * The payment references in a transaction: those in its remittance information in order of
 * appearance, then its end-to-end id (blank and placeholders such as NOTPROVIDED are none) with the
 * RF reference or invoice number inside it, then its mandate id. Each reference once (the same
 * kind and value found twice is reported where it first appears). Precision comes before recall: a
 * number is a reference only by its check digits and a keyword, a distinctive format, or a context
 * (currency, counterparty country) that names the scheme; and never when it is the counterparty's
 * own account number.
 */
export function findReferences(entry: ReferenceSource, options: FindReferencesOptions = {}): PaymentReference[] {
  const context: ReferenceContext = {
    currency: entry.currency?.trim().toUpperCase() || undefined,
    counterpartyIban: entry.counterpartyIban ? compactIban(entry.counterpartyIban) : undefined,
  };
  const pattern = options.invoiceNumberPattern ?? undefined;
  const found: FoundReference[] = [];
  const text = entry.remittanceInformation ?? '';
  if (text) findInText(text, context, pattern, found);

  const endToEndId = cleanReference(entry.endToEndId ?? undefined);
  if (endToEndId) {
    const inEndToEndId: FoundReference[] = [{ at: 0, kind: 'end_to_end_id', value: endToEndId }];
    if (HAS_DIGIT.test(endToEndId)) findCreditorReferences(endToEndId, inEndToEndId);
    if (pattern) findInvoiceNumbers(endToEndId, pattern, inEndToEndId);
    for (const reference of inEndToEndId) found.push({ ...reference, at: text.length + 1 + reference.at });
  }
  const mandateId = cleanReference(entry.mandateId ?? undefined);
  if (mandateId) found.push({ at: Infinity, kind: 'mandate_id', value: mandateId }); // after the text and the end-to-end id
  return inOrderOnce(found, accountNumber(context.counterpartyIban));
}

const HAS_DIGIT = /\d/;
const KEYWORD_SCHEMES = [kid, ocr, finnishReference];
const DIGIT_KINDS = new Set(KEYWORD_SCHEMES.map((scheme) => scheme.kind));

function findInText(text: string, context: ReferenceContext, pattern: InvoiceNumberPattern | undefined, found: FoundReference[]): void {
  // Every check-digit scheme needs digits; most remittance lines of card payments have none.
  if (HAS_DIGIT.test(text)) {
    findCreditorReferences(text, found);
    findFik(text, found);
    for (const scheme of KEYWORD_SCHEMES) findKeywordReferences(scheme, text, context, found);
  }
  findSepaTags(text, found);
  if (pattern) findInvoiceNumbers(text, pattern, found);
}

/** The national account number inside an IBAN (after country and check digits), digits only. */
function accountNumber(iban: string | undefined): string | undefined {
  return iban?.slice(4).replace(NOT_DIGIT, '') || undefined;
}

const NOT_DIGIT = /\D/g;

function inOrderOnce(found: FoundReference[], counterpartyAccount: string | undefined): PaymentReference[] {
  const seen = new Set<string>();
  const references: PaymentReference[] = [];
  // Array.prototype.sort is stable: references that start at one place keep the order they were found in.
  for (const { at: _at, kind, value } of found.sort((a, b) => a.at - b.at)) {
    const key = `${kind} ${value}`;
    if (seen.has(key) || (value === counterpartyAccount && DIGIT_KINDS.has(kind))) continue;
    seen.add(key);
    references.push({ kind, value });
  }
  return references;
}
