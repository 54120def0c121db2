/** Clean-up of the text values every parser hands out, so that they compare equal across formats. */

/** Trimmed, with runs of white space (line breaks included) as one space; undefined when nothing is left. */
export function cleanText(text: string | undefined): string | undefined {
  const cleaned = text?.replace(/\s+/g, ' ').trim();
  return cleaned ? cleaned : undefined;
}

// Banks fill mandatory reference fields with these when there is no reference (SWIFT "NONREF",
// SEPA "NOTPROVIDED", Enable Banking's "0"): they identify nothing and must never become a key.
const PLACEHOLDER_REFERENCE = /^(?:NONREF|NOTPROVIDED|NOT PROVIDED|0+)$/i;

/** A reference trimmed, or undefined when it is blank or a placeholder such as NONREF, NOTPROVIDED or 0. */
export function cleanReference(text: string | undefined): string | undefined {
  const trimmed = text?.trim();
  return trimmed && !PLACEHOLDER_REFERENCE.test(trimmed) ? trimmed : undefined;
}
