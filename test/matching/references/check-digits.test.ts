import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finnishCheckDigit, hasCheckDigit, kidMod11CheckDigit, luhnCheckDigit } from '../../../matching/references/check-digits.js';
import { complete, digits, mutations, transpositions } from './check-digit-arbitraries.js';

const schemes = [
  // Transpositions of adjacent digits that the scheme cannot see: Luhn misses 09 ↔ 90; 7-3-1 misses digits 5 apart (weights differ by 2, 4 or 6).
  { name: 'Luhn (mod 10)', scheme: luhnCheckDigit, blindTo: (a: number, b: number) => a + b === 9 && a * b === 0 },
  { name: 'Finnish 7-3-1', scheme: finnishCheckDigit, blindTo: (a: number, b: number) => Math.abs(a - b) === 5 },
  { name: 'KID MOD11', scheme: kidMod11CheckDigit, blindTo: () => false },
];

describe('check digits', () => {
  it('match the examples of the specifications', () => {
    // giro-kort.dk: FI payment id 1 is printed 18, 2 is printed 26; the IBM "modulus 10" example 61248 → 1.
    expect(['1', '2', '61248'].map(luhnCheckDigit)).toEqual(['8', '6', '1']);
    // Finance Finland's example 1234567 → 12345672, and 617435 → 6174354.
    expect(['1234567', '617435'].map(finnishCheckDigit)).toEqual(['2', '4']);
    // The IBM "modulus 11" example (weights 2..7 from the right) 13739 → 1; a remainder of 1 is written "-".
    expect(['13739', '6', '2026011803'].map(kidMod11CheckDigit)).toEqual(['1', '-', '0']);
  });

  for (const { name, scheme, blindTo } of schemes) {
    describe(name, () => {
      it('accepts exactly one check character for every payload', () => {
        fc.assert(fc.property(digits(1, 24), (payload) => {
          expect([...'0123456789-'].filter((check) => hasCheckDigit(payload + check, scheme))).toHaveLength(1);
        }));
      });

      it('refuses every change of a single digit', () => {
        fc.assert(fc.property(digits(1, 24), (payload) => {
          for (const changed of mutations(complete(payload, scheme))) expect(hasCheckDigit(changed, scheme), changed).toBe(false);
        }));
      });

      it('refuses every swap of two adjacent different digits that the scheme can see', () => {
        fc.assert(fc.property(digits(1, 24), (payload) => {
          for (const { text, a, b } of transpositions(complete(payload, scheme))) {
            if (!blindTo(a, b)) expect(hasCheckDigit(text, scheme), text).toBe(false);
          }
        }));
      });
    });
  }
});
