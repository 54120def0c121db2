import { normaliseIban } from '../domain/iban.js';
import type { CsvRecord } from './csv-records.js';

/**
 * What a bank's preamble above the header row says about the account: its IBAN ("Konto;DE89 3704
 * …", "IBAN: DK50…") when exactly one appears, and its currency when a line names one
 * ("Währung;EUR", "Valuta: DKK").
 */
export function readPreamble(records: CsvRecord[]): { accountIban?: { iban: string; line: number }; currency?: { code: string; line: number } } {
  const ibans = new Map<string, number>();
  let currency: { code: string; line: number } | undefined;
  for (const record of records) {
    for (const field of record.fields) {
      const iban = ibanIn(field);
      if (iban && !ibans.has(iban)) ibans.set(iban, record.line);
    }
    const named = /(?:währung|waehrung|currency|valuta|devise|valuutta|munt)\W+([A-Z]{3})\b/i.exec(record.fields.join(';'));
    if (named && /^[A-Z]{3}$/.test(named[1]!)) currency ??= { code: named[1]!, line: record.line };
  }
  const [only, ...others] = ibans;
  return {
    ...(only && others.length === 0 ? { accountIban: { iban: only[0], line: only[1] } } : {}),
    ...(currency ? { currency } : {}),
  };
}

/** An IBAN written anywhere in the text, in groups or not: "Konto: DE89 3704 0044 0532 0130 00 / Girokonto". */
function ibanIn(text: string): string | undefined {
  const tokens = text.split(/[\s:;,/()]+/).filter(Boolean);
  for (let start = 0; start < tokens.length; start++) {
    if (!/^[A-Za-z]{2}\d{2}/.test(tokens[start]!)) continue;
    // The longest run of tokens from here that is an IBAN (the groups of four, or one token).
    for (let end = Math.min(tokens.length, start + 9); end > start; end--) {
      const iban = normaliseIban(tokens.slice(start, end).join(''));
      if (iban) return iban;
    }
  }
  return undefined;
}
