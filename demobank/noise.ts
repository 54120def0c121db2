/**
 * How a bank spells a counterparty: real banks report one party many ways (upper case, the SEPA
 * character set, without the legal form, cut at a legacy field's 35 or 70 characters with the
 * address run on, a card terminal's name and town), drop the IBAN on card payments and now and
 * then the IBAN or the name on a transfer. Each choice comes from the entry's own Random, so a
 * day stays a pure function of (seed, account, day) and most entries stay cleanly named.
 */
import { isParty, type Counterparty } from './parties.js';
import type { Random } from './random.js';

/** How an entry names its counterparty: cards by terminal, transfers by the payer's or payee's account, bank charges not at all. */
export type NameChannel = 'card' | 'transfer' | 'none';

/** The counterparty as the bank reports it on one entry. */
export interface ReportedCounterparty {
  name?: string;
  iban?: string;
}

/** Legal forms as they end company names, longest first so that "Sp. z o.o." goes before "o.o.". */
const LEGAL_FORM = /[\s,]+(?:Sp\. z o\.o\.|Aktiebolag \(publ\)|& Co\.|GmbH|SARL|ApS|A\/S|AS|AB|KG|SE)$/i;

export function withoutLegalForm(name: string): string {
  return name.replace(LEGAL_FORM, '');
}

/** Letters the Unicode decomposition leaves alone, as banks spell them in ASCII. */
const LETTERS: Record<string, string> = { Ø: 'O', ø: 'o', Æ: 'AE', æ: 'ae', Œ: 'OE', œ: 'oe', ß: 'ss', Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', '’': "'" };

/** The name in the SEPA character set: accents stripped, other scripts dropped (a name of nothing else stays as it was). */
export function transliterate(name: string): string {
  const ascii = name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^\x20-\x7e]/g, (char) => LETTERS[char] ?? ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return ascii || name;
}

/** A person as a Nordic bank's list shows them: surname first. */
const surnameFirst = (name: string) => name.split(' ').reverse().join(' ');

/** The name and address run together in a legacy field of `width` characters, upper case in the SEPA character set. */
const legacyField = (counterparty: Counterparty, width: 35 | 70) =>
  transliterate([counterparty.name, counterparty.address].filter(Boolean).join(' ')).toUpperCase().slice(0, width).trim();

/** A way of spelling a counterparty: one name, or several for the entry's Random to pick from. */
type Spelling = [weight: number, spell: (counterparty: Counterparty) => string | readonly string[]];

const asRegistered: Spelling[1] = (c) => c.name;
const upper: Spelling[1] = (c) => c.name.toUpperCase();
const sepaUpper: Spelling[1] = (c) => transliterate(c.name).toUpperCase();

/** Most transfers name the party as it calls itself; the rest in one of the ways banks mangle names. */
const TRANSFER_SPELLINGS: Spelling[] = [
  [55, asRegistered],
  [13, upper],
  [8, sepaUpper],
  [7, (c) => (isParty(c) && c.kind === 'employee' ? surnameFirst(c.name) : withoutLegalForm(c.name))],
  [5, (c) => c.otherNames ?? c.name],
  [7, (c) => legacyField(c, 35)],
  [5, (c) => legacyField(c, 70)],
];

/** Card payments name the shop as its terminal prints it about a third of the time. */
const CARD_SPELLINGS: Spelling[] = [
  [45, asRegistered],
  [15, upper],
  [10, sepaUpper],
  [30, (c) => c.terminals ?? sepaUpper(c)],
];

/** Of transfers, how many come without the counterparty's IBAN, and (of those with one) without a name. */
export const IBAN_MISSING = 0.08;
export const NAME_MISSING = 0.05;

/** Each counterparty's spellings, worked out once: the generator asks for them on every entry. */
const spelled = new Map<readonly Spelling[], WeakMap<Counterparty, (string | readonly string[])[]>>();

function spell(spellings: readonly Spelling[], counterparty: Counterparty, random: Random): string {
  const cache = spelled.get(spellings) ?? spelled.set(spellings, new WeakMap()).get(spellings)!;
  const names = cache.get(counterparty) ?? cache.set(counterparty, spellings.map(([, spelling]) => spelling(counterparty))).get(counterparty)!;
  let ticket = random.next() * spellings.reduce((sum, [weight]) => sum + weight, 0);
  for (const [index, [weight]] of spellings.entries()) {
    ticket -= weight;
    if (ticket < 0) {
      const name = names[index]!;
      return typeof name === 'string' ? name : random.pick(name);
    }
  }
  return counterparty.name;
}

/** The name and IBAN the bank shows for the counterparty on one entry (never neither on a transfer). */
export function reportCounterparty(counterparty: Counterparty, channel: NameChannel, random: Random): ReportedCounterparty {
  if (channel === 'none') return {};
  if (channel === 'card') return { name: spell(CARD_SPELLINGS, counterparty, random) };
  const name = spell(TRANSFER_SPELLINGS, counterparty, random);
  if (!counterparty.iban || random.chance(IBAN_MISSING)) return { name };
  return random.chance(NAME_MISSING) ? { iban: counterparty.iban } : { name, iban: counterparty.iban };
}
