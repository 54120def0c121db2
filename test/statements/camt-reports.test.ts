import { describe, expect, test } from 'vitest';
import { BalanceTally, checkBalances, type StatementEvent } from '../../statements/index.js';
import { entriesOf, fixture, formatError, parseAll } from './helpers.js';

const V08_REPORT = fixture('camt052-v08-intraday.xml');
const V13_REPORT = fixture('camt052-v13-status-code.xml');
const V08_NOTIFICATION = fixture('camt054-v08-batch.xml');

/** A small camt.052 or camt.054 document (namespace version `version`) around `entries`. */
function camt(kind: '052' | '054', entries: string, version = '02'): string {
  const [message, report] = kind === '052' ? ['BkToCstmrAcctRpt', 'Rpt'] : ['BkToCstmrDbtCdtNtfctn', 'Ntfctn'];
  return `<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.${kind}.001.${version}"><${message}>
<GrpHdr><MsgId>M1</MsgId><CreDtTm>2025-01-02T10:00:00</CreDtTm></GrpHdr>
<${report}><Id>R1</Id><Acct><Id><IBAN>DE89370400440532013000</IBAN></Id><Ccy>EUR</Ccy></Acct>
${entries}
</${report}></${message}></Document>
`;
}

const entry = (status: string) => `<Ntry><Amt Ccy="EUR">1.50</Amt><CdtDbtInd>DBIT</CdtDbtInd>${status}<BookgDt><Dt>2025-01-02</Dt></BookgDt></Ntry>`;

const statuses = async (text: string | Buffer) => entriesOf(await parseAll(text)).map((e) => e.status);

function balanceChecks(events: StatementEvent[]) {
  const tally = new BalanceTally();
  for (const event of events) tally.add(event);
  return checkBalances(tally.statements);
}

describe('camt.052 intraday account reports', () => {
  test('v08: booked entries booked, pending ones pending at their value date; the opening balance is read, the interim ones are no closing balance', async () => {
    const events = await parseAll(V08_REPORT);
    expect(events[0]).toEqual({ kind: 'file', format: 'camt.052', messageId: 'RPT-20250312-1400', createdAt: '2025-03-12T14:00:00+01:00', version: 'camt.052.001.08' });
    expect(events[1]).toMatchObject({
      kind: 'statement',
      statement: { statementId: 'RPT-20250312-1400-1', sequenceNumber: '3', account: { iban: 'CH9300762011623852957', currency: 'CHF' }, openingBalance: { amount: '12000', currency: 'CHF' } },
    });
    expect(events.at(-1)).toEqual({ kind: 'statementEnd' });
    expect(entriesOf(events).map(({ status, bookingDate, amount, bankReference, counterpartyName, location }) => ({ status, bookingDate, amount, bankReference, counterpartyName, location }))).toEqual([
      { status: 'booked', bookingDate: '2025-03-12', amount: '2500', bankReference: 'CH-20250312-000101', counterpartyName: 'Bergbahnen Engelberg AG', location: 'Rpt[1]/Ntry[1]' },
      { status: 'booked', bookingDate: '2025-03-12', amount: '-650', bankReference: 'CH-20250312-000102', counterpartyName: 'Elektrizitätswerk Zürich', location: 'Rpt[1]/Ntry[2]' },
      { status: 'pending', bookingDate: '2025-03-12', amount: '-45.9', bankReference: undefined, counterpartyName: 'Migros Zürich', location: 'Rpt[1]/Ntry[3]' },
      { status: 'pending', bookingDate: '2025-03-13', amount: '1200', bankReference: undefined, counterpartyName: 'Hotel Titlis', location: 'Rpt[1]/Ntry[4]' },
    ]);
    expect(balanceChecks(events)).toEqual([expect.objectContaining({ checked: false, ok: true, reason: expect.stringMatching(/no closing balance/) })]);
  });

  test('v13 with a prefix: Sts/Cd read, a status in the bank\'s own code is not BOOK and so pending; only interim balances: nothing to check', async () => {
    const events = await parseAll(V13_REPORT);
    expect(events[0]).toMatchObject({ format: 'camt.052', version: 'camt.052.001.13' });
    expect(events[1]).toMatchObject({ statement: { account: { iban: 'DE89370400440532013000', currency: 'EUR' } } });
    expect((events[1] as { statement: object }).statement).not.toHaveProperty('openingBalance');
    expect(entriesOf(events).map((e) => [e.status, e.amount, e.bookingDate])).toEqual([
      ['booked', '-89.75', '2025-04-05'],
      ['pending', '-100', '2025-04-05'],
      ['pending', '-19.99', '2025-04-05'],
    ]);
    expect(balanceChecks(events)).toEqual([expect.objectContaining({ checked: false, reason: expect.stringMatching(/no opening balance/) })]);
  });

  test('Sts as text (older versions) or as Cd; anything but BOOK is pending, INFO stays information, a missing Sts is pending', async () => {
    const text = [entry('<Sts>BOOK</Sts>'), entry('<Sts>PDNG</Sts>'), entry('<Sts>INFO</Sts>'), entry(''), entry('<Sts><Cd>FUTR</Cd></Sts>'), entry('<Sts>HOLD</Sts>')].join('\n');
    expect(await statuses(camt('052', text))).toEqual(['booked', 'pending', 'info', 'pending', 'pending', 'pending']);
    expect(await statuses(camt('052', [entry('<Sts><Cd>BOOK</Cd></Sts>'), entry('<Sts><Cd>PDNG</Cd></Sts>')].join(''), '13'))).toEqual(['booked', 'pending']);
  });

  test('errors name the report and entry', async () => {
    const error = await formatError(camt('052', entry('<Sts>BOOK</Sts>').replace('1.50', '1,50')));
    expect(error.location).toBe('Rpt[1]/Ntry[1]/Amt');
    expect((await formatError(camt('052', '').replace(/<Rpt>[\s\S]*<\/Rpt>/, ''))).message).toMatch(/the message holds no Rpt: expected at least one report/);
  });
});

describe('camt.054 debit/credit notifications', () => {
  test('v08: a batch with amounts is split into its transactions, each with its own reference and mandate; no balances, so nothing to check', async () => {
    const events = await parseAll(V08_NOTIFICATION);
    expect(events[0]).toMatchObject({ kind: 'file', format: 'camt.054', messageId: 'NTF-20250320-0007', version: 'camt.054.001.08' });
    expect(events[1]).toMatchObject({ statement: { statementId: 'NTF-20250320-0007-1', account: { iban: 'NL91ABNA0417164300', currency: 'EUR' } } });
    expect(entriesOf(events).map((e) => [e.status, e.amount, e.bankReference, e.mandateId, e.counterpartyName, e.batch?.index, e.location])).toEqual([
      ['booked', '60', 'NL-COLL-20250320-55-1', 'MDT-0001', 'J. de Vries', 1, 'Ntfctn[1]/Ntry[1]/TxDtls[1]'],
      ['booked', '60', 'NL-COLL-20250320-55-2', 'MDT-0002', 'A. Jansen', 2, 'Ntfctn[1]/Ntry[1]/TxDtls[2]'],
      ['booked', '60', 'NL-COLL-20250320-55-3', 'MDT-0003', 'P. Bakker', 3, 'Ntfctn[1]/Ntry[1]/TxDtls[3]'],
      ['booked', '420', 'NL-TRF-20250320-88', undefined, 'Sportschool Utrecht B.V.', undefined, 'Ntfctn[1]/Ntry[2]'],
    ]);
    expect(balanceChecks(events)).toEqual([expect.objectContaining({ checked: false, ok: true })]);
  });

  test('booked unless Sts says otherwise; a status none of ours is refused', async () => {
    expect(await statuses(camt('054', [entry(''), entry('<Sts>BOOK</Sts>'), entry('<Sts>PDNG</Sts>'), entry('<Sts><Cd>INFO</Cd></Sts>')].join('')))).toEqual(['booked', 'booked', 'pending', 'info']);
    const error = await formatError(camt('054', entry('<Sts>HOLD</Sts>')));
    expect(error.message).toMatch(/^Ntfctn\[1\]\/Ntry\[1\]\/Sts, line 5: unknown entry status "HOLD"/);
  });
});

describe('which camt message a file is', () => {
  test('the message element decides when there is no namespace, and each is read as itself', async () => {
    expect((await parseAll(camt('054', entry('')).replace(/ xmlns="[^"]*"/, '')))[0]).toMatchObject({ format: 'camt.054' });
    expect((await parseAll(camt('052', entry('')).replace(/ xmlns="[^"]*"/, '')))[0]).toMatchObject({ format: 'camt.052' });
  });

  test('a named format must be the document\'s', async () => {
    expect((await parseAll(V08_REPORT, { format: 'camt.052' }))[0]).toMatchObject({ format: 'camt.052' });
    const error = await formatError(V08_REPORT, { format: 'camt.053' });
    expect(error.message).toMatch(/the file is camt\.052 \(intraday account report\), not camt\.053 \(end-of-day statement\): upload it with the format camt052/);
    expect((await formatError(camt('054', entry('')).replace(/ xmlns="[^"]*"/, ''), { format: 'camt.052' })).message).toMatch(/the file is camt\.054 .*, not camt\.052/);
  });

  test('a namespace and a message element that disagree are refused', async () => {
    const mixed = camt('052', entry('')).replaceAll('BkToCstmrAcctRpt', 'BkToCstmrDbtCdtNtfctn');
    expect((await formatError(mixed)).message).toMatch(/the namespace names camt\.052\.001\.02, but the message is <BkToCstmrDbtCdtNtfctn> \(camt\.054/);
  });
});
