/** IBANs with correct ISO 13616 check digits (mod 97-10), for the Demo Bank's invented accounts. */

/** The IBAN of a country and its BBAN (the domestic account number), check digits computed. */
export function makeIban(country: string, bban: string): string {
  const check = 98 - mod97(`${bban}${country}00`);
  return `${country}${String(check).padStart(2, '0')}${bban}`;
}

/** Whether the check digits of an IBAN are right (it says nothing of the country's BBAN format). */
export function isValidIban(iban: string): boolean {
  const compact = iban.replace(/ /g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(compact)) return false;
  return mod97(`${compact.slice(4)}${compact.slice(0, 4)}`) === 1;
}

/** The remainder mod 97 of the number spelled by the text, letters counting as 10 (A) to 35 (Z). */
function mod97(text: string): number {
  let remainder = 0;
  for (const char of text) {
    const value = parseInt(char, 36);
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder;
}
