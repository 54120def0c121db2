/**
 * Names of companies and people as banks and ledgers write them, reduced to what says who they
 * are: "Müller & Söhne KG", "MUELLER & SOEHNE" and "Müller & Söhne" are one party to a ledger.
 */

/** Letters that Unicode does not decompose into a base letter and a mark, as banks write them in ASCII. */
const LETTERS: Record<string, string> = { ø: 'o', æ: 'ae', œ: 'oe', ß: 'ss', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i', ŀ: 'l', ħ: 'h' };
const UNDECOMPOSED = new RegExp(`[${Object.keys(LETTERS).join('')}]`, 'g');

/**
 * Legal forms, as the words they become once punctuation is gone ("A/S" is "a s", "Sp. z o.o." is
 * "sp z o o"). They are removed as whole words at the end of a name, where they are written;
 * only the few that are also written first ("AB Volvo", "Oy Karl Fazer Ab", "UAB Maxima") at its
 * start. Never inside: "Åsa Nyström" is a person, not a Norwegian ASA.
 */
const LEGAL_FORMS = words([
  // Nordic
  'aps', 'a s', 'as', 'asa', 'ab', 'publ', 'ab publ', 'oy', 'oyj', 'ab oy', 'oy ab', 'i s', 'k s', 'p s', 'ivs', 'amba', 'a m b a', 'smba', 'fmba', 'ans',
  // German-speaking
  'gmbh', 'mbh', 'ag', 'kg', 'kgaa', 'ohg', 'gbr', 'ug', 'ug haftungsbeschrankt', 'e k', 'e kfm', 'e kfr', 'e v', 'gmbh and co kg', 'and co kg', 'and co', 'co kg',
  // English-speaking
  'ltd', 'limited', 'plc', 'llp', 'inc', 'incorporated', 'corp', 'corporation', 'llc', 'l l c', 'co ltd', 'pty ltd', 'pty',
  // Benelux, French, Southern and Eastern Europe
  'bv', 'b v', 'nv', 'n v', 'vof', 'bvba', 'sprl', 'sarl', 's a r l', 'sas', 's a s', 'sa', 's a', 'snc', 'eurl', 'se', 'spa', 's p a', 'srl', 's r l',
  'sp z o o', 'spolka z o o', 's r o', 'sro', 'kft', 'zrt', 'nyrt', 'd o o', 'doo', 'uab', 'sia',
]);
const PREFIX_FORMS = words(['ab', 'oy', 'oyj', 'ab oy', 'oy ab', 'a s', 'uab', 'sia']);

/** Forms as word lists, the longest first: "gmbh and co kg" goes whole, not "kg" leaving "gmbh and co" behind. */
function words(forms: string[]): string[][] {
  return forms.map((form) => form.split(' ')).sort((a, b) => b.length - a.length);
}

/** Case folded, accents and marks gone, special letters spelled in ASCII, every run of anything but letters and digits one space. */
export function foldName(name: string): string {
  // Most bank texts are plain ASCII: no Unicode normalisation needed. Otherwise decomposed before
  // and after lower-casing, since either can make what the other has to undo ("ℌ" is "H", "İ" is "i" and a dot).
  const folded = /^[\x20-\x7e]*$/.test(name)
    ? name.toLowerCase()
    : name
        .normalize('NFKD')
        .toLowerCase()
        .normalize('NFKD')
        .replace(/\p{M}/gu, '')
        .replace(UNDECOMPOSED, (letter) => LETTERS[letter]!);
  return folded
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** How many words at the end of `words` (at the start with `atStart`) are one of `forms`: 0 for none. */
function formLength(words: readonly string[], forms: readonly string[][], atStart: boolean): number {
  const form = forms.find((candidate) => {
    const offset = atStart ? 0 : words.length - candidate.length;
    return offset >= 0 && candidate.length <= words.length && candidate.every((word, i) => words[offset + i] === word);
  });
  return form?.length ?? 0;
}

/**
 * The name a party is recognised by: folded (see foldName) and without its legal forms, removed
 * from the ends until none is left there ("… GmbH & Co. KG", "Oy … Ab"). A name that is nothing
 * but legal forms keeps them: "AS" is then all there is to go by.
 */
export function normaliseName(name: string): string {
  const folded = foldName(name);
  let words = folded.split(' ').filter(Boolean);
  for (;;) {
    const atEnd = formLength(words, LEGAL_FORMS, false);
    const atStart = formLength(words, PREFIX_FORMS, true);
    if (atEnd === 0 && atStart === 0) break;
    words = words.slice(atStart, words.length - atEnd);
  }
  return words.length > 0 ? words.join(' ') : folded;
}

/** Counterparty names repeat (the same customers, shops and employer): their normalised forms are remembered, up to a bound. */
const remembered = new Map<string, string>();
const REMEMBERED_NAMES = 10_000;

/** normaliseName, remembered. */
export function normalisedName(name: string): string {
  let normalised = remembered.get(name);
  if (normalised === undefined) {
    if (remembered.size >= REMEMBERED_NAMES) remembered.clear();
    normalised = normaliseName(name);
    remembered.set(name, normalised);
  }
  return normalised;
}
