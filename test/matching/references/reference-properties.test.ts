import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { finnishCheckDigit, kidMod11CheckDigit, luhnCheckDigit } from '../../../matching/references/check-digits.js';
import { findReferences, type ReferenceKind } from '../../../matching/references/index.js';
import { complete, digits, mutations, transpositions } from './check-digit-arbitraries.js';

/** The values of one kind that findReferences reports for a remittance line. */
function found(kind: ReferenceKind, remittanceInformation: string, currency?: string): string[] {
  return findReferences({ remittanceInformation, currency }).filter((reference) => reference.kind === kind).map((reference) => reference.value);
}

/** ISO 11649 B.1: the body with "RF00" appended, letters as 10..35, mod 97; the check digits are 98 minus that. Computed with BigInt, apart from the library's mod97. */
function creditorReference(body: string): string {
  const numeric = [...`${body}RF00`].map((character) => parseInt(character, 36)).join('');
  return `RF${String(98n - (BigInt(numeric) % 97n)).padStart(2, '0')}${body}`;
}

/** The printed form: blocks of four. */
function printed(reference: string): string {
  return reference.replace(/(.{4})(?=.)/g, '$1 ');
}

const rfBody = fc.string({ unit: fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'), minLength: 1, maxLength: 21 });

describe('creditor_reference (ISO 11649)', () => {
  it('is found in electronic and printed form, reported in electronic form', () => {
    fc.assert(fc.property(rfBody, fc.boolean(), (body, inPrint) => {
      const reference = creditorReference(body);
      // The documented limit: in print, a block of letters only after blocks with digits is taken for a word of the text.
      if (inPrint) fc.pre(!/\d.* [A-Z]+(?: |$)/.test(printed(reference).slice(5)));
      expect(found('creditor_reference', `Payment ${inPrint ? printed(reference) : reference} thank you`)).toEqual([reference]);
    }));
  });

  it('is refused after any change of one digit or swap of two adjacent digits', () => {
    fc.assert(fc.property(rfBody, (body) => {
      const reference = creditorReference(body);
      const changed = [...mutations(reference, 2), ...transpositions(reference, 2).map((swap) => swap.text)];
      for (const text of changed) expect(found('creditor_reference', `Ref ${text}`), text).toEqual([]);
    }));
  });
});

describe('fik (Danish FI-kort)', () => {
  const creditor = digits(8, 8);

  it('finds +71 and +75 code lines with a valid payment id, and +73 lines', () => {
    fc.assert(fc.property(digits(14, 14), digits(15, 15), creditor, (short, long, number) => {
      const id71 = complete(short, luhnCheckDigit);
      const id75 = complete(long, luhnCheckDigit);
      expect(found('fik', `FIK +71<${id71}+${number}< Faktura`)).toEqual([`+71<${id71}+${number}<`]);
      expect(found('fik', `Indbetalingskort 75 ${id75} ${number}`)).toEqual([`+75<${id75}+${number}<`]);
      expect(found('fik', `+73<+${number}<`)).toEqual([`+73<+${number}<`]);
    }));
  });

  it('refuses a payment id with one digit changed or two adjacent digits swapped', () => {
    fc.assert(fc.property(digits(14, 14), creditor, (payload, number) => {
      const id = complete(payload, luhnCheckDigit);
      const changed = [...mutations(id), ...transpositions(id).filter(({ a, b }) => a + b !== 9 || a * b !== 0).map((swap) => swap.text)];
      for (const text of changed) expect(found('fik', `+71<${text}+${number}<`), text).toEqual([]);
    }));
  });
});

describe('kid (Norwegian)', () => {
  const schemes = [luhnCheckDigit, kidMod11CheckDigit];

  it('finds a KID with a MOD10 or MOD11 check digit after the word KID, and as the whole text of a NOK payment', () => {
    fc.assert(fc.property(digits(1, 24), fc.constantFrom(...schemes), (payload, scheme) => {
      const kid = complete(payload, scheme);
      expect(found('kid', `Faktura 118 KID: ${kid}`)).toEqual([kid]);
      expect(found('kid', ` ${kid} `, 'NOK')).toEqual([kid]);
      expect(found('kid', kid, 'EUR')).toEqual([]);
    }));
  });

  it('refuses a number whose check digit fits neither scheme', () => {
    fc.assert(fc.property(digits(2, 25), (number) => {
      const fits = schemes.some((scheme) => complete(number.slice(0, -1), scheme) === number);
      expect(found('kid', `KID ${number}`)).toEqual(fits ? [number] : []);
    }));
  });
});

describe('ocr (Swedish)', () => {
  it('finds an OCR reference after the word OCR, and as the whole text of a SEK payment', () => {
    fc.assert(fc.property(digits(1, 24), (payload) => {
      const reference = complete(payload, luhnCheckDigit);
      expect(found('ocr', `OCR-nr ${reference}`)).toEqual([reference]);
      expect(found('ocr', reference, 'SEK')).toEqual([reference]);
      expect(found('ocr', reference, 'NOK')).toEqual([]);
    }));
  });

  it('refuses a reference with one digit changed or two adjacent digits swapped (but 09 ↔ 90, which Luhn cannot see)', () => {
    fc.assert(fc.property(digits(1, 24), (payload) => {
      const reference = complete(payload, luhnCheckDigit);
      const changed = [...mutations(reference), ...transpositions(reference).filter(({ a, b }) => a + b !== 9 || a * b !== 0).map((swap) => swap.text)];
      for (const text of changed) expect(found('ocr', `OCR ${text}`), text).toEqual([]);
    }));
  });
});

describe('finnish_reference (viitenumero)', () => {
  /** Finance Finland's print form: blocks of five from the right. */
  const inPrint = (reference: string) => reference.replace(/\B(?=(\d{5})+$)/g, ' ');

  it('finds a reference after "viite" in electronic and printed form', () => {
    fc.assert(fc.property(digits(3, 19), (payload) => {
      const reference = complete(payload, finnishCheckDigit);
      expect(found('finnish_reference', `Viitenumero: ${inPrint(reference)}`)).toEqual([reference]);
      expect(found('finnish_reference', `lasku 12, viite ${reference}`)).toEqual([reference]);
    }));
  });

  it('refuses a reference with one digit changed or two adjacent digits swapped (but digits 5 apart, which 7-3-1 cannot see)', () => {
    fc.assert(fc.property(digits(3, 19), (payload) => {
      const reference = complete(payload, finnishCheckDigit);
      const changed = [...mutations(reference), ...transpositions(reference).filter(({ a, b }) => Math.abs(a - b) !== 5).map((swap) => swap.text)];
      for (const text of changed) expect(found('finnish_reference', `Viite ${text}`), text).toEqual([]);
    }));
  });
});
