import { hasCheckDigit, luhnCheckDigit } from './check-digits.js';
import type { KeywordScheme } from './keyword-references.js';

/**
 * Swedish OCR reference (Bankgirot "OCR-referenskontroll": 2 to 25 digits, the last a check digit by
 * "10-modul", i.e. Luhn; a payee's agreement may add a length digit before it, which the check digit
 * covers like any other). Read after the word "OCR" ("OCR: 1234567897", "OCR-nr 1234567897"), or as
 * the whole text of a SEK payment (the structured reference arrives as the remittance text alone).
 */
export const ocr: KeywordScheme = {
  kind: 'ocr',
  afterKeyword: /(?<![\p{L}\p{N}])OCR(?:[ .-]?(?:[Nn][Rr]|[Nn]ummer|[Rr]eferens|[Rr]ef)\.?)?[ .:#]*(\d{2,25})(?![\p{L}\p{N}])/gu,
  wholeText: /^\s*(\d{2,25})\s*$/u,
  applies: ({ currency }) => currency === 'SEK',
  valid: (reference) => hasCheckDigit(reference, luhnCheckDigit),
};
