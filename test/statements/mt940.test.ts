import { describe, expect, test } from 'vitest';
import { checkBalances, BalanceTally } from '../../statements/index.js';
import { entriesOf, fixture, formatError, inChunks, parseAll } from './helpers.js';

const GERMAN = fixture('mt940-german-swift.sta');
const DUTCH = fixture('mt940-dutch-plain.txt');

/** A plain MT940 message around `fields` (the lines after the opening balance). */
function mt940(fields: string, { opening = ':60F:C240101EUR100,00' } = {}): string {
  return `:20:REF1\n:25:DE89370400440532013000\n:28C:1/1\n${opening}\n${fields}\n-\n`;
}

describe('MT940 of a German bank in SWIFT blocks, with ?-subfields', () => {
  test('two messages, each a statement; the account as BLZ/account number', async () => {
    const events = await parseAll(GERMAN);
    expect(events.map((event) => event.kind)).toEqual([
      'file', 'statement', 'entry', 'entry', 'entry', 'entry', 'entry', 'statementEnd', 'statement', 'entry', 'statementEnd',
    ]);
    expect(events[0]).toEqual({ kind: 'file', format: 'mt940' });
    expect(events[1]).toEqual({
      kind: 'statement',
      statement: {
        statementId: 'STARTUMS/00001/001', sequenceNumber: '00001/001',
        account: { otherId: '37040044/0532013000', currency: 'EUR' },
        openingBalance: { amount: '1234.56', currency: 'EUR', date: '2023-12-28' },
      },
    });
    expect(events[7]).toEqual({
      kind: 'statementEnd',
      closingBalance: { amount: '1469.56', currency: 'EUR', date: '2024-01-03' },
      closingAvailableBalance: { amount: '1469.56', currency: 'EUR', date: '2024-01-03' },
      dialects: ['swift-blocks', 'german-86'],
    });
    expect(events[8]).toMatchObject({ statement: { statementId: 'STARTUMS/00002/001' } });
    expect(events[10]).toEqual({ kind: 'statementEnd', closingBalance: { amount: '0', currency: 'EUR', date: '2024-01-04' }, dialects: ['swift-blocks', 'german-86'] });
  });

  test('a SEPA credit: funds code, bank reference after //, GVC, EREF, SVWZ purpose across ?2x subfields, name and IBAN', async () => {
    expect(entriesOf(await parseAll(GERMAN))[0]).toEqual({
      status: 'booked', bookingDate: '2023-12-29', valueDate: '2023-12-29', amount: '250', currency: 'EUR', bankReference: 'BANKREF0001',
      endToEndId: 'INV-2023-99', counterpartyName: 'Kunde AG', counterpartyIban: 'DE02120300000000202051',
      remittanceInformation: 'Rechnung 2023-99 vom 15.12.2023', bankTransactionCode: 'NMSC+166', reversal: false, location: 'line 6',
    });
  });

  test('the entry date rolls over New Year both ways; subfields wrapped across lines join without a gap', async () => {
    const [, debit, returned, storno] = entriesOf(await parseAll(GERMAN));
    expect(debit).toMatchObject({ valueDate: '2023-12-29', bookingDate: '2024-01-02', amount: '-89.9', counterpartyName: 'Stadtwerke Musterstadt Versorgung GmbH', remittanceInformation: 'Abschlag Januar Strom', endToEndId: 'DD-7788' });
    expect(storno).toMatchObject({ valueDate: '2024-01-03', bookingDate: '2023-12-29' });
    expect(returned!.bookingDate).toBe('2024-01-02');
  });

  test('RD (reversed debit) is a credit and RC (reversed credit) a debit, both marked as reversals', async () => {
    const [, , returned, storno] = entriesOf(await parseAll(GERMAN));
    expect(returned).toMatchObject({ amount: '89.9', reversal: true, bankTransactionCode: 'N109+109', counterpartyName: 'Stadtwerke Musterstadt' });
    expect(storno).toMatchObject({ amount: '-15', reversal: true, counterpartyName: 'Kunde AG', remittanceInformation: 'Storno Gutschrift vom 29.12.' });
  });

  test('an entry without :86: and without bank reference; a statement-level :86: after the closing balance is not an entry', async () => {
    const entries = entriesOf(await parseAll(GERMAN));
    expect(entries[4]).toEqual({ status: 'booked', bookingDate: '2024-01-03', valueDate: '2024-01-03', amount: '0', currency: 'EUR', bankTransactionCode: 'NTRF', reversal: false, location: 'line 17' });
    expect(entries).toHaveLength(6);
  });

  test('the balances add up', async () => {
    const tally = new BalanceTally();
    for (const event of await parseAll(GERMAN)) tally.add(event);
    expect(checkBalances(tally.statements).every((result) => result.checked && result.ok)).toBe(true);
  });
});

describe('MT940 of a Dutch bank, plain, with /CODE/ subfields', () => {
  test('preamble lines, IBAN with currency suffix, intermediate balances :60M:/:62M: over two pages', async () => {
    const events = await parseAll(DUTCH);
    const statements = events.flatMap((event) => (event.kind === 'statement' ? [event.statement] : []));
    expect(statements).toEqual([
      { statementId: 'ABN AMRO BANK NV/00042/1', sequenceNumber: '00042/1', account: { iban: 'NL91ABNA0417164300', currency: 'EUR' }, openingBalance: { amount: '5000', currency: 'EUR', date: '2024-03-15' } },
      { statementId: 'ABN AMRO BANK NV/00042/2', sequenceNumber: '00042/2', account: { iban: 'NL91ABNA0417164300', currency: 'EUR' }, openingBalance: { amount: '6455', currency: 'EUR', date: '2024-03-15' } },
    ]);
    const tally = new BalanceTally();
    for (const event of events) tally.add(event);
    expect(checkBalances(tally.statements).map((result) => result.ok)).toEqual([true, true]);
  });

  test('slash codes: NAME, IBAN, REMI wrapped mid-word, EREF; nested ORDP/BENM names; CNTP by position; free text', async () => {
    const [credit, debit, refund, interest] = entriesOf(await parseAll(DUTCH));
    expect(credit).toMatchObject({ amount: '1500', counterpartyName: 'Acme B.V.', counterpartyIban: 'NL69INGB0123456789', remittanceInformation: 'Factuur 2024-031 betaling', endToEndId: 'E2E-031', bankReference: '0315A001' });
    expect(debit).toMatchObject({ amount: '-45', counterpartyName: 'Energie Leverancier NV', remittanceInformation: 'Termijn maart', bankReference: '0315A002' });
    expect(debit!.endToEndId).toBeUndefined();
    expect(refund).toMatchObject({ amount: '-200', counterpartyName: 'J. Jansen', counterpartyIban: 'NL02ABNA0123456789', remittanceInformation: 'Terugbetaling lening' });
    expect(refund!.bankReference).toBeUndefined();
    expect(interest).toMatchObject({ amount: '12.34', remittanceInformation: 'RENTE 1E KWARTAAL 2024 BETAALD OP SPAARREKENING' });
  });
});

describe('layouts and encodings', () => {
  test('CRLF line endings and any chunking read the same', async () => {
    const lf = await parseAll(GERMAN);
    expect(await parseAll(Buffer.from(GERMAN.toString('latin1').replaceAll('\n', '\r\n'), 'latin1'))).toEqual(lf);
    for (const size of [1, 3, 100]) expect(await parseAll(inChunks(GERMAN, size))).toEqual(lf);
  });

  test('messages that follow each other without "-" (each :20: starts the next)', async () => {
    const text = `${mt940(':61:240102C5,00NTRFNONREF\n:62F:C240102EUR105,00').replace('\n-\n', '\n')}${mt940(':62F:C240102EUR105,00', { opening: ':60F:C240102EUR105,00' })}`;
    const events = await parseAll(text);
    expect(events.map((event) => event.kind)).toEqual(['file', 'statement', 'entry', 'statementEnd', 'statement', 'statementEnd']);
  });

  test('Latin-1 and UTF-8 umlauts are both read right', async () => {
    const text = mt940(':61:240102C5,00NTRFNONREF\n:86:166?20Gebühr für März?32Müller\n:62F:C240102EUR105,00');
    for (const bytes of [Buffer.from(text, 'utf8'), Buffer.from(text, 'latin1')]) {
      expect(entriesOf(await parseAll(bytes))[0]).toMatchObject({ remittanceInformation: 'Gebühr für März', counterpartyName: 'Müller' });
    }
  });

  test('a file that mixes UTF-8 and Latin-1 is refused at the line where the encoding changes', async () => {
    const first = Buffer.from(':20:REF1\n:25:DE89370400440532013000\n:60F:C240101EUR100,00\n:61:240102C5,00NTRFNONREF\n:86:Grüße\n', 'utf8');
    const rest = Buffer.from(':61:240102C5,00NTRFNONREF\n:86:Grüße\n:62F:C240102EUR110,00\n', 'latin1');
    const error = await formatError(Buffer.concat([first, rest]));
    expect(error).toMatchObject({ line: 7, location: 'line 7' });
    expect(error.message).toMatch(/byte 0xFC is not valid UTF-8 after UTF-8 text earlier in the file/);
  });

  test('a message without :28C: takes its id from :20: alone; :21: and :NS: are skipped', async () => {
    const events = await parseAll(':20:ONLYREF\n:21:NONREF\n:25:DE89370400440532013000\n:NS:22Kontoname\n:60F:D240101EUR1,\n:62F:D240101EUR1,\n');
    expect(events[1]).toEqual({ kind: 'statement', statement: { statementId: 'ONLYREF', account: { iban: 'DE89370400440532013000', currency: 'EUR' }, openingBalance: { amount: '-1', currency: 'EUR', date: '2024-01-01' } } });
  });

  test('supplementary details stand in for a missing :86:', async () => {
    const entry = entriesOf(await parseAll(mt940(':61:240102D5,00NMSCOWNREF//BANK1\nKartenzahlung Bäckerei\n:62F:C240102EUR95,00')))[0];
    expect(entry).toMatchObject({ bankReference: 'BANK1', remittanceInformation: 'Kartenzahlung Bäckerei', amount: '-5' });
  });
});

describe('what MT940 files are refused, with the line and why', () => {
  const cases: [string, string, RegExp, number][] = [
    ['a value date that does not exist', mt940(':61:240230C5,00NTRFNONREF\n:62F:C240102EUR105,00'), /:61: "240230" is not a date: expected YYMMDD/, 5],
    ['an entry date that does not exist', mt940(':61:2401021332C5,00NTRFNONREF\n:62F:C240102EUR105,00'), /entry date "1332" is not a date/, 5],
    ['an amount with a decimal point', mt940(':61:240102C5.00NTRFNONREF\n:62F:C240102EUR105,00'), /:61: "240102C5\.00NTRFNONREF" is not a statement line/, 5],
    ['an amount without a decimal comma', mt940(':62F:C240102EUR105'), /:62F: "105" is not an amount: expected digits with one decimal comma/, 5],
    [
      'a month written in letters',
      mt940(':61:24JAN02C5,00NTRFNONREF\n:62F:C240102EUR105,00'),
      /:61: the value date "24JAN02" has its month in letters \("JAN" in columns 7-9\): expected the value date as six digits YYMMDD in columns 5-10, such as 240102 for 2 January 2024; .* YYMMMDD or DDMMMYY cannot be told/,
      5,
    ],
    ['a month in letters after a blank', mt940(':61: 02JAN24D5,00NTRFNONREF\n:62F:C240102EUR95,00'), /the value date "02JAN24" has its month in letters \("JAN" in columns 8-10\): expected the value date as six digits YYMMDD in columns 6-11/, 5],
    ['another character in the value date', mt940(':61:2401O2C5,00NTRFNONREF\n:62F:C240102EUR105,00'), /:61: the value date "2401O2" has "O" in column 9: expected the value date as six digits YYMMDD in columns 5-10/, 5],
    ['an unknown mark', mt940(':61:240102X5,00NTRFNONREF\n:62F:C240102EUR105,00'), /is not a statement line: expected value date YYMMDD, optional entry date MMDD, mark C\/D\/RC\/RD/, 5],
    ['an MT942 mark', mt940(':61:240102EC5,00NTRFNONREF\n:62F:C240102EUR105,00'), /mark EC \(expected, not booked\) belongs to MT942/, 5],
    ['a malformed balance', mt940(':62F:X240102EUR105,00'), /:62F: "X240102EUR105,00" is not a balance/, 5],
    ['a balance in another currency', mt940(':62F:C240102USD105,00'), /:62F: balance in USD in a statement in EUR/, 5],
    ['a :61: with three lines', mt940(':61:240102C5,00NTRFNONREF\nline two\nline three\n:62F:C240102EUR105,00'), /:61: has 3 lines/, 5],
    ['a truncated file without closing balance', ':20:REF1\n:25:DE89370400440532013000\n:60F:C240101EUR100,00\n:61:240102C5,00NTRFNONREF\n', /the statement :20:REF1 has no closing balance: expected :62F: or :62M: \(truncated file\?\)/, 1],
    ['an entry before the opening balance', ':20:REF1\n:25:DE89370400440532013000\n:61:240102C5,00NTRFNONREF\n:62F:C240102EUR105,00\n', /:61: comes before the opening balance/, 3],
    ['no account', ':20:REF1\n:60F:C240101EUR100,00\n:62F:C240102EUR105,00\n', /:62F: comes before the account :25:/, 3],
    ['an opening balance after entries', mt940(':61:240102C5,00NTRFNONREF\n:60F:C240101EUR100,00\n:62F:C240102EUR105,00'), /:60F: the opening balance comes after entries/, 6],
    ['an entry after the closing balance', mt940(':62F:C240102EUR100,00\n:61:240102C5,00NTRFNONREF'), /:61: comes after the closing balance/, 6],
    ['a field before any :20:', ':25:DE89370400440532013000\n:20:REF1\n', /:25: comes before any :20:/, 1],
    ['an unknown field', mt940(':99:what\n:62F:C240102EUR100,00'), /:99: is not an MT940 or MT942 field/, 5],
    ['MT942 sums in an MT940 message', mt940(':90D:0EUR0,\n:62F:C240102EUR100,00'), /:90D: sums of entries belong to MT942 interim reports/, 5],
    ['an MT942 floor limit after entries', mt940(':61:240102C5,00NTRFNONREF\n:34F:EUR0,\n:62F:C240102EUR105,00'), /:34F: the floor limit comes after entries/, 6],
    ['an account after the entries (late :25:)', mt940(':61:240102C5,00NTRFNONREF\n:25:DE02120300000000202051\n:62F:C240102EUR105,00'), /:25: the account comes after the entries of the statement :20:REF1/, 6],
    ['a second account in one message', ':20:REF1\n:25:DE89370400440532013000\n:25:DE02120300000000202051\n:60F:C240101EUR100,00\n:62F:C240101EUR100,00\n', /:25: a second account in the statement :20:REF1/, 3],
    ['a statement number with a second line of text', ':20:R\n:25:DE89370400440532013000\n:28C:00001/001\nAuszug\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n', /:28C: the statement number continues on a second line \("Auszug"\)/, 3],
    ['a balance spread over two lines', mt940(':62F:C240102EUR\n100,00'), /:62F: the balance continues on a second line/, 5],
    ['a SWIFT block without its end', '{1:F01X}{2:O940}{4:\n:20:REF1\n:25:DE89370400440532013000\n:60F:C240101EUR100,00\n:62F:C240102EUR100,00\n', /the file ends inside a SWIFT block 4: expected "-}"/, 5],
    ['"-}" without a block', `${mt940(':62F:C240102EUR100,00').replace('\n-\n', '\n')}-}\n`, /"-}" closes a SWIFT block 4 that was not opened/, 6],
    ['a line of text outside a message that looks like an end', `${mt940(':62F:C240102EUR100,00')}--- end ---\n`, /"--- end ---" outside a field/, 7],
    ['an empty :20:', ':20:\n:25:X\n:60F:C240101EUR1,\n:62F:C240101EUR1,\n', /:20: the transaction reference is empty/, 1],
    ['a file without any message', 'just some text\n', /no MT940 statement found: expected a message starting with :20:/, 1],
  ];
  test.each(cases)('%s', async (_name, text, message, line) => {
    const error = await formatError(text, { format: 'mt940' });
    expect(error.message).toMatch(message);
    expect(error.line).toBe(line);
    expect(error.location).toBe(`line ${line}`);
    expect(error.message.startsWith(`line ${line}: `)).toBe(true);
  });
});
