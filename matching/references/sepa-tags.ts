import { mod97 } from '../../domain/iban.js';
import { cleanReference } from '../../statements/text.js';
import type { FoundReference, ReferenceKind } from './kinds.js';

/**
 * German SEPA purpose keywords ("Verwendungszweck"): `EREF+`, `KREF+`, `MREF+`, `CRED+`, `SVWZ+` as
 * the DFÜ-Abkommen (Anlage 3, structured field :86:) defines them for MT940, each value running up
 * to the next keyword; banks' CSV exports and online banking write them as `EREF: ` or spell them
 * out (`End-to-End-Ref.:`, `Mandatsref:`, `Gläubiger-ID:`). The other DFÜ keywords (DEBT, ABWA,
 * ABWE, COAM, OAMT, IBAN, BIC) are read only to end the value before them.
 */
export function findSepaTags(text: string, found: FoundReference[]): void {
  if (!text.includes('+') && !text.includes(':')) return;
  const markers: { at: number; end: number; kind: ReferenceKind | undefined }[] = [];
  MARKER.lastIndex = 0;
  for (let match = MARKER.exec(text); match; match = MARKER.exec(text)) {
    markers.push({ at: match.index, end: MARKER.lastIndex, kind: KIND_OF_MARKER.get(match[1] ?? match[2]!) });
  }
  markers.forEach((marker, index) => {
    if (!marker.kind) return;
    const next = markers[index + 1];
    const value = text.slice(marker.end, next?.at ?? text.length).replace(WHITE_SPACE, ' ').trim();
    const reference = marker.kind === 'purpose' ? value || undefined : identifier(marker.kind, value, next === undefined);
    if (reference) found.push({ at: marker.at, kind: marker.kind, value: reference });
  });
}

const WHITE_SPACE = /\s+/g;

const KIND_OF_MARKER = new Map<string, ReferenceKind>([
  ['EREF', 'end_to_end_id'],
  ['End-to-End-Ref.', 'end_to_end_id'],
  ['End-to-End-Referenz', 'end_to_end_id'],
  ['KREF', 'customer_reference'],
  ['Kundenreferenz', 'customer_reference'],
  ['MREF', 'mandate_id'],
  ['Mandatsref', 'mandate_id'],
  ['Mandatsreferenz', 'mandate_id'],
  ['CRED', 'creditor_id'],
  ['Gläubiger-ID', 'creditor_id'],
  ['Glaeubiger-ID', 'creditor_id'],
  ['SVWZ', 'purpose'],
]);

// A keyword is not part of a word ("ABCKREF+" is text). Group 1: a DFÜ keyword, group 2: a spelled-out label.
const MARKER = /(?<![\p{L}\p{N}])(?:(EREF|KREF|MREF|CRED|DEBT|SVWZ|ABWA|ABWE|COAM|OAMT|IBAN|BIC)(?:\+| ?: ?)|(End-to-End-Ref\.|End-to-End-Referenz|Kundenreferenz|Mandatsreferenz|Mandatsref|Gläubiger-ID|Glaeubiger-ID): ?)/gu;

/** SEPA identifiers are at most 35 characters (the EPC rulebooks' AT-41, AT-01, AT-02). */
const MAX_IDENTIFIER = 35;

/**
 * The identifier in a keyword's value. The last keyword's value runs to the end of the text, where
 * free text may follow the identifier ("Gläubiger-ID: DE98ZZZ09999999999 Miete Januar"): there, and
 * in a value too long to be one identifier, only its first word counts. Placeholders (NOTPROVIDED)
 * are no reference; a creditor identifier must have valid check digits.
 */
function identifier(kind: ReferenceKind, value: string, last: boolean): string | undefined {
  const candidate = cleanReference(last || value.length > MAX_IDENTIFIER ? value.split(' ', 1)[0] : value);
  if (!candidate || candidate.length > MAX_IDENTIFIER) return undefined;
  return kind !== 'creditor_id' || isCreditorIdentifier(candidate) ? candidate : undefined;
}

/**
 * SEPA creditor identifier (EPC262-08 "Creditor Identifier Overview"): country code, two check
 * digits, a three-character business code that the check ignores, and the national identifier;
 * the national identifier followed by the country code and check digits is 1 mod 97.
 */
function isCreditorIdentifier(candidate: string): boolean {
  return CREDITOR_IDENTIFIER.test(candidate) && mod97(candidate.slice(7) + candidate.slice(0, 4)) === 1;
}

const CREDITOR_IDENTIFIER = /^[A-Z]{2}\d{2}[A-Z0-9]{3}[A-Z0-9]{1,28}$/;
