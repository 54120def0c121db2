/** The IBAN in its electronic form (upper case, no spaces) when `text` is one with valid check digits (ISO 13616), else undefined. */
export function normaliseIban(text: string): string | undefined {
  const iban = text.replace(/\s+/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return undefined;
  // Check digits: move the first four characters to the end; the number mod 97 must be 1.
  return mod97(iban.slice(4) + iban.slice(0, 4)) === 1 ? iban : undefined;
}

/** The digits and upper-case letters as one number (letters become 10..35), mod 97: ISO 7064 MOD 97-10, shared by IBANs, RF creditor references and SEPA creditor identifiers. */
export function mod97(text: string): number {
  let remainder = 0;
  for (const character of text) {
    const value = character >= 'A' ? character.charCodeAt(0) - 55 : Number(character);
    remainder = (remainder * (value >= 10 ? 100 : 10) + value) % 97;
  }
  return remainder;
}

/** The IBAN's electronic form (upper case, no spaces), checked or not: how a bank's own listing is stored. */
export function compactIban(text: string): string {
  return text.replace(/\s+/g, '').toUpperCase();
}

/** The IBAN of a national account number (BBAN) of `country`: the check digits computed (ISO 13616). */
export function ibanOf(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`.toUpperCase());
  return `${country}${String(check).padStart(2, '0')}${bban}`.toUpperCase();
}
