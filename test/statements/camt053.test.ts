import { describe, expect, test } from 'vitest';
import { checkBalances, BalanceTally } from '../../statements/index.js';
import { entriesOf, fixture, formatError, inChunks, parseAll } from './helpers.js';

const V2 = fixture('camt053-v02-german-bank.xml');
const V8 = fixture('camt053-v08-prefixed.xml');
const V13 = fixture('camt053-v13-other-account.xml');

/** A small camt.053.001.08 document around `entries` (Ntry elements), with `header` replacing the Stmt header when given. */
function camt(entries: string, { header, namespace = 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.08' }: { header?: string; namespace?: string } = {}): string {
  const statementHeader =
    header ??
    `<Id>S1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy="EUR">10.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2024-01-01</Dt></Dt></Bal>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="${namespace}">
<BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2024-01-02T06:00:00</CreDtTm></GrpHdr>
<Stmt>${statementHeader}
${entries}
</Stmt>
</BkToCstmrStmt>
</Document>
`;
}

const ENTRY = '<Ntry><Amt Ccy="EUR">1.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><BookgDt><Dt>2024-01-01</Dt></BookgDt></Ntry>';

describe('camt.053.001.02 of a German bank', () => {
  test('file, statements, entries and balances in file order', async () => {
    const events = await parseAll(V2);
    expect(events.map((event) => event.kind)).toEqual([
      'file', 'statement', 'entry', 'entry', 'entry', 'entry', 'entry', 'statementEnd', 'statement', 'entry', 'statementEnd',
    ]);
    expect(events[0]).toEqual({ kind: 'file', format: 'camt.053', messageId: '053D2024030800001', createdAt: '2024-03-08T06:15:02.0+01:00', version: 'camt.053.001.02' });
    expect(events[1]).toEqual({
      kind: 'statement',
      statement: {
        statementId: '2024030700001-0001',
        sequenceNumber: '48',
        account: { iban: 'DE89370400440532013000', currency: 'EUR' },
        openingBalance: { amount: '1000', currency: 'EUR', date: '2024-03-01' },
        fromDate: '2024-03-04',
        toDate: '2024-03-07',
      },
    });
    expect(events[7]).toEqual({ kind: 'statementEnd', closingBalance: { amount: '950', currency: 'EUR', date: '2024-03-07' } });
    expect(events[10]).toEqual({ kind: 'statementEnd', closingBalance: { amount: '-250', currency: 'EUR', date: '2024-03-08' } });
  });

  test('entries: parties as Dbtr/Nm, Sts as text, NOTPROVIDED dropped, spaced IBAN normalised, the direct debit\'s MndtId as its mandate', async () => {
    const [credit, debit] = entriesOf(await parseAll(V2));
    expect(credit).toEqual({
      status: 'booked', bookingDate: '2024-03-04', valueDate: '2024-03-04', amount: '250', currency: 'EUR',
      bankReference: '2024030400001', endToEndId: 'E2E-INV-4711', counterpartyName: 'Kunde AG', counterpartyIban: 'DE02120300000000202051',
      remittanceInformation: 'Rechnung 4711 vom 28.02.2024', bankTransactionCode: 'PMNT-RCDT-ESCT', reversal: false, location: 'Stmt[1]/Ntry[1]',
    });
    expect(debit).toEqual({
      status: 'booked', bookingDate: '2024-03-05', valueDate: '2024-03-05', amount: '-89.9', currency: 'EUR',
      bankReference: '2024030500002', mandateId: 'MANDAT-0815', counterpartyName: 'Stadtwerke Musterstadt', counterpartyIban: 'DE02500105170137075030',
      remittanceInformation: 'Abschlag Strom März', bankTransactionCode: 'PMNT-RDDT-ESDD', reversal: false, location: 'Stmt[1]/Ntry[2]',
    });
  });

  test('a collective debit is split into its transactions, each with its own amount, party and reference', async () => {
    const [, , first, second] = entriesOf(await parseAll(V2));
    expect(first).toMatchObject({
      amount: '-120', counterpartyName: 'Lieferant Eins KG', endToEndId: 'PAY-0001', remittanceInformation: 'Bestellung 100',
      batch: { entryReference: '2024030600003', index: 1, size: 2 }, location: 'Stmt[1]/Ntry[3]/TxDtls[1]',
    });
    expect(first!.bankReference).toBeUndefined();
    expect(second).toMatchObject({ amount: '-180', bankReference: '2024030600003-2', counterpartyName: 'Lieferant Zwei e.K.', location: 'Stmt[1]/Ntry[3]/TxDtls[2]' });
  });

  test('a returned direct debit is a credit marked as reversal, naming the creditor it was paid to', async () => {
    const returned = entriesOf(await parseAll(V2))[4];
    expect(returned).toMatchObject({ amount: '89.9', reversal: true, counterpartyName: 'Stadtwerke Musterstadt', valueDate: '2024-03-05', bookingDate: '2024-03-07' });
  });

  test('both statements add up', async () => {
    const tally = new BalanceTally();
    for (const event of await parseAll(V2)) tally.add(event);
    expect(checkBalances(tally.statements).map(({ ok, checked, difference }) => ({ ok, checked, difference }))).toEqual([
      { ok: true, checked: true, difference: '0' },
      { ok: true, checked: true, difference: '0' },
    ]);
  });
});

describe('camt.053.001.08 with a namespace prefix', () => {
  test('header with legal sequence number, account name, PRCD-less OPBD with a date-time, CLBD and CLAV', async () => {
    const events = await parseAll(V8);
    expect(events[0]).toMatchObject({ messageId: 'MSG-20240315-0001', version: 'camt.053.001.08' });
    expect(events[1]).toEqual({
      kind: 'statement',
      statement: {
        statementId: 'STMT-0315', sequenceNumber: '75', account: { iban: 'NL91ABNA0417164300', currency: 'EUR', name: 'Voorbeeld B.V.' },
        openingBalance: { amount: '5000', currency: 'EUR', date: '2024-03-15' }, fromDate: '2024-03-15', toDate: '2024-03-15',
      },
    });
    expect(events.at(-1)).toEqual({
      kind: 'statementEnd',
      closingBalance: { amount: '6679.5', currency: 'EUR', date: '2024-03-15' },
      closingAvailableBalance: { amount: '6699.5', currency: 'EUR', date: '2024-03-15' },
    });
  });

  test('Sts/Cd, Dbtr/Pty/Nm, entities, structured reference, NtryRef as the reference when there is no AcctSvcrRef', async () => {
    const [first] = entriesOf(await parseAll(V8));
    expect(first).toEqual({
      status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '1500', currency: 'EUR', bankReference: 'NTRY-1',
      counterpartyName: 'Acme B.V. & Co', counterpartyIban: 'NL69INGB0123456789', remittanceInformation: 'RF18539007547034',
      bankTransactionCode: 'PMNT-RCDT-ESCT', reversal: false, location: 'Stmt[1]/Ntry[1]',
    });
  });

  test('CDATA and comments; a blank AcctSvcrRef and NtryRef "0" give no reference; AddtlTxInf stands in for remittance', async () => {
    const card = entriesOf(await parseAll(V8))[1]!;
    expect(card.counterpartyName).toBe('Café "Zon" <Utrecht>');
    expect(card.bankReference).toBeUndefined();
    expect(card).toMatchObject({ amount: '-45', remittanceInformation: 'Betaalpas 1234 Utrecht', bankTransactionCode: 'CARD' });
  });

  test('a batch with TxDtls/Amt is split; one whose TxDtls carry no amounts stays whole', async () => {
    const entries = entriesOf(await parseAll(V8));
    expect(entries.slice(2, 5).map(({ amount, counterpartyName, endToEndId, location }) => ({ amount, counterpartyName, endToEndId, location }))).toEqual([
      { amount: '100', counterpartyName: 'Lid Een', endToEndId: 'COLL-1', location: 'Stmt[1]/Ntry[3]/TxDtls[1]' },
      { amount: '125', counterpartyName: 'Lid Twee', endToEndId: 'COLL-2', location: 'Stmt[1]/Ntry[3]/TxDtls[2]' },
      { amount: '75', counterpartyName: 'Lid Drie', endToEndId: 'COLL-3', location: 'Stmt[1]/Ntry[3]/TxDtls[3]' },
    ]);
    expect(entries[5]).toEqual({
      status: 'booked', bookingDate: '2024-03-15', amount: '-75.5', currency: 'EUR', bankReference: 'BATCH-DB-78',
      remittanceInformation: 'SEPA batch 2 payments', reversal: false, location: 'Stmt[1]/Ntry[4]',
    });
  });

  test('pending entries take the value date; info entries keep their status', async () => {
    const entries = entriesOf(await parseAll(V8));
    expect(entries[6]).toMatchObject({ status: 'pending', bookingDate: '2024-03-18', valueDate: '2024-03-18', amount: '20', counterpartyName: 'Later B.V.' });
    expect(entries[7]).toMatchObject({ status: 'info', amount: '0', remittanceInformation: 'Renteherziening per 1 april' });
  });

  test('the balance check counts booked entries only', async () => {
    const tally = new BalanceTally();
    for (const event of await parseAll(V8)) tally.add(event);
    expect(checkBalances(tally.statements)).toEqual([
      { statementId: 'STMT-0315', sequenceNumber: '75', currency: 'EUR', checked: true, ok: true, expected: '6679.5', actual: '6679.5', difference: '0' },
    ]);
  });
});

describe('camt.053.001.13', () => {
  test('an account without IBAN, a debit opening balance, an ultimate creditor, FUTR as pending', async () => {
    const events = await parseAll(V13);
    expect(events[0]).toMatchObject({ version: 'camt.053.001.13', createdAt: '2024-04-02T05:00:00Z' });
    expect(events[1]).toMatchObject({ statement: { statementId: 'CH-STMT-2024-04-01', sequenceNumber: '92', account: { otherId: '0235-123456.01', currency: 'CHF' }, openingBalance: { amount: '-12.05', date: '2024-04-01' } } });
    const [salary, fee, standingOrder] = entriesOf(events);
    expect(salary).toMatchObject({ counterpartyName: 'Arbeitgeber AG', counterpartyAccount: '80-2-2', bankTransactionCode: 'SALARY', endToEndId: 'LOHN-2024-03' });
    expect(salary!.counterpartyIban).toBeUndefined();
    // A zero amount has no sign: the DBIT indicator still makes the creditor the counterparty.
    expect(fee).toMatchObject({ amount: '0', counterpartyName: 'Gebührenstelle', remittanceInformation: 'Kontoführung' });
    expect(standingOrder).toMatchObject({ status: 'pending', bookingDate: '2024-04-05', amount: '-99' });
  });
});

describe('namespaces, encodings and streaming', () => {
  test('the same document parses alike without a namespace, with another prefix, and in a future version', async () => {
    const plain = await parseAll(camt(ENTRY, { namespace: '' }).replace(' xmlns=""', ''));
    const prefixed = await parseAll(camt(ENTRY).replace(/<(\/?)(?=[A-Z])/g, '<$1x:').replace('xmlns=', 'xmlns:x='));
    const future = await parseAll(camt(ENTRY, { namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.053.001.14' }));
    expect(entriesOf(plain)).toEqual(entriesOf(prefixed));
    expect(entriesOf(future)).toEqual(entriesOf(plain));
    expect(plain[0]).toEqual({ kind: 'file', format: 'camt.053', messageId: 'M1', createdAt: '2024-01-02T06:00:00' });
    expect(prefixed[0]).toMatchObject({ version: 'camt.053.001.08' });
  });

  test('streamed in chunks of 1, 7 and 4096 bytes, the events are the same as from the whole file', async () => {
    const whole = await parseAll(V2);
    for (const size of [1, 7, 4096]) expect(await parseAll(inChunks(V2, size))).toEqual(whole);
  });

  test('an ISO-8859-1 declaration decodes Latin-1 bytes; a UTF-8 file with Latin-1 bytes is refused with the line', async () => {
    const text = camt(ENTRY.replace('</BookgDt>', '</BookgDt><AddtlNtryInf>Gebühr</AddtlNtryInf>'));
    const latin1 = Buffer.from(text.replace('encoding="UTF-8"', 'encoding="ISO-8859-1"'), 'latin1');
    expect(entriesOf(await parseAll(latin1))[0]!.remittanceInformation).toBe('Gebühr');
    const error = await formatError(Buffer.from(text, 'latin1'));
    expect(error.line).toBe(7);
    expect(error.message).toMatch(/byte 0xFC is not valid UTF-8/);
  });

  test('UTF-16 with a byte order mark', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(camt(ENTRY), 'utf16le')]);
    expect(entriesOf(await parseAll(utf16))).toEqual(entriesOf(await parseAll(camt(ENTRY))));
  });

  test('names that are also JavaScript object properties are data, not code', async () => {
    const entry = ENTRY.replace('Ccy="EUR"', 'Ccy="EUR" constructor="x" __proto__="y" toString="z"');
    expect(entriesOf(await parseAll(camt(entry)))[0]).toMatchObject({ amount: '-1.5', currency: 'EUR' });
    expect((await formatError(camt(ENTRY.replace('<Cd>BOOK</Cd>', '<Cd>constructor</Cd>')))).message).toMatch(/unknown entry status "constructor"/);
    expect((await formatError(camt(ENTRY, { namespace: '' }).replaceAll('BkToCstmrStmt', 'toString'))).message).toMatch(/^Document\/toString: <toString> is not a camt bank-to-customer message: expected <BkToCstmrStmt> \(camt\.053\)/);
  });

  test('numeric character references, attributes in single quotes, self-closing elements', async () => {
    const entry = `<Ntry><Amt Ccy='EUR'>1.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd/><Sts>BOOK</Sts><BookgDt><Dt>2024-01-01</Dt></BookgDt><AddtlNtryInf>M&#252;ller &#x26; S&#246;hne</AddtlNtryInf></Ntry>`;
    expect(entriesOf(await parseAll(camt(entry)))[0]).toMatchObject({ remittanceInformation: 'Müller & Söhne', reversal: false, amount: '1.5' });
  });
});

describe('what camt.053 files are refused, with where and why', () => {
  const cases: [string, string, RegExp, string?][] = [
    ['a camt.052 namespace around a statement', camt(ENTRY, { namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.052.001.08' }), /the namespace names camt\.052\.001\.08, but the message is <BkToCstmrStmt> \(camt\.053/],
    ['a pain.001 payment order', camt(ENTRY, { namespace: 'urn:iso:std:iso:20022:tech:xsd:pain.001.001.09' }), /pain\.001\.001\.09 is not a bank-to-customer statement, report or notification/],
    ['a camt.086 by namespace', camt(ENTRY, { namespace: 'urn:iso:std:iso:20022:tech:xsd:camt.086.001.04' }), /camt\.086\.001\.04 is not a bank-to-customer statement/],
    ['another XML document', '<?xml version="1.0"?><html><body/></html>', /the root element is <html>: expected a camt <Document>/],
    ['no GrpHdr', camt(ENTRY).replace(/<GrpHdr>.*<\/GrpHdr>/, ''), /missing GrpHdr/, 'Stmt[1]'],
    ['no statement', camt(ENTRY).replace(/<Stmt>[\s\S]*<\/Stmt>/, ''), /holds no Stmt/],
    ['no statement Id', camt(ENTRY).replace('<Id>S1</Id>', ''), /missing statement Id/, 'Stmt[1]/Id'],
    ['no account', camt(ENTRY).replace(/<Acct>.*<\/Acct>/, ''), /missing Acct/, 'Stmt[1]/Acct'],
    ['an IBAN with wrong check digits', camt(ENTRY).replace('DE89370400440532013000', 'DE98370400440532013000'), /not a valid IBAN/, 'Stmt[1]/Acct/Id/IBAN'],
    ['a balance without date', camt(ENTRY).replace('<Dt><Dt>2024-01-01</Dt></Dt>', ''), /missing balance date/, 'Stmt[1]/Bal[1]/Dt'],
    ['an amount with a decimal comma', camt(ENTRY.replace('1.50', '1,50')), /"1,50" is not an amount/, 'Stmt[1]/Ntry[1]/Amt'],
    ['a negative amount', camt(ENTRY.replace('1.50', '-1.50')), /negative: camt amounts are unsigned/, 'Stmt[1]/Ntry[1]/Amt'],
    ['an amount without currency', camt(ENTRY.replace(' Ccy="EUR"', '')), /currency "" is not an ISO 4217 code/, 'Stmt[1]/Ntry[1]/Amt/@Ccy'],
    ['an unknown CdtDbtInd', camt(ENTRY.replace('DBIT', 'DEBIT')), /unknown CdtDbtInd "DEBIT": expected CRDT or DBIT/, 'Stmt[1]/Ntry[1]/CdtDbtInd'],
    ['a missing CdtDbtInd', camt(ENTRY.replace('<CdtDbtInd>DBIT</CdtDbtInd>', '')), /missing CdtDbtInd/, 'Stmt[1]/Ntry[1]/CdtDbtInd'],
    ['an unknown status', camt(ENTRY.replace('BOOK', 'DONE')), /unknown entry status "DONE"/, 'Stmt[1]/Ntry[1]/Sts'],
    ['a missing status', camt(ENTRY.replace('<Sts><Cd>BOOK</Cd></Sts>', '')), /missing entry status/, 'Stmt[1]/Ntry[1]/Sts'],
    ['a booked entry without booking date', camt(ENTRY.replace('<BookgDt><Dt>2024-01-01</Dt></BookgDt>', '<ValDt><Dt>2024-01-01</Dt></ValDt>')), /missing booking date: expected BookgDt/, 'Stmt[1]/Ntry[1]/BookgDt'],
    ['a date that does not exist', camt(ENTRY.replace('2024-01-01', '2023-02-29')), /"2023-02-29" is not a date/, 'Stmt[1]/Ntry[1]/BookgDt/Dt'],
    ['a date in another format', camt(ENTRY.replace('2024-01-01', '01.01.2024')), /"01\.01\.2024" is not a date/, 'Stmt[1]/Ntry[1]/BookgDt/Dt'],
    ['a booking date choice without Dt', camt(ENTRY.replace('<Dt>2024-01-01</Dt></BookgDt>', '</BookgDt>')), /BookgDt holds neither Dt nor DtTm/, 'Stmt[1]/Ntry[1]/BookgDt'],
    ['a RvslInd that is not a boolean', camt(ENTRY.replace('</CdtDbtInd>', '</CdtDbtInd><RvslInd>yes</RvslInd>')), /RvslInd "yes" is not a boolean/, 'Stmt[1]/Ntry[1]/RvslInd'],
    ['a batch amount that is not an amount', camt(ENTRY.replace('</BookgDt>', '</BookgDt><NtryDtls><TxDtls><Amt Ccy="EUR">x</Amt></TxDtls><TxDtls/></NtryDtls>')), /"x" is not an amount/, 'Stmt[1]/Ntry[1]/TxDtls[1]/Amt'],
  ];
  test.each(cases)('%s', async (_name, document, message, location) => {
    const error = await formatError(document);
    expect(error.message).toMatch(message);
    if (location) expect(error.location).toBe(location);
  });

  const broken: [string, string, RegExp, string, number][] = [
    ['a mismatched end tag', camt(ENTRY.replace('</Sts>', '</Status>')), /<\/Status> where <\/Sts> was expected/, 'Stmt[1]/Ntry[1]/Sts', 7],
    ['a truncated file', camt(ENTRY).slice(0, camt(ENTRY).indexOf('</Stmt>')), /the file ends inside <Stmt>: expected <\/Stmt> \(truncated file\?\)/, 'Stmt[1]', 8],
    ['a file cut inside a tag', camt(ENTRY).slice(0, camt(ENTRY).lastIndexOf('<CdtDbtInd>') + 5), /the file ends in the middle of a tag \(truncated file\?\)/, 'Stmt[1]/Ntry[1]', 7],
    ['a bare ampersand', camt(ENTRY.replace('</BookgDt>', '</BookgDt><AddtlNtryInf>A & B</AddtlNtryInf>')), /"&" that does not start a character reference/, 'Stmt[1]/Ntry[1]/AddtlNtryInf', 7],
    ['an unquoted attribute', camt(ENTRY.replace('Ccy="EUR"', 'Ccy=EUR')), /malformed start tag "<Amt Ccy=EUR>/, 'Stmt[1]/Ntry[1]', 7],
    ['a DOCTYPE', camt(ENTRY).replace('<Document', '<!DOCTYPE Document [<!ENTITY x "y">]>\n<Document'), /a DOCTYPE is not allowed/, 'Document', 2],
    ['a control character', camt(ENTRY.replace('</BookgDt>', '</BookgDt><AddtlNtryInf>A\u0001B</AddtlNtryInf>')), /control character U\+0001 is not allowed/, 'Stmt[1]/Ntry[1]/AddtlNtryInf', 7],
    ['text after the root', `${camt(ENTRY)}<Document/>`, /<Document> after the end of the root element/, 'Document', 11],
    ['a second group header', camt(ENTRY).replace('</GrpHdr>', '</GrpHdr><GrpHdr><MsgId>M2</MsgId><CreDtTm>2024-01-02T06:00:00</CreDtTm></GrpHdr>'), /a second GrpHdr/, 'GrpHdr', 4],
  ];
  test.each(broken)('broken XML: %s', async (_name, document, message, location, line) => {
    const error = await formatError(document);
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/\(column \d+\)|line \d+/);
    expect(error.location).toBe(location);
    expect(error.line).toBe(line);
  });

  test('a camt error message says where: path and line', async () => {
    const error = await formatError(camt(ENTRY.replace('DBIT', 'X')));
    expect(error.message).toBe('Stmt[1]/Ntry[1]/CdtDbtInd, line 7: unknown CdtDbtInd "X": expected CRDT or DBIT');
    expect(error.detail).toBe('unknown CdtDbtInd "X": expected CRDT or DBIT');
  });

  test('an encoding the parser does not know', async () => {
    const error = await formatError(camt(ENTRY).replace('UTF-8', 'EBCDIC-CP-US'));
    expect(error.message).toMatch(/names the encoding "ebcdic-cp-us": expected UTF-8/);
  });
});
