import fc from 'fast-check';

const DIGITS = [...'0123456789'];

/** Strings of ASCII digits. */
export function digits(minLength: number, maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom(...DIGITS), minLength, maxLength });
}

/** The payload with the check digit its scheme computes. */
export function complete(payload: string, scheme: (payload: string) => string): string {
  return payload + scheme(payload);
}

/** Every text that differs from `text` in one digit (or "-" check character) replaced by another digit. */
export function mutations(text: string, from = 0, to = text.length): string[] {
  const changed: string[] = [];
  for (let index = from; index < to; index++) {
    if (!DIGITS.includes(text[index]!) && text[index] !== '-') continue;
    for (const digit of DIGITS) if (digit !== text[index]) changed.push(text.slice(0, index) + digit + text.slice(index + 1));
  }
  return changed;
}

/** Every text with two adjacent different digits of `text` swapped, and the two digits. */
export function transpositions(text: string, from = 0, to = text.length): { text: string; a: number; b: number }[] {
  const swapped: { text: string; a: number; b: number }[] = [];
  for (let index = from; index + 1 < to; index++) {
    const a = text[index]!;
    const b = text[index + 1]!;
    if (a !== b && DIGITS.includes(a) && DIGITS.includes(b)) {
      swapped.push({ text: text.slice(0, index) + b + a + text.slice(index + 2), a: Number(a), b: Number(b) });
    }
  }
  return swapped;
}
