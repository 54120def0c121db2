import { describe, expect, it } from 'vitest';
import { findReferences, parseInvoiceNumberPattern } from '../../../matching/references/index.js';

function error(source: string): string | undefined {
  const parsed = parseInvoiceNumberPattern(source);
  return parsed.ok ? undefined : parsed.error;
}

describe('parseInvoiceNumberPattern', () => {
  it('accepts ordinary invoice-number patterns', () => {
    for (const source of [
      'INV-(\\d{4,8})',
      'INV-\\d+',
      '[A-Z]{1,10}-\\d+',
      '.*INV',
      '(?:RE|INV|Rechnung)[ -]?(\\d{4}-\\d{3,6})',
      '(?<number>F\\d{6})',
      '(\\d{4}-)+\\d{4}',
      'R\\d{4}(?!\\d)',
      '\\p{Lu}{2}\\d{5}',
      'Faktura nr\\.? ?(\\d{3,10})',
    ]) {
      expect(error(source), source).toBeUndefined();
    }
  });

  it('says why it refuses a pattern', () => {
    expect(error('')).toBe('invoice number pattern is empty');
    expect(error(`INV-${'\\d'.repeat(99)}`)).toBe('invoice number pattern is 202 characters long, at most 200 are allowed');
    expect(error('INV-(\\d{4,8}')).toMatch(/^invoice number pattern is not a valid regular expression \(with the u flag\): .*Unterminated group/);
    // Valid without the u flag, not with it.
    expect(error('INV-\\-\\d\\_')).toMatch(/not a valid regular expression/);
    expect(error('\\d*')).toBe('invoice number pattern matches the empty string: it must need at least one character');
    expect(error('(?:INV)?|\\d?')).toMatch(/matches the empty string/);
    expect(error('INV-(\\d*)')).toMatch(/has a group 1 that can be empty/);
    expect(error('(\\d+)\\1')).toBe('invoice number pattern uses a backreference (\\1), which is not allowed');
    expect(error('(?<n>\\d+)-\\k<n>')).toMatch(/uses a backreference \(\\k\)/);
    expect(error('(?<=INV-)\\d+')).toBe('invoice number pattern uses a lookbehind ((?<= or (?<!), which is not allowed');
    expect(error('(?<!X)\\d+')).toMatch(/lookbehind/);
  });

  it('refuses patterns that can backtrack catastrophically', () => {
    for (const source of ['(a+)+$', '(a*)*b', '(\\d?)+x', '(a|ab)*c', '(?:\\d+-)+\\d+', '((ab)*)+', '(.*a){3}', '(\\d|\\d\\d)+$']) {
      expect(error(source), source).toMatch(/repeats a part that itself repeats or has alternatives/);
    }
    for (const source of ['\\d+\\d+x', '.*.*INV', '[A-Z]+-\\d+', '\\d{0,99}\\d{0,99}x']) {
      expect(error(source), source).toMatch(/has too many ways to match one text/);
    }
  });

  it('the value is group 1 where there is one, else the whole match', () => {
    const withGroup = parseInvoiceNumberPattern('INV-(\\d{4,8})');
    const without = parseInvoiceNumberPattern('INV-\\d{4,8}');
    if (!withGroup.ok || !without.ok) throw new Error('both patterns are valid');
    const remittanceInformation = 'Invoice INV-20260042 and inv-1234 and INV-123';
    expect(findReferences({ remittanceInformation }, { invoiceNumberPattern: withGroup.pattern })).toEqual([{ kind: 'invoice_number', value: '20260042' }]);
    expect(findReferences({ remittanceInformation }, { invoiceNumberPattern: without.pattern })).toEqual([{ kind: 'invoice_number', value: 'INV-20260042' }]);
  });

  it('a match where group 1 took no part gives no value', () => {
    const parsed = parseInvoiceNumberPattern('INV-(\\d{4})|RE-\\d{4}');
    if (!parsed.ok) throw new Error(parsed.error);
    expect(findReferences({ remittanceInformation: 'RE-1234 INV-5678' }, { invoiceNumberPattern: parsed.pattern })).toEqual([{ kind: 'invoice_number', value: '5678' }]);
  });

  it('the slowest accepted shapes stay fast on hostile text (two open-ended repetitions took 20 ms a line)', () => {
    const lines = ['1'.repeat(140), 'A1'.repeat(70), `${'INV'.repeat(45)}-`];
    for (const source of ['.*\\d{0,9}x', '[A-Z0-9]+-?\\d{1,5}x', '.*INV-?(\\d{4,8})']) {
      const parsed = parseInvoiceNumberPattern(source);
      if (!parsed.ok) throw new Error(parsed.error);
      const started = performance.now();
      for (let round = 0; round < 100; round++) {
        for (const remittanceInformation of lines) findReferences({ remittanceInformation }, { invoiceNumberPattern: parsed.pattern });
      }
      expect((performance.now() - started) / 300, source).toBeLessThan(1);
    }
  });
});
