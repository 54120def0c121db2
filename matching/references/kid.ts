import { hasCheckDigit, kidMod11CheckDigit, luhnCheckDigit } from './check-digits.js';
import type { KeywordScheme } from './keyword-references.js';

/**
 * Norwegian KID (kundeidentifikasjon, Nets / Mastercard Payment Services "KID"): 2 to 25 digits, the
 * last a MOD10 (Luhn) or MOD11 check digit, the MOD11 one written "-" for 10. Which of the two a
 * payee uses is in its agreement, not in the number, so either is accepted. Read after the word
 * "KID" ("KID: 1234567890", "KID-nr. 1234567890"), or as the whole text of a NOK payment (a
 * Norwegian bank's structured reference arrives as the remittance text alone).
 */
export const kid: KeywordScheme = {
  kind: 'kid',
  afterKeyword: /(?<![\p{L}\p{N}])KID(?:[ .-]?(?:[Nn][Rr]|[Nn]ummer)\.?)?[ .:#]*(\d{1,24}[\d-])(?![\p{L}\p{N}-])/gu,
  wholeText: /^\s*(\d{1,24}[\d-])\s*$/u,
  applies: ({ currency }) => currency === 'NOK',
  valid: (reference) => reference.length >= 2 && (hasCheckDigit(reference, luhnCheckDigit) || hasCheckDigit(reference, kidMod11CheckDigit)),
};
