import { hasCheckDigit, luhnCheckDigit } from './check-digits.js';
import type { FoundReference } from './kinds.js';

/**
 * Danish FI-kort (fællesindbetalingskort) code lines: `+71<payment id+creditor<`. The card type
 * says what the line holds (formula-digital.dk "Fællesindbetalingskort", giro-kort.dk "FI-kort"):
 * +71 a 15-digit payment id, +75 a 16-digit one, +73 none; the payment id's last digit is a
 * "modulus 10" check digit (Luhn: payment id 1 is printed 18), the creditor number has 8 digits.
 * Payers type the line with or without the `<` marks and with spaces, or after a word such as
 * "FIK 71" or "FI-kort +71". The older girokort types (+01, +04, +15) are not read: their payment
 * id rules were not found in a public specification.
 */
export function findFik(text: string, found: FoundReference[]): void {
  FIK_LINE.lastIndex = 0;
  for (let match = FIK_LINE.exec(text); match; match = FIK_LINE.exec(text)) {
    const [, cardType, paymentId = '', creditor] = match;
    if (paymentId.length !== PAYMENT_ID_LENGTH[cardType!]) continue;
    if (paymentId && !hasCheckDigit(paymentId, luhnCheckDigit)) continue;
    found.push({ at: match.index, kind: 'fik', value: `+${cardType}<${paymentId}+${creditor}<` });
  }
}

const PAYMENT_ID_LENGTH: Record<string, number> = { '71': 15, '73': 0, '75': 16 };

const FIK_LINE = new RegExp(
  [
    // "+71" on its own (not inside a number or a word), or after a word that names the card
    '(?:(?<![\\p{L}\\p{N}+])\\+|(?<![\\p{L}\\p{N}])(?:FIK|FI-kort|FI kort|[Ii]ndbetalingskort|[Kk]ortart)[ .:]*\\+?)',
    '(7[135])[ <]*',
    // the payment id (none on +73), then the creditor number
    '(?:(\\d{15,16})[ +]+)?\\+? ?(\\d{8})(?!\\d)',
  ].join(''),
  'gu',
);
