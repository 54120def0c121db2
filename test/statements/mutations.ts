/** Seeded, deterministic mutations of statement files for the fuzz tests. */

export type Random = () => number;

/** mulberry32: a small seeded generator, so every run mutates the same way. */
export function seededRandom(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const below = (random: Random, limit: number) => Math.floor(random() * limit);
const pick = <T>(random: Random, items: readonly T[]): T => items[below(random, items.length)]!;

const GARBAGE = ['<', '>', '&', '"', "'", '/', ':', ';', ',', '.', '-', '+', '\n', '\r\n', '\t', ' ', '?', '{', '}', '\u0000', '\u0001', 'é', '€', '\uFFFD', '\uD800', '0', '9', 'A', 'z', '&amp;', '&#0;', '<!--', ']]>', '""'];

type TextMutation = (text: string, random: Random) => string;

function lines(text: string): string[] {
  return text.split('\n');
}

const textMutations: TextMutation[] = [
  // a character replaced
  (text, random) => {
    const at = below(random, text.length);
    return text.slice(0, at) + pick(random, GARBAGE) + text.slice(at + 1);
  },
  // truncated
  (text, random) => text.slice(0, below(random, text.length)),
  // a line deleted, duplicated, or two swapped
  (text, random) => {
    const all = lines(text);
    all.splice(below(random, all.length), 1);
    return all.join('\n');
  },
  (text, random) => {
    const all = lines(text);
    const at = below(random, all.length);
    all.splice(at, 0, all[at]!);
    return all.join('\n');
  },
  (text, random) => {
    const all = lines(text);
    const [a, b] = [below(random, all.length), below(random, all.length)];
    [all[a], all[b]] = [all[b]!, all[a]!];
    return all.join('\n');
  },
  // two neighbouring digits swapped, or a digit changed
  (text, random) => {
    const digits = [...text.matchAll(/\d\d/g)];
    if (digits.length === 0) return text;
    const at = pick(random, digits).index;
    return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
  },
  (text, random) => {
    const digits = [...text.matchAll(/\d/g)];
    if (digits.length === 0) return text;
    const at = pick(random, digits).index;
    return text.slice(0, at) + String(below(random, 10)) + text.slice(at + 1);
  },
  // garbage inserted
  (text, random) => {
    const at = below(random, text.length + 1);
    const garbage = Array.from({ length: 1 + below(random, 4) }, () => pick(random, GARBAGE)).join('');
    return text.slice(0, at) + garbage + text.slice(at);
  },
  // a stretch deleted
  (text, random) => {
    const at = below(random, text.length);
    return text.slice(0, at) + text.slice(at + 1 + below(random, 40));
  },
];

/** Replaces one occurrence of a token with another token of the same format. */
function tokenSwap(tokens: string[]): TextMutation {
  return (text, random) => {
    const from = pick(random, tokens);
    const occurrences = [...text.matchAll(new RegExp(from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'g'))];
    if (occurrences.length === 0) return text;
    const at = pick(random, occurrences).index;
    return text.slice(0, at) + pick(random, tokens) + text.slice(at + from.length);
  };
}

const ELEMENT = /<((?:\w+:)?\w+)[^>]*>[^<]*<\/\1>/g;

const xmlMutations: TextMutation[] = [
  // a leaf element deleted or duplicated
  (text, random) => {
    const leaves = [...text.matchAll(ELEMENT)];
    if (leaves.length === 0) return text;
    const leaf = pick(random, leaves);
    return text.slice(0, leaf.index) + text.slice(leaf.index + leaf[0].length);
  },
  (text, random) => {
    const leaves = [...text.matchAll(ELEMENT)];
    if (leaves.length === 0) return text;
    const leaf = pick(random, leaves);
    return text.slice(0, leaf.index) + leaf[0] + text.slice(leaf.index);
  },
  // a whole entry deleted or duplicated (still well-formed)
  (text, random) => {
    const entries = [...text.matchAll(/<(\w+:)?Ntry>[\s\S]*?<\/(\w+:)?Ntry>/g)];
    if (entries.length === 0) return text;
    const entry = pick(random, entries);
    return random() < 0.5 ? text.slice(0, entry.index) + text.slice(entry.index + entry[0].length) : text.slice(0, entry.index) + entry[0] + text.slice(entry.index);
  },
  // a leaf's value replaced by a value of another kind
  (text, random) => {
    const leaves = [...text.matchAll(ELEMENT)];
    if (leaves.length === 0) return text;
    const leaf = pick(random, leaves);
    const value = pick(random, ['', ' ', '1.5', '-3', '1,5', '2024-02-30', '2024-13-01', 'CRDT', 'DBIT', 'BOOK', 'PDNG', 'XXX', 'true', '9999999999999999999', 'DE89370400440532013000']);
    return text.slice(0, leaf.index) + leaf[0].replace(/>[^<]*</, `>${value}<`) + text.slice(leaf.index + leaf[0].length);
  },
  tokenSwap(['Ntry', 'TxDtls', 'Stmt', 'Bal', 'Amt', 'Dbtr', 'Cdtr', 'Sts', 'Cd', 'Dt', 'DtTm', 'CRDT', 'DBIT', 'BOOK', 'PDNG', 'INFO', 'OPBD', 'CLBD', 'Ccy="EUR"', 'Ccy="USD"']),
];

const mt940Mutations: TextMutation[] = [
  tokenSwap([':20:', ':21:', ':25:', ':28C:', ':60F:', ':60M:', ':61:', ':86:', ':62F:', ':62M:', ':64:', ':65:', ':13D:', ':NS:', '-}', '{4:', '-']),
  tokenSwap(['C', 'D', 'RC', 'RD', 'EC', 'N', 'EUR', ',', '//', 'NONREF', '?20', '?21', '?31', '?32', '/NAME/', '/REMI/', '/IBAN/', 'SVWZ+', 'EREF+']),
];

const mt942Mutations: TextMutation[] = [
  tokenSwap([':20:', ':25:', ':28C:', ':34F:', ':13D:', ':61:', ':86:', ':90D:', ':90C:', ':60F:', ':62F:', '-']),
  tokenSwap(['C', 'D', 'EC', 'ED', 'RC', 'RD', 'EUR', ',', '//', 'NONREF', '+0200', '?20', '?31', '?32', 'SVWZ+', 'EREF+']),
];

const csvMutations: TextMutation[] = [tokenSwap([';', ',', '"', '""', '\n', '.', '-', '+', '/', '\t'])];

function mutate(text: string, random: Random, specific: TextMutation[]): string {
  let mutated = text;
  const count = 1 + below(random, 3);
  for (let round = 0; round < count; round++) mutated = pick(random, random() < 0.5 ? specific : textMutations)(mutated, random);
  return mutated;
}

export const mutations = {
  xml: (text: string, random: Random) => mutate(text, random, xmlMutations),
  mt940: (text: string, random: Random) => mutate(text, random, mt940Mutations),
  mt942: (text: string, random: Random) => mutate(text, random, mt942Mutations),
  csv: (text: string, random: Random) => mutate(text, random, csvMutations),
};

/** Byte-level damage after the text mutations: flipped bytes, or the text in another encoding. */
export function mutateBytes(text: string, random: Random): Buffer {
  const choice = below(random, 6);
  if (choice === 0) return Buffer.from(text, 'latin1');
  if (choice === 1) return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  if (choice === 2) return Buffer.from(text, 'utf16le');
  const bytes = Buffer.from(text, 'utf8');
  if (choice === 3 && bytes.length > 0) {
    for (let flips = 1 + below(random, 3); flips > 0; flips--) bytes[below(random, bytes.length)] = below(random, 256);
  }
  return bytes;
}
