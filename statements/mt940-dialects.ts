/**
 * How an MT940 or MT942 file departs from the plain SWIFT layout, each as the banks that write it
 * do: the parser notes the ones a message was read in, so that a preview can say which habit of
 * which bank it read (and a person can tell a file that was read as something it is not).
 */
export const MT940_DIALECTS = {
  'swift-framing': 'SOH (0x01) and ETX (0x03) bytes around SWIFT FIN messages, as SWIFT interface software writes them',
  'swift-blocks': 'SWIFT FIN blocks: {1:}{2:}{3:}{4: before each message and -} (with a {5:} trailer) after it',
  preamble: "lines outside the messages: ABN AMRO's ABNANL2A and 940 lines, Rabobank's :940: file header",
  'blanks-in-61': ':61: with blanks: four for the entry date (ASN Bank), after the mark (Cuscal) or before the type code',
  'wrapped-61': ':61: wrapped onto a second line after the mark or inside the amount (Sparkassen)',
  'wrapped-28c': ':28C: wrapped onto a second line after the slash',
  'german-86': ':86: as German subfields ?00-?63 (or >00-) with SEPA keywords such as EREF+ and SVWZ+ (DFÜ-Abkommen layout of German banks)',
  'slash-codes-86': ':86: as /CODE/ subfields such as /EREF/ and /REMI/ (Rabobank MT940 Structured; ING NL, ABN AMRO)',
} as const;

export type Mt940Dialect = keyof typeof MT940_DIALECTS;

const ORDER = Object.keys(MT940_DIALECTS) as Mt940Dialect[];

/** The dialects in the order of MT940_DIALECTS, whatever order they were noted in. */
export function dialectList(dialects: ReadonlySet<Mt940Dialect>): Mt940Dialect[] {
  return ORDER.filter((dialect) => dialects.has(dialect));
}
