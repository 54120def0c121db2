import type { PaymentReference as StoredPaymentReference } from '../../domain/parties.js';

/**
 * What kinds of payment reference there are. The names are part of the API (`references: [{kind, value}]`):
 * - `creditor_reference`: ISO 11649 RF creditor reference, check digits verified; value in electronic
 *   form (upper case, no spaces), e.g. `RF18539007547034`.
 * - `fik`: Danish FI-kort (fællesindbetalingskort) code line of card type +71, +73 or +75, the
 *   payment id's check digit verified (+71: 15 digits, +75: 16 digits, +73: none); value as printed
 *   on the card, e.g. `+71<000000001234567+81234567<`, `+73<+81234567<`.
 * - `kid`: Norwegian KID (2–25 digits, MOD10 or MOD11 check digit, may end in `-`).
 * - `finnish_reference`: Finnish domestic reference (viitenumero, 4–20 digits, 7-3-1 check digit);
 *   value without the print form's spaces.
 * - `ocr`: Swedish OCR reference (bankgiro/plusgiro "referensnummer", 2–25 digits, Luhn check digit).
 * - `end_to_end_id`: the payer's end-to-end id (the transaction's own field, or German `EREF+`).
 * - `customer_reference`: German `KREF+` (Kundenreferenz).
 * - `mandate_id`: SEPA direct debit mandate reference (the transaction's own field, or German
 *   `MREF+`, Mandatsreferenz).
 * - `creditor_id`: SEPA creditor identifier (German `CRED+`, Gläubiger-ID), check digits verified.
 * - `purpose`: the German SEPA purpose text (`SVWZ+`, Verwendungszweck).
 * - `invoice_number`: a match of the tenant's invoice-number pattern (its group 1 when it has one).
 */
export const REFERENCE_KINDS = [
  'creditor_reference',
  'fik',
  'kid',
  'finnish_reference',
  'ocr',
  'end_to_end_id',
  'customer_reference',
  'mandate_id',
  'creditor_id',
  'purpose',
  'invoice_number',
] as const;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];

/** A reference as found; a transaction stores it as domain's PaymentReference. */
export interface PaymentReference extends StoredPaymentReference {
  kind: ReferenceKind;
}

/** A reference and where it starts in the scanned text, so that all finders' results can be put in order of appearance. */
export interface FoundReference extends PaymentReference {
  at: number;
}
