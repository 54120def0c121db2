import type { FoundReference, ReferenceKind } from './kinds.js';

/**
 * A number that is a reference only by what surrounds it: the word before it (KID, OCR, viite) or
 * the whole text being that number where the payment's currency or country says which scheme it is.
 * A bare digit run is never enough: about one in ten random numbers passes a mod-10 check.
 */
export interface KeywordScheme {
  kind: ReferenceKind;
  /** Global; group 1 is the reference, possibly with the spaces of its printed form. */
  afterKeyword: RegExp;
  /** The whole (trimmed) text as one reference, tried only where `applies` says the scheme is the payment's. */
  wholeText: RegExp;
  applies: (context: ReferenceContext) => boolean;
  valid: (reference: string) => boolean;
}

export interface ReferenceContext {
  /** ISO 4217, upper case. */
  currency: string | undefined;
  /** Electronic form, upper case. */
  counterpartyIban: string | undefined;
}

export function findKeywordReferences(scheme: KeywordScheme, text: string, context: ReferenceContext, found: FoundReference[]): void {
  const { afterKeyword, kind, valid } = scheme;
  afterKeyword.lastIndex = 0;
  for (let match = afterKeyword.exec(text); match; match = afterKeyword.exec(text)) {
    const reference = match[1]!.replaceAll(' ', '');
    if (valid(reference)) found.push({ at: match.index, kind, value: reference });
  }
  if (!scheme.applies(context)) return;
  const whole = scheme.wholeText.exec(text)?.[1]?.replaceAll(' ', '');
  if (whole && valid(whole)) found.push({ at: 0, kind, value: whole });
}
