import { describe, expect, test } from 'vitest';
import { checkBalances, BalanceTally, type StatementEvent } from '../../statements/index.js';
import { entriesOf, fixture, formatError, inChunks, parseAll } from './helpers.js';

/** MT940 as banks write it: one fixture per dialect, each written for bankfeed from the bank's documented layout. */

function statementsOf(events: StatementEvent[]) {
  return events.flatMap((event) => (event.kind === 'statement' ? [event.statement] : []));
}

function balancesAddUp(events: StatementEvent[]): boolean[] {
  const tally = new BalanceTally();
  for (const event of events) tally.add(event);
  return checkBalances(tally.statements).map((check) => check.checked && check.ok);
}

const booked = { status: 'booked', reversal: false } as const;

describe('SWIFT FIN messages framed with SOH/ETX, with {1:}{2:}{3:}{4: headers and -}{5:} trailers, as SWIFT interface software writes them', () => {
  const FRAMED = fixture('mt940-swift-framed.sta');

  test('both messages are read; the framing bytes and the padding after ETX are not part of any field', async () => {
    const events = await parseAll(FRAMED);
    expect(events.map((event) => event.kind)).toEqual(['file', 'statement', 'entry', 'entry', 'statementEnd', 'statement', 'entry', 'statementEnd']);
    expect(statementsOf(events).map((statement) => [statement.statementId, statement.account])).toEqual([
      ['P240305000000001/00064/00001', { iban: 'NL20INGB0001234567', currency: 'EUR' }],
      ['P240306000000001/00065/00001', { iban: 'NL20INGB0001234567', currency: 'EUR' }],
    ]);
    expect(entriesOf(events)).toEqual([
      { ...booked, bookingDate: '2024-03-05', valueDate: '2024-03-05', amount: '350', currency: 'EUR', bankReference: 'AX24030500001', endToEndId: 'INV-7781', counterpartyName: 'Bakkerij Jansen', counterpartyIban: 'NL44RABO0123456789', remittanceInformation: 'Factuur 7781', bankTransactionCode: 'NTRF', location: 'line 6' },
      { ...booked, bookingDate: '2024-03-05', valueDate: '2024-03-05', amount: '-19.95', currency: 'EUR', bankReference: 'AX24030500002', mandateId: 'MANDAAT-33', counterpartyName: 'Telecom NV', counterpartyIban: 'NL86INGB0002445588', remittanceInformation: 'Abonnement maart', bankTransactionCode: 'NDDT', location: 'line 8' },
      { ...booked, bookingDate: '2024-03-06', valueDate: '2024-03-06', amount: '-30.05', currency: 'EUR', bankReference: 'AX24030600001', endToEndId: 'E-66', counterpartyName: 'J. de Vries', counterpartyIban: 'NL02ABNA0123456789', remittanceInformation: 'Terugbetaling', bankTransactionCode: 'NTRF', location: 'line 16' },
    ]);
    expect(balancesAddUp(events)).toEqual([true, true]);
    for (const size of [1, 7]) expect(await parseAll(inChunks(FRAMED, size))).toEqual(events);
  });

  test('an ETX on a line of its own inside a message is framing, not a line of the field before it', async () => {
    const text = '\u0001{1:F01X}{2:O940}{4:\n:20:REF\n:25:NL20INGB0001234567\n:60F:C240101EUR1,00\n:62F:C240101EUR1,00\n\u0003\n-}\u0003';
    expect(statementsOf(await parseAll(text))).toHaveLength(1);
  });
});

describe('blanks in :61:', () => {
  test('ASN Bank writes four blanks for the entry date; a blank after the mark (Cuscal) and before the type are read past', async () => {
    const events = await parseAll(fixture('mt940-blanks-in-61.sta'));
    expect(statementsOf(events)[0]!.account).toEqual({ iban: 'NL36ASNB0708271234', currency: 'EUR' });
    expect(entriesOf(events)).toEqual([
      { ...booked, bookingDate: '2024-01-02', valueDate: '2024-01-02', amount: '-65', currency: 'EUR', remittanceInformation: 'NL20INGB0001234567 Woningstichting Huur januari', bankTransactionCode: 'NOVB', location: 'line 6' },
      { ...booked, bookingDate: '2024-01-03', valueDate: '2024-01-03', amount: '120', currency: 'EUR', bankReference: 'ASN0103', remittanceInformation: 'NL13TEST0123456789 P. Bakker terugbetaling', bankTransactionCode: 'NOVB', location: 'line 8' },
      { ...booked, bookingDate: '2024-01-04', valueDate: '2024-01-04', amount: '-10.5', currency: 'EUR', remittanceInformation: 'Kosten betaalrekening', bankTransactionCode: 'NMSC', location: 'line 10' },
    ]);
    expect(balancesAddUp(events)).toEqual([true]);
  });

  test('blanks that stand for part of the entry date are not a date', async () => {
    const error = await formatError(':20:R\n:25:NL36ASNB0708271234\n:60F:C240101EUR1,00\n:61:24010201  C1,00NTRFNONREF\n:62F:C240101EUR2,00\n');
    expect(error.message).toMatch(/^line 4: :61: "24010201 {2}C1,00NTRFNONREF" is not a statement line/);
  });
});

describe(':61: and :28C: wrapped over extra lines (Sparkassen)', () => {
  test('a statement line that breaks after the mark or inside the amount continues on the next line; the line after it is the supplementary details', async () => {
    const events = await parseAll(fixture('mt940-wrapped.sta'));
    expect(statementsOf(events)[0]).toMatchObject({ statementId: 'STARTUMS/00012/001', sequenceNumber: '00012/001' });
    expect(entriesOf(events)).toEqual([
      { ...booked, bookingDate: '2024-03-01', valueDate: '2024-03-01', amount: '-45.9', currency: 'EUR', bankReference: 'SPK0301A', endToEndId: 'LS-4501', counterpartyName: 'Sportverein 1899 e.V.', remittanceInformation: 'Mitgliedsbeitrag Maerz', bankTransactionCode: 'NDDT+105', location: 'line 6' },
      { ...booked, bookingDate: '2024-03-02', valueDate: '2024-03-02', amount: '1250', currency: 'EUR', bankReference: 'SPK0302B', counterpartyName: 'Muster GmbH', counterpartyIban: 'DE44500105175407324931', remittanceInformation: 'Gehalt 03/2024', bankTransactionCode: 'NTRF+153', location: 'line 9' },
    ]);
    expect(balancesAddUp(events)).toEqual([true]);
  });

  test('the supplementary details of a wrapped line stand in for a missing :86:', async () => {
    const text = ':20:R\n:25:DE89370400440532013000\n:60F:C240101EUR1,00\n:61:240102C\n1,00NTRFNONREF\nKartenzahlung\n:62F:C240102EUR2,00\n';
    expect(entriesOf(await parseAll(text))[0]).toMatchObject({ amount: '1', remittanceInformation: 'Kartenzahlung', location: 'line 4' });
  });

  test('a wrapped line with two more lines is refused', async () => {
    const error = await formatError(':20:R\n:25:DE89370400440532013000\n:60F:C240101EUR1,00\n:61:240102C\n1,00NTRFNONREF\none\ntwo\n:62F:C240102EUR2,00\n');
    expect(error.message).toMatch(/^line 4: :61: has 4 lines: expected the statement line \(wrapped over two lines\) and at most one line of supplementary details/);
  });
});

describe('German :86: subfields (DFÜ-Abkommen layout of German banks) with SEPA keywords', () => {
  test('SVWZ is the remittance, EREF the end-to-end id (never NOTPROVIDED), MREF the mandate, ?31/?32 or ABWA the counterparty; without keywords the purpose lines with ?60 are the remittance', async () => {
    const events = await parseAll(fixture('mt940-german-structured.sta'));
    expect(entriesOf(events)).toEqual([
      { ...booked, bookingDate: '2024-04-02', valueDate: '2024-04-02', amount: '1500', currency: 'EUR', bankReference: 'DB0402X1', endToEndId: 'RE-2024-118', counterpartyName: 'Grosshandel Nord GmbH', counterpartyIban: 'DE02100100100006820101', remittanceInformation: 'Rechnung RE-2024-118 vom 28.03.2024 Kd 4471', bankTransactionCode: 'NTRF+166', location: 'line 5' },
      // KREF, MREF, CRED and ABWE are not remittance; MREF is the mandate.
      { ...booked, bookingDate: '2024-04-03', valueDate: '2024-04-03', amount: '-89', currency: 'EUR', bankReference: 'DB0403X2', endToEndId: 'VERTRAG-55 2024-04', mandateId: 'MANDAT-55', counterpartyName: 'Versicherung AG', counterpartyIban: 'DE75512108001245126199', remittanceInformation: 'Beitrag April 2024', bankTransactionCode: 'NDDT+105', location: 'line 7' },
      { ...booked, bookingDate: '2024-04-04', valueDate: '2024-04-04', amount: '-12.4', currency: 'EUR', bankReference: 'DB0404X3', remittanceInformation: 'Entgelte vom 01.03.2024 bis 31.03.2024 Kontofuehrung 9,90 Buchungsposten 2,50', bankTransactionCode: 'NMSC+805', location: 'line 9' },
      { ...booked, bookingDate: '2024-04-05', valueDate: '2024-04-05', amount: '40', currency: 'EUR', bankReference: 'DB0405X4', counterpartyName: 'Erika Mustermann', counterpartyIban: 'DE02300209000106531065', remittanceInformation: 'Spende', bankTransactionCode: 'NTRF+166', location: 'line 11' },
    ]);
    expect(balancesAddUp(events)).toEqual([true]);
  });
});

describe('Rabobank MT940 Structured: a :940: file header, /CODE/ subfields, several accounts in one file', () => {
  test('each :20: ... :62F: is a statement of its own account', async () => {
    const events = await parseAll(fixture('mt940-rabobank-multi-account.sta'));
    expect(statementsOf(events).map((statement) => [statement.statementId, statement.account, statement.openingBalance?.amount])).toEqual([
      ['940S240410/00101', { iban: 'NL44RABO0123456789', currency: 'EUR' }, '1000'],
      ['940S240410/00033', { iban: 'NL39RABO0300065264', currency: 'EUR' }, '-50'],
    ]);
    expect(entriesOf(events)).toEqual([
      { ...booked, bookingDate: '2024-04-10', valueDate: '2024-04-10', amount: '100', currency: 'EUR', endToEndId: 'E2E-100', counterpartyName: 'Klant BV', counterpartyIban: 'NL66RABO0160878799', remittanceInformation: 'Factuur 100', bankTransactionCode: 'N541', location: 'line 6' },
      { ...booked, bookingDate: '2024-04-10', valueDate: '2024-04-10', amount: '-25', currency: 'EUR', mandateId: 'M-2024-7', counterpartyName: 'Energiebedrijf NV', counterpartyIban: 'NL03INGB0004567890', remittanceInformation: 'Voorschot april', bankTransactionCode: 'N544', location: 'line 9' },
      { ...booked, bookingDate: '2024-04-10', valueDate: '2024-04-10', amount: '80', currency: 'EUR', endToEndId: 'OVERBOEKING-1', counterpartyName: 'Eigen rekening', counterpartyIban: 'NL44RABO0123456789', remittanceInformation: 'Aanvulling', bankTransactionCode: 'N541', location: 'line 17' },
    ]);
    expect(balancesAddUp(events)).toEqual([true, true]);
  });
});

describe('MT942 interim transaction report (German banks: the entries not booked yet)', () => {
  const MT942 = fixture('mt942-german.sta');

  test('detected by :34F:/:13D:; no balances; every entry pending, EC/ED included; the report time in the statement id', async () => {
    const events = await parseAll(MT942);
    expect(events[0]).toEqual({ kind: 'file', format: 'mt942' });
    expect(statementsOf(events)).toEqual([
      { statementId: 'STARTDISPE/00001/001@2404051130+0200', sequenceNumber: '00001/001', account: { otherId: '37040044/0532013000', currency: 'EUR' }, toDate: '2024-04-05' },
    ]);
    const pending = { status: 'pending', reversal: false } as const;
    expect(entriesOf(events)).toEqual([
      { ...pending, bookingDate: '2024-04-05', valueDate: '2024-04-05', amount: '-45', currency: 'EUR', bankReference: 'KR0405A', endToEndId: 'ABO-7', counterpartyName: 'Streaming Dienst GmbH', remittanceInformation: 'Abo April', bankTransactionCode: 'NDDT+105', location: 'line 7' },
      { ...pending, bookingDate: '2024-04-05', valueDate: '2024-04-05', amount: '300', currency: 'EUR', bankReference: 'KR0405B', counterpartyName: 'Kunde AG', counterpartyIban: 'DE02120300000000202051', remittanceInformation: 'Rechnung 2024-40', bankTransactionCode: 'NTRF+166', location: 'line 9' },
      { ...pending, bookingDate: '2024-04-08', valueDate: '2024-04-08', amount: '-12', currency: 'EUR', remittanceInformation: 'Vorgemerkte Kartenzahlung', bankTransactionCode: 'NMSC', location: 'line 11' },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'statementEnd', dialects: ['german-86'] });
    // Nothing to check the entries against: the import says so instead of refusing.
    const tally = new BalanceTally();
    for (const event of events) tally.add(event);
    expect(checkBalances(tally.statements)).toEqual([expect.objectContaining({ checked: false, ok: true })]);
  });

  test('a report without entries is a statement without entries; one with MT942 balances reads them', async () => {
    const empty = await parseAll(':20:R\n:25:DE89370400440532013000\n:28C:1\n:34F:EUR0,\n:13D:2404051130+0200\n:90D:0EUR0,\n:90C:0EUR0,\n-\n');
    expect(empty.map((event) => event.kind)).toEqual(['file', 'statement', 'statementEnd']);
    const noSums = await parseAll(':20:R\n:25:DE89370400440532013000\n:34F:EUR0,\n:13D:2404051130+0200\n-\n');
    expect(noSums.map((event) => event.kind)).toEqual(['file', 'statement', 'statementEnd']);
    const withBalances = await parseAll(':20:R\n:25:DE89370400440532013000\n:34F:EUR0,\n:13D:2404051130+0200\n:60F:C240404EUR10,\n:61:240405C5,NTRFNONREF\n:62F:C240405EUR10,\n');
    expect(statementsOf(withBalances)[0]!.openingBalance).toEqual({ amount: '10', currency: 'EUR', date: '2024-04-04' });
    expect(entriesOf(withBalances)[0]).toMatchObject({ status: 'pending', amount: '5' });
  });

  test('a file with an MT940 and an MT942 message reads each by its own fields: booked entries, then pending ones', async () => {
    const statement = '{1:F01X}{2:O940}{4:\n:20:S\n:25:DE89370400440532013000\n:28C:1\n:60F:C240404EUR10,\n:61:240404C5,NTRFNONREF\n:62F:C240404EUR15,\n-}\n';
    const events = await parseAll(`${statement}${MT942.toString('latin1')}`);
    expect(entriesOf(events).map((entry) => [entry.status, entry.amount])).toEqual([['booked', '5'], ['pending', '-45'], ['pending', '300'], ['pending', '-12']]);
  });

  const report = (fields: string) => `:20:R\n:25:DE89370400440532013000\n${fields}\n-\n`;
  const cases: [string, string, RegExp, number][] = [
    ['a malformed floor limit', report(':34F:EURX0,'), /:34F: "EURX0," is not a floor limit/, 3],
    ['a floor limit without a decimal comma', report(':34F:EUR0'), /:34F: "0" is not an amount/, 3],
    ['a date-time indication with hour 25', report(':34F:EUR0,\n:13D:2404052530+0200'), /:13D: "2404052530\+0200" is not a date-time indication/, 4],
    ['a date-time indication on a day that does not exist', report(':34F:EUR0,\n:13D:2402301130+0200'), /:13D: "240230" is not a date/, 4],
    ['a malformed sum of entries', report(':34F:EUR0,\n:90D:EUR1,'), /:90D: "EUR1," is not a number and sum of entries/, 4],
    ['a sum in another currency', report(':34F:EUR0,\n:90C:1USD1,'), /:90C: sum of entries in USD in a statement in EUR/, 4],
    ['entries before the floor limit', report(':13D:2404051130+0200\n:61:240405C5,NTRFNONREF\n:34F:EUR0,'), /:61: comes before the floor limit: expected :34F: first/, 4],
    ['a report without account', ':20:R\n:34F:EUR0,\n:13D:2404051130+0200\n-\n', /:20: comes before the account :25:/, 1],
  ];
  test.each(cases)('refused: %s', async (_name, text, message, line) => {
    const error = await formatError(text, { format: 'mt942' });
    expect(error.message).toMatch(message);
    expect(error.line).toBe(line);
  });
});

describe('each message names the dialects it was read in, for the preview to show', () => {
  const dialectsOf = async (text: string | Buffer) => (await parseAll(text)).flatMap((event) => (event.kind === 'statementEnd' ? [event.dialects ?? []] : []));

  test.each([
    ['mt940-swift-framed.sta', [['swift-framing', 'swift-blocks', 'slash-codes-86'], ['swift-framing', 'swift-blocks', 'slash-codes-86']]],
    ['mt940-blanks-in-61.sta', [['swift-blocks', 'blanks-in-61']]],
    ['mt940-wrapped.sta', [['wrapped-61', 'wrapped-28c', 'german-86']]],
    ['mt940-german-structured.sta', [['german-86']]],
    ['mt940-rabobank-multi-account.sta', [['preamble', 'slash-codes-86'], ['slash-codes-86']]],
    ['mt940-dutch-plain.txt', [['preamble', 'slash-codes-86'], ['preamble', 'slash-codes-86']]],
  ])('%s', async (name, expected) => {
    expect(await dialectsOf(fixture(name))).toEqual(expected);
  });

  test('a message in the plain SWIFT layout names none; each blank in :61: is named', async () => {
    const plain = ':20:R\n:25:NL20INGB0001234567\n:60F:C240101EUR1,00\n:61:240102C1,00NTRFNONREF\n:86:Rent\n:62F:C240102EUR2,00\n-\n';
    expect(await dialectsOf(plain)).toEqual([[]]);
    for (const line of ['240102    C1,00NTRFNONREF', '240102 C1,00NTRFNONREF', '240102C 1,00NTRFNONREF', '240102C1,00 NTRFNONREF']) {
      expect(await dialectsOf(plain.replace('240102C1,00NTRFNONREF', line)), line).toEqual([['blanks-in-61']]);
    }
  });
});

