import { finnishCheckDigit, hasCheckDigit } from './check-digits.js';
import type { KeywordScheme } from './keyword-references.js';

/**
 * Finnish domestic reference (viitenumero, Finance Finland "kotimaisen viitteen rakenneohje"): 4 to
 * 20 digits, the last a 7-3-1 check digit, printed in blocks of five from the right
 * ("12 34561"). Read after the word "viite" / "viitenumero" / "viitenro", or as the whole text of a
 * payment whose counterparty account is Finnish (the structured reference arrives as the remittance
 * text alone). The international RF form is a `creditor_reference`.
 */
export const finnishReference: KeywordScheme = {
  kind: 'finnish_reference',
  afterKeyword: /(?<![\p{L}\p{N}])(?:viite(?:numero|nro|nr)?|viitteen)[ .:#]*(\d{1,20}(?: \d{5}){0,3})(?![\p{L}\p{N}])/giu,
  wholeText: /^\s*(\d{1,20}(?: \d{5}){0,3})\s*$/u,
  applies: ({ counterpartyIban }) => counterpartyIban?.startsWith('FI') === true,
  valid: (reference) => reference.length >= 4 && reference.length <= 20 && hasCheckDigit(reference, finnishCheckDigit),
};
