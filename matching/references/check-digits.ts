/**
 * The check-digit schemes of the Nordic payment references. Each takes the payload (the digits
 * before the check digit, ASCII digits only: callers match `\d` first) and answers the check digit
 * it must carry; `hasCheckDigit` compares it with the last character of a whole reference.
 */

/**
 * Luhn, which the Nordic specifications call "modulus 10": weights 2, 1, 2, … from the rightmost
 * payload digit, the digits of each product summed, the check digit completes the sum to a multiple
 * of 10. Used by the Swedish OCR reference (Bankgirot, "checksiffra enligt 10-modul"), the Norwegian
 * KID's MOD10 variant (Nets / Mastercard Payment Services, "KID") and the Danish FI-kort payment id
 * (giro-kort.dk: payment id 1 is printed 18, 2 is printed 26).
 */
export function luhnCheckDigit(payload: string): string {
  return String((10 - (weightedSum(payload, LUHN_WEIGHTS, true) % 10)) % 10);
}

/**
 * The Finnish domestic reference (viitenumero, Finance Finland's "kotimaisen viitteen rakenneohje"):
 * weights 7, 3, 1, 7, … from the rightmost payload digit, the check digit completes the sum to a
 * multiple of 10 (1234567 → 12345672).
 */
export function finnishCheckDigit(payload: string): string {
  return String((10 - (weightedSum(payload, FINNISH_WEIGHTS, false) % 10)) % 10);
}

/**
 * The Norwegian KID's MOD11 variant (Nets / Mastercard Payment Services): weights 2, 3, 4, 5, 6, 7,
 * 2, … from the rightmost payload digit; check = 11 − sum mod 11, where 11 is written 0 and 10 is
 * written "-" (a KID may end in a minus sign).
 */
export function kidMod11CheckDigit(payload: string): string {
  const check = (11 - (weightedSum(payload, MOD11_WEIGHTS, false) % 11)) % 11;
  return check === 10 ? '-' : String(check);
}

/** Whether the last character of `reference` is the check digit `scheme` computes from the rest. */
export function hasCheckDigit(reference: string, scheme: (payload: string) => string): boolean {
  return reference.length >= 2 && scheme(reference.slice(0, -1)) === reference.slice(-1);
}

const LUHN_WEIGHTS = [2, 1] as const;
const FINNISH_WEIGHTS = [7, 3, 1] as const;
const MOD11_WEIGHTS = [2, 3, 4, 5, 6, 7] as const;

// Char codes rather than Number(character): this runs on every digit run of every imported transaction.
function weightedSum(payload: string, weights: readonly number[], sumProductDigits: boolean): number {
  let sum = 0;
  for (let index = payload.length - 1, weight = 0; index >= 0; index--, weight = (weight + 1) % weights.length) {
    const product = (payload.charCodeAt(index) - 48) * weights[weight]!;
    sum += sumProductDigits && product > 9 ? product - 9 : product;
  }
  return sum;
}
