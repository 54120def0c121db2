import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { foldName, normaliseName } from '../../matching/names.js';

describe('normaliseName', () => {
  test.each([
    ['Müller & Söhne KG', 'muller and sohne'],
    ['MULLER & SOHNE', 'muller and sohne'],
    ['AB Volvo', 'volvo'],
    ['Oy Karl Fazer Ab', 'karl fazer'],
    ['Ørsted Salg & Service A/S', 'orsted salg and service'],
    ['Café Ørsted ApS', 'cafe orsted'],
    ['Łukasiewicz Sp. z o.o.', 'lukasiewicz'],
    ['Boligselskabet Ærø & Co.', 'boligselskabet aero'],
    ['Jürgen Groß', 'jurgen gross'],
    ['Åsa Nyström', 'asa nystrom'],
    ['Spotify AB', 'spotify'],
    ['Nordlicht Handel ApS', 'nordlicht handel'],
    ['Fjordkraft Logistik AS', 'fjordkraft logistik'],
    ['Equinor ASA', 'equinor'],
    ['Kesko Oyj', 'kesko'],
    ['Lagerhaus Nord GmbH & Co. KG', 'lagerhaus nord'],
    ['Hansen e.K.', 'hansen'],
    ['Sportverein Nord e.V.', 'sportverein nord'],
    ['Acme Widgets Ltd.', 'acme widgets'],
    ['Acme Widgets Limited', 'acme widgets'],
    ['ACME WIDGETS PLC', 'acme widgets'],
    ['Philips B.V.', 'philips'],
    ['Philips BV', 'philips'],
    ['Société Générale Câblage S.A.', 'societe generale cablage'],
    ['Fiat S.p.A.', 'fiat'],
    ['Dupont SARL', 'dupont'],
    ['Widgets, Inc.', 'widgets'],
    ['Widgets LLC', 'widgets'],
    ['  DHL   Express-Danmark  ', 'dhl express danmark'],
  ])('%j is %j', (name, normalised) => {
    expect(normaliseName(name)).toBe(normalised);
  });

  test('removes legal forms only as whole words at the ends of the name', () => {
    expect(normaliseName('Asgaard Agnes Sabine')).toBe('asgaard agnes sabine');
    expect(normaliseName('Gmbhaus')).toBe('gmbhaus');
    expect(normaliseName('Åsa Nyström')).toBe('asa nystrom');
    expect(normaliseName('Per AS Hansen')).toBe('per as hansen');
  });

  test('keeps a name that is nothing but legal forms', () => {
    expect(normaliseName('AS')).toBe('as');
    expect(normaliseName('A/S B.V.')).toBe('a s b v');
  });

  test('removes legal forms until none is left at either end', () => {
    expect(normaliseName('Hansen Holding ApS A/S')).toBe('hansen holding');
    expect(normaliseName('AB Hansen Oy')).toBe('hansen');
  });

  const anyName = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 40 }), fc.string({ unit: 'binary', maxLength: 40 }));

  test('is idempotent', () => {
    fc.assert(
      fc.property(anyName, (name) => {
        expect(normaliseName(normaliseName(name))).toBe(normaliseName(name));
        expect(foldName(foldName(name))).toBe(foldName(name));
      }),
      { numRuns: 2000 },
    );
  });

  // Words of plain letters that are no legal form themselves, then written the ways banks write them.
  const letters = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzäöüåøæéèçñßł');
  const word = fc.string({ unit: letters, minLength: 4, maxLength: 10 }).filter((text) => normaliseName(text) === foldName(text));
  const words = fc.array(word, { minLength: 1, maxLength: 4 }).map((list) => list.join(' '));

  test('is the same whatever the case', () => {
    fc.assert(
      fc.property(words, (name) => {
        expect(normaliseName(name.toUpperCase())).toBe(normaliseName(name));
      }),
    );
  });

  test('is the same with accents and special letters spelled in ASCII', () => {
    const ascii = (name: string) =>
      name.replace(/[äöüåéèç]/g, (letter) => letter.normalize('NFD')[0]!).replace(/ø/g, 'o').replace(/æ/g, 'ae').replace(/ß/g, 'ss').replace(/ł/g, 'l').replace(/ñ/g, 'n');
    fc.assert(
      fc.property(words, (name) => {
        expect(normaliseName(ascii(name))).toBe(normaliseName(name));
      }),
    );
  });

  test('is the same with or without a legal form (at the end, or one written first at the start), with any punctuation around it', () => {
    const prefix = fc.constantFrom('AB', 'Oy', 'Oyj', 'A/S', 'UAB', 'SIA');
    const form = fc.constantFrom('ApS', 'A/S', 'AB', 'AS', 'ASA', 'Oy', 'Oyj', 'GmbH', 'AG', 'KG', 'e.K.', 'e.V.', 'Ltd', 'Ltd.', 'Limited', 'PLC', 'BV', 'B.V.', 'NV', 'SARL', 'SAS', 'SA', 'Sp. z o.o.', 'S.p.A.', 'Inc.', 'LLC', '& Co.', 'GmbH & Co. KG');
    const separator = fc.constantFrom(' ', ', ', ' - ', '  ');
    fc.assert(
      fc.property(words, form, prefix, separator, (name, legal, first, between) => {
        expect(normaliseName(`${name}${between}${legal}`)).toBe(normaliseName(name));
        expect(normaliseName(`${first}${between}${name}`)).toBe(normaliseName(name));
      }),
    );
  });
});
