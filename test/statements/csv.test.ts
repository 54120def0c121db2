import { describe, expect, test } from 'vitest';
import { BUILT_IN_CSV_PRESETS, csvPresetProblems, type CsvPreset } from '../../statements/index.js';
import { entriesOf, fixture, formatError, inChunks, parseAll } from './helpers.js';

const preset = (changes: Partial<CsvPreset> = {}): CsvPreset => ({
  encoding: 'utf-8',
  delimiter: ';',
  header: true,
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  thousandsSeparator: '.',
  currency: 'EUR',
  columns: { bookingDate: 'Datum', amount: 'Betrag', counterpartyName: 'Name', text: ['Zweck'] },
  ...changes,
});

describe('built-in presets on exports in their banks’ layouts', () => {
  test('Sparkasse CSV-CAMT: Windows-1252, DD.MM.YY, grouped amounts, own IBAN from the file, NOTPROVIDED dropped, the Mandatsreferenz as mandate', async () => {
    const events = await parseAll(fixture('sparkasse-csv-camt.csv'), { csv: BUILT_IN_CSV_PRESETS['sparkasse-csv-camt'] });
    expect(events[0]).toEqual({ kind: 'file', format: 'csv' });
    expect(events[1]).toEqual({ kind: 'statement', statement: { statementId: expect.stringMatching(/^csv:[0-9a-f]{32}$/), account: { iban: 'DE89370400440532013000', currency: 'EUR' } } });
    expect(entriesOf(events)).toEqual([
      {
        status: 'booked', bookingDate: '2024-03-05', valueDate: '2024-03-05', amount: '-89.9', currency: 'EUR', counterpartyName: 'Stadtwerke Musterstadt',
        counterpartyIban: 'DE02500105170137075030', remittanceInformation: 'Abschlag Strom März', mandateId: 'MANDAT-0815', bankTransactionCode: 'FOLGELASTSCHRIFT', reversal: false, location: 'line 2',
      },
      {
        status: 'booked', bookingDate: '2024-03-04', valueDate: '2024-03-04', amount: '1250', currency: 'EUR', endToEndId: 'E2E-INV-4711', counterpartyName: 'Kunde AG',
        counterpartyIban: 'DE02120300000000202051', remittanceInformation: 'Rechnung 4711 vom 28.02.2024', bankTransactionCode: 'GUTSCHR. UEBERWEISUNG', reversal: false, location: 'line 3',
      },
      {
        status: 'booked', bookingDate: '2024-03-01', valueDate: '2024-03-01', amount: '-7.5', currency: 'EUR', counterpartyAccount: '0000000000',
        remittanceInformation: 'Entgelt für Kontoführung', bankTransactionCode: 'ENTGELTABSCHLUSS', reversal: false, location: 'line 4',
      },
    ]);
    expect(events.at(-1)).toEqual({ kind: 'statementEnd', contentSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  test('Rabobank: quoted fields with doubled quotes and a line break, signed "+1.500,00", three description columns, Volgnr as reference', async () => {
    const entries = entriesOf(await parseAll(fixture('rabobank.csv'), { csv: BUILT_IN_CSV_PRESETS.rabobank }));
    expect(entries.map(({ amount, bankReference, remittanceInformation, location }) => ({ amount, bankReference, remittanceInformation, location }))).toEqual([
      { amount: '-2.5', bankReference: '000000000000007213', remittanceInformation: 'Parkeren "Centrum", Utrecht', location: 'line 2' },
      { amount: '1500', bankReference: '000000000000007214', remittanceInformation: 'Factuur 2024-031 betaling maart', location: 'line 3' },
      { amount: '-45', bankReference: '000000000000007215', remittanceInformation: 'Termijn maart energie', location: 'line 4' },
    ]);
    expect(entries[1]).toMatchObject({ endToEndId: 'E2E-031', counterpartyIban: 'NL69INGB0123456789', counterpartyName: 'Acme B.V.', valueDate: '2024-03-15' });
    expect(entries[2]).toMatchObject({ valueDate: '2024-03-16', bookingDate: '2024-03-15' });
    expect(entries[2]!.endToEndId).toBeUndefined();
  });

  test('Chase: MM/DD/YYYY, quoted amounts with thousands commas, a fixed currency', async () => {
    const events = await parseAll(fixture('chase.csv'), { csv: BUILT_IN_CSV_PRESETS.chase });
    expect(events[1]).toMatchObject({ statement: { account: { currency: 'USD' } } });
    expect(entriesOf(events).map(({ bookingDate, amount, currency, remittanceInformation }) => [bookingDate, amount, currency, remittanceInformation])).toEqual([
      ['2024-03-14', '-23.99', 'USD', 'AMAZON MKTPL*AB12CD, SEATTLE WA'],
      ['2024-03-15', '2500', 'USD', 'PAYROLL ACME CORP PPD ID: 123456789'],
      ['2024-03-18', '-150', 'USD', 'CHECK 1042'],
    ]);
  });

  test('Monzo: "Money Out" and "Money In" columns, the transaction id as reference, a currency column', async () => {
    const entries = entriesOf(await parseAll(fixture('monzo.csv'), { csv: BUILT_IN_CSV_PRESETS.monzo }));
    expect(entries.map(({ amount, currency, bankReference, counterpartyName }) => [amount, currency, bankReference, counterpartyName])).toEqual([
      ['-4.25', 'GBP', 'tx_0000AbCdEf123456', 'Pret A Manger'],
      ['150', 'GBP', 'tx_0000AbCdEf123457', 'J Smith'],
      ['-32.1', 'GBP', 'tx_0000AbCdEf123458', 'Tesco'],
    ]);
    expect(entries[1]!.remittanceInformation).toBe('J SMITH RENT rent share #flat');
  });

  test('every built-in preset is valid by the schema the API checks with', () => {
    for (const builtIn of Object.values(BUILT_IN_CSV_PRESETS)) expect(csvPresetProblems(builtIn)).toEqual([]);
  });
});

describe('reading CSV', () => {
  test('a preamble before the header is skipped: the header is the first row holding every named column', async () => {
    const text = 'Umsatzanzeige;Datei erstellt am: 15.03.2024\nIBAN;DE89 3704 0044 0532 0130 00\n\nDatum;Name;Zweck;Betrag;Währung\n14.03.2024;Bäcker;Brötchen;-3,20;EUR\n';
    const entries = entriesOf(await parseAll(text, { csv: preset() }));
    expect(entries).toEqual([{ status: 'booked', bookingDate: '2024-03-14', amount: '-3.2', currency: 'EUR', counterpartyName: 'Bäcker', remittanceInformation: 'Brötchen', reversal: false, location: 'line 5' }]);
  });

  test('header names match ignoring case and spaces; columns may also be numbers; a BOM before the header is ignored', async () => {
    const text = '\uFEFF DATUM ;name;zweck;betrag\n01.02.2024;A;x;1,00\n';
    const entries = entriesOf(await parseAll(Buffer.from(text), { csv: preset({ columns: { bookingDate: 'Datum', amount: 4, counterpartyName: 'Name', text: [3] } }) }));
    expect(entries[0]).toMatchObject({ bookingDate: '2024-02-01', amount: '1', counterpartyName: 'A', remittanceInformation: 'x' });
  });

  test('a file without header, with rows to skip, by column numbers', async () => {
    const text = 'Kontoauszug\n2024-01-05|-12.00|Miete\n2024-01-06|1,200.50|Gehalt\n';
    const noHeader = preset({ header: false, skipRows: 1, delimiter: '|', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', thousandsSeparator: ',', columns: { bookingDate: 1, amount: 2, text: [3] } });
    expect(entriesOf(await parseAll(text, { csv: noHeader })).map(({ amount, location }) => [amount, location])).toEqual([['-12', 'line 2'], ['1200.5', 'line 3']]);
  });

  test('debit and credit columns: unsigned or signed debits, empty or zero for the other side', async () => {
    const text = 'Datum;Soll;Haben\n01.01.2024;12,50;\n02.01.2024;-3,00;0,00\n03.01.2024;;7,00\n04.01.2024;0,00;0,00\n';
    const debitCredit = preset({ columns: { bookingDate: 'Datum', debit: 'Soll', credit: 'Haben' } });
    expect(entriesOf(await parseAll(text, { csv: debitCredit })).map(({ amount }) => amount)).toEqual(['-12.5', '-3', '7', '0']);
  });

  test('the date formats', async () => {
    const cases: [CsvPreset['dateFormat'], string, string][] = [
      ['YYYY-MM-DD', '2024-02-29', '2024-02-29'], ['DD.MM.YYYY', '1.2.2024', '2024-02-01'], ['DD.MM.YY', '31.12.23', '2023-12-31'],
      ['DD-MM-YYYY', '05-06-2024', '2024-06-05'], ['DD/MM/YYYY', '05/06/2024', '2024-06-05'], ['MM/DD/YYYY', '05/06/2024', '2024-05-06'],
      ['YYYYMMDD', '20240506', '2024-05-06'], ['YYYY-MM-DD', '2024-05-06 13:45:00', '2024-05-06'], ['DD/MM/YYYY', '06/05/2024T09:00', '2024-05-06'],
    ];
    for (const [dateFormat, written, iso] of cases) {
      const entries = entriesOf(await parseAll(`Datum;Betrag\n${written};1\n`, { csv: preset({ dateFormat, columns: { bookingDate: 'Datum', amount: 'Betrag' } }) }));
      expect(entries[0]!.bookingDate, `${dateFormat} ${written}`).toBe(iso);
    }
  });

  test('Windows-1252 text, in a file and in chunks of 1 byte', async () => {
    const bytes = Buffer.concat([Buffer.from('Datum;Name;Betrag\n01.01.2024;Müller & Söhne ', 'latin1'), Buffer.from([0x80]), Buffer.from(';1,00\n')]);
    const latin = preset({ encoding: 'windows-1252', columns: { bookingDate: 'Datum', amount: 'Betrag', counterpartyName: 'Name' } });
    expect(entriesOf(await parseAll(bytes, { csv: latin }))[0]!.counterpartyName).toBe('Müller & Söhne €');
    expect(await parseAll(inChunks(bytes, 1), { csv: latin })).toEqual(await parseAll(bytes, { csv: latin }));
  });

  test('encoding "auto": UTF-8 without a BOM and Windows-1252 read alike, decided at the first non-ASCII character', async () => {
    const text = 'Dato;Beløb;Tekst\n01.03.2024;-1,00;Føtex Århus\n';
    const auto = preset({ encoding: 'auto', columns: { bookingDate: 'Dato', amount: 'Beløb', text: ['Tekst'] } });
    for (const bytes of [Buffer.from(text, 'utf8'), Buffer.from(text, 'latin1')]) {
      expect(entriesOf(await parseAll(bytes, { csv: auto }))[0]!.remittanceInformation).toBe('Føtex Århus');
    }
  });

  test('the statement id covers the first 64 KiB and is stable; the content hash covers everything', async () => {
    const row = '01.01.2024;Name;Zweck;1,00\n';
    const text = `Datum;Name;Zweck;Betrag\n${row.repeat(4000)}`;
    const first = await parseAll(text, { csv: preset() });
    const again = await parseAll(inChunks(Buffer.from(text), 999), { csv: preset() });
    const longer = await parseAll(`${text}${row}`, { csv: preset() });
    const id = (events: typeof first) => {
      const header = events[1];
      return header?.kind === 'statement' ? header.statement.statementId : undefined;
    };
    const digest = (events: typeof first) => {
      const last = events.at(-1);
      return last?.kind === 'statementEnd' ? last.contentSha256 : undefined;
    };
    expect(id(again)).toBe(id(first));
    expect(digest(again)).toBe(digest(first));
    expect(id(longer)).toBe(id(first));
    expect(digest(longer)).not.toBe(digest(first));
    expect(entriesOf(first)).toHaveLength(4000);
  });
});

describe('rows the bank has not booked yet', () => {
  test('Sparkasse: "Umsatz vorgemerkt" rows are pending (the one without dates takes the next row\'s), "Umsatz gebucht" rows booked', async () => {
    const entries = entriesOf(await parseAll(fixture('sparkasse-csv-camt-vorgemerkt.csv'), { csv: BUILT_IN_CSV_PRESETS['sparkasse-csv-camt'] }));
    expect(entries.map(({ status, bookingDate, amount, counterpartyName, location }) => [status, bookingDate, amount, counterpartyName, location])).toEqual([
      ['pending', '2024-03-18', '-23.47', 'EDEKA Markt Schmidt', 'line 2'],
      ['pending', '2024-03-18', '-780', 'Hausverwaltung Berg', 'line 3'],
      ['booked', '2024-03-15', '2845.12', 'Maschinenbau Kraus GmbH', 'line 4'],
      ['booked', '2024-03-14', '-39.9', 'FitWerk Süd', 'line 5'],
    ]);
  });

  const payPalStyle = preset({
    delimiter: ',', decimalSeparator: ',', thousandsSeparator: '.', currency: undefined,
    columns: { bookingDate: 'Datum', amount: 'Netto', currency: 'Währung', counterpartyName: 'Name', status: 'Status', reference: 'Transaktionscode' },
  });
  const payPalRows = (status: string) => `"Datum","Name","Status","Währung","Netto","Transaktionscode"\n"12.03.2024","Shop A","Abgeschlossen","EUR","-19,99","1AB"\n"13.03.2024","Shop B","${status}","EUR","-5,00","2CD"\n`;

  test('PayPal style: an "Ausstehend" row is pending, "Abgeschlossen" booked; case and spaces do not matter', async () => {
    for (const status of ['Ausstehend', ' AUSSTEHEND ', 'Pending']) {
      expect(entriesOf(await parseAll(payPalRows(status), { csv: payPalStyle })).map((entry) => entry.status), status).toEqual(['booked', 'pending']);
    }
  });

  test('declined, cancelled and reverted rows moved no money: information, never booked', async () => {
    for (const status of ['Abgelehnt', 'Storniert', 'REVERTED', 'Declined']) {
      expect(entriesOf(await parseAll(payPalRows(status), { csv: payPalStyle }))[1]!.status, status).toBe('info');
    }
  });

  test('an unknown status is refused with its row and value, not guessed', async () => {
    const error = await formatError(payPalRows('Halbfertig'), { csv: payPalStyle });
    expect(error).toMatchObject({ line: 3 });
    expect(error.message).toMatch(/status "Halbfertig" is not a booking status bankfeed knows: .*pendingValues/);
    expect((await formatError(payPalRows(''), { csv: payPalStyle })).message).toMatch(/status "" is not a booking status/);
  });

  test("the preset's own pendingValues: those are pending, any other value booked, declined still information", async () => {
    const own = { ...payPalStyle, pendingValues: ['Halbfertig', 'wartet'] };
    const statuses = async (status: string) => entriesOf(await parseAll(payPalRows(status), { csv: own })).map((entry) => entry.status);
    expect(await statuses(' halbfertig')).toEqual(['booked', 'pending']);
    expect(await statuses('Ausstehend')).toEqual(['booked', 'booked']);
    expect(await statuses('Abgelehnt')).toEqual(['booked', 'info']);
  });

  test('Nordea style: the word in place of the booking date makes the row pending, dated by the next booked row (else the last)', async () => {
    const nordea = preset({ columns: { bookingDate: 'Bogføringsdato', amount: 'Beløb', status: 'Bogføringsdato' } });
    const text = 'Bogføringsdato;Beløb\nReserveret;-10,00\nReserveret;-20,00\n14.03.2024;-1,00\n12.03.2024;-2,00\n';
    expect(entriesOf(await parseAll(text, { csv: nordea })).map(({ status, bookingDate }) => [status, bookingDate])).toEqual([
      ['pending', '2024-03-14'], ['pending', '2024-03-14'], ['booked', '2024-03-14'], ['booked', '2024-03-12'],
    ]);
    const last = entriesOf(await parseAll('Bogføringsdato;Beløb\n12.03.2024;-2,00\nReserveret;-10,00\n', { csv: nordea }));
    expect(last.map(({ status, bookingDate }) => [status, bookingDate])).toEqual([['booked', '2024-03-12'], ['pending', '2024-03-12']]);
    expect((await formatError('Bogføringsdato;Beløb\nReserveret;-10,00\n', { csv: nordea })).message).toMatch(/no row has a booking date, so the pending rows cannot be dated/);
    expect((await formatError('Bogføringsdato;Beløb\nmorgen;-10,00\n', { csv: nordea })).message).toMatch(/status "morgen" is not a booking status/);
  });

  test('a pending row with a booking date that is no date is refused; without one it takes its value date', async () => {
    const withValueDate = preset({ columns: { bookingDate: 'Datum', valueDate: 'Valuta', amount: 'Betrag', status: 'Info' } });
    const entries = entriesOf(await parseAll('Datum;Valuta;Betrag;Info\n;15.03.2024;-1,00;vorgemerkt\n', { csv: withValueDate }));
    expect(entries[0]).toMatchObject({ status: 'pending', bookingDate: '2024-03-15', valueDate: '2024-03-15' });
    expect((await formatError('Datum;Valuta;Betrag;Info\nbald;;-1,00;vorgemerkt\n', { csv: withValueDate })).message).toMatch(/booking date "bald" is not a date/);
  });

  test('pendingValues need a status column', () => {
    expect(csvPresetProblems(preset({ pendingValues: ['offen'] }))).toEqual(['/pendingValues: map the status column they are values of']);
  });
});

describe('amount signs, footers and currencies', () => {
  const withIndicator = (changes: Partial<CsvPreset> = {}) => preset({ columns: { bookingDate: 'Datum', amount: 'Umsatz', indicator: 'S/H' }, ...changes });

  test('an indicator column signs the unsigned amount: the usual values in any case, a redundant minus kept as debit', async () => {
    const text = 'Datum;Umsatz;S/H\n01.03.2024;12,50;S\n02.03.2024;1.000,00;h\n03.03.2024;3,00;Soll\n04.03.2024;4,00;HABEN\n05.03.2024;5,00;DBIT\n06.03.2024;6,00;CRDT\n07.03.2024;-7,00;D\n08.03.2024;0,00;S\n';
    expect(entriesOf(await parseAll(text, { csv: withIndicator() })).map(({ amount }) => amount)).toEqual(['-12.5', '1000', '-3', '4', '-5', '6', '-7', '0']);
  });

  test("the preset's own indicator values replace the usual ones", async () => {
    const own = withIndicator({ indicatorValues: { debit: ['Belastung'], credit: ['Gutschrift'] } });
    expect(entriesOf(await parseAll('Datum;Umsatz;S/H\n01.03.2024;2,00;Belastung\n02.03.2024;3,00; gutschrift \n', { csv: own })).map(({ amount }) => amount)).toEqual(['-2', '3']);
    expect((await formatError('Datum;Umsatz;S/H\n01.03.2024;2,00;S\n', { csv: own })).message).toMatch(/indicator "S" is neither debit \(Belastung\) nor credit \(Gutschrift\)/);
  });

  test('an unknown indicator or a negative credit is refused with its line', async () => {
    const unknown = await formatError('Datum;Umsatz;S/H\n01.03.2024;2,00;S\n02.03.2024;2,00;X\n', { csv: withIndicator() });
    expect(unknown).toMatchObject({ line: 3 });
    expect(unknown.message).toMatch(/debit\/credit indicator "X" is neither debit \(S, D, DBIT, \.\.\.\) nor credit .*indicatorValues/);
    expect((await formatError('Datum;Umsatz;S/H\n01.03.2024;-2,00;H\n', { csv: withIndicator() })).message).toMatch(/the amount -2 is negative, but the indicator "H" says credit/);
  });

  test('invertSign negates every amount (a card account that exports purchases positive), with any amount shape', async () => {
    const text = 'Datum;Betrag\n01.03.2024;45,90\n02.03.2024;-100,00\n';
    expect(entriesOf(await parseAll(text, { csv: preset({ invertSign: true, columns: { bookingDate: 'Datum', amount: 'Betrag' } }) })).map(({ amount }) => amount)).toEqual(['-45.9', '100']);
    const indicated = entriesOf(await parseAll('Datum;Umsatz;S/H\n01.03.2024;2,00;S\n', { csv: withIndicator({ invertSign: true }) }));
    expect(indicated[0]!.amount).toBe('2');
  });

  test('footer rows matching a pattern are not read, nor blank lines at the end; the joined fields are matched, ignoring case', async () => {
    const text = 'Datum;Betrag;Zweck\n01.03.2024;-1,00;Total Tankstelle\n02.03.2024;2,00;x\n;;\nKONTOSTAND;;31.03.2024\nSaldo;1,00;EUR\n\n\n';
    const footed = preset({ footerPatterns: ['^Kontostand;', '^saldo;'], columns: { bookingDate: 'Datum', amount: 'Betrag', text: ['Zweck'] } });
    expect(entriesOf(await parseAll(text, { csv: footed })).map(({ amount, remittanceInformation }) => [amount, remittanceInformation])).toEqual([['-1', 'Total Tankstelle'], ['2', 'x']]);
    const error = await formatError(text, { csv: preset({ columns: { bookingDate: 'Datum', amount: 'Betrag' } }) });
    expect(error).toMatchObject({ line: 5 });
  });

  test('a row after the footer that matches no pattern is refused: a pattern must not swallow transactions', async () => {
    const error = await formatError('Datum;Betrag\n01.03.2024;-1,00\nSumme;-1,00\n02.03.2024;2,00\n', { csv: preset({ footerPatterns: ['^Summe'], columns: { bookingDate: 'Datum', amount: 'Betrag' } }) });
    expect(error).toMatchObject({ line: 4 });
    expect(error.message).toMatch(/a row after the footer that begins on line 3, and it matches no footer pattern/);
  });

  test('footer patterns are checked with the preset: a regular expression, no nested repetition, at most 200 characters', () => {
    expect(csvPresetProblems(preset({ footerPatterns: ['^Total', '(unclosed'] }))).toEqual([expect.stringMatching(/^\/footerPatterns\/1: not a regular expression: /)]);
    expect(csvPresetProblems(preset({ footerPatterns: ['^(a+)+$', '(\\w*x)*'] }))).toEqual([
      expect.stringMatching(/^\/footerPatterns\/0: a repeated group that repeats inside/),
      expect.stringMatching(/^\/footerPatterns\/1: a repeated group that repeats inside/),
    ]);
    expect(csvPresetProblems(preset({ footerPatterns: ['x'.repeat(201)] }))[0]).toMatch(/^\/footerPatterns\/0: /);
  });

  test('indicator rules: it needs the amount column, its values need it, no value on both sides', () => {
    expect(csvPresetProblems(preset({ columns: { bookingDate: 'D', debit: 'S', credit: 'H', indicator: 'I' } }))).toEqual(['/columns/indicator: an indicator gives the sign of the amount column: map amount']);
    expect(csvPresetProblems(preset({ indicatorValues: { debit: ['S'], credit: ['H'] } }))).toEqual(['/indicatorValues: map the indicator column they are values of']);
    expect(csvPresetProblems(withIndicator({ indicatorValues: { debit: ['S', 'X'], credit: ['x', 'H'] } }))).toEqual(['/indicatorValues: "x" cannot mean both debit and credit']);
  });

  test('US and other date layouts', async () => {
    const cases: [CsvPreset['dateFormat'], string, string][] = [
      ['MM/DD/YYYY', '3/7/2024', '2024-03-07'], ['MM/DD/YY', '12/31/23', '2023-12-31'], ['DD/MM/YY', '31/12/23', '2023-12-31'],
      ['DD-MM-YY', '05-06-24', '2024-06-05'], ['MM-DD-YYYY', '05-06-2024', '2024-05-06'], ['YYYY/MM/DD', '2024/05/06', '2024-05-06'],
    ];
    for (const [dateFormat, written, iso] of cases) {
      const entries = entriesOf(await parseAll(`Datum;Betrag\n${written};1\n`, { csv: preset({ dateFormat, columns: { bookingDate: 'Datum', amount: 'Betrag' } }) }));
      expect(entries[0]!.bookingDate, `${dateFormat} ${written}`).toBe(iso);
    }
    expect((await formatError('Datum;Betrag\n13/01/24;1\n', { csv: preset({ dateFormat: 'MM/DD/YY', columns: { bookingDate: 'Datum', amount: 'Betrag' } }) })).message).toMatch(/"13\/01\/24" is not a date: expected MM\/DD\/YY/);
  });

  test('rows in several currencies: one statement per currency, the first streaming, the others after it in file order', async () => {
    const text = 'Date,Amount,Currency,Description\n2024-03-01,-1.00,EUR,a\n2024-03-01,-2.00,USD,b\n2024-03-02,3.00,EUR,c\n2024-03-02,4.00,GBP,d\n2024-03-03,5.00,USD,e\n';
    const multi = preset({ delimiter: ',', dateFormat: 'YYYY-MM-DD', decimalSeparator: '.', thousandsSeparator: undefined, currency: undefined, accountIban: 'LT12 1000 0111 0100 1000', columns: { bookingDate: 'Date', amount: 'Amount', currency: 'Currency', text: ['Description'] } });
    const events = await parseAll(text, { csv: multi });
    const shape = events.map((event) =>
      event.kind === 'statement' ? `statement ${event.statement.statementId.replace(/^csv:[0-9a-f]{32}/, 'csv:<hash>')} ${event.statement.account.iban} ${event.statement.account.currency}`
      : event.kind === 'entry' ? `${event.entry.amount} ${event.entry.currency} ${event.entry.location}`
      : event.kind,
    );
    expect(shape).toEqual([
      'file',
      'statement csv:<hash> LT121000011101001000 EUR', '-1 EUR line 2', '3 EUR line 4', 'statementEnd',
      'statement csv:<hash>:USD LT121000011101001000 USD', '-2 USD line 3', '5 USD line 6', 'statementEnd',
      'statement csv:<hash>:GBP LT121000011101001000 GBP', '4 GBP line 5', 'statementEnd',
    ]);
  });

  test('a currency column decides over the fixed currency, which fills its empty cells', async () => {
    const events = await parseAll('Datum;Betrag;Whg\n01.03.2024;1,00;\n02.03.2024;2,00;CHF\n', { csv: preset({ columns: { bookingDate: 'Datum', amount: 'Betrag', currency: 'Whg' } }) });
    expect(events.filter((event) => event.kind === 'statement').map((event) => event.kind === 'statement' && event.statement.account.currency)).toEqual(['EUR', 'CHF']);
  });
});

describe('what CSV files are refused, with the line and why', () => {
  const simple = preset({ columns: { bookingDate: 'Datum', amount: 'Betrag' } });
  const cases: [string, string, CsvPreset, RegExp, number][] = [
    ['a date in another format', 'Datum;Betrag\n2024-01-01;1,00\n', simple, /booking date "2024-01-01" is not a date: expected DD\.MM\.YYYY/, 2],
    ['a date that does not exist', 'Datum;Betrag\n30.02.2024;1,00\n', simple, /booking date "30\.02\.2024" is not a date/, 2],
    ['an amount with the other decimal separator', 'Datum;Betrag\n01.01.2024;1.50\n', simple, /"1\.50" is not an amount: expected digit groups of three/, 2],
    ['an amount that is text', 'Datum;Betrag\n01.01.2024;EUR 5\n', simple, /amount: "EUR 5" is not an amount/, 2],
    ['an empty amount', 'Datum;Betrag\n01.01.2024;\n', simple, /the amount is empty/, 2],
    ['both debit and credit', 'Datum;S;H\n01.01.2024;1,00;2,00\n', preset({ columns: { bookingDate: 'Datum', debit: 'S', credit: 'H' } }), /both debit \(1,00\) and credit \(2,00\) are set/, 2],
    ['neither debit nor credit', 'Datum;S;H\n01.01.2024;;\n', preset({ columns: { bookingDate: 'Datum', debit: 'S', credit: 'H' } }), /both debit and credit are empty/, 2],
    ['a short row', 'Datum;Name;Betrag\n01.01.2024;X\n', preset({ columns: { bookingDate: 'Datum', amount: 'Betrag' } }), /the row has 2 fields, so no column "Betrag" \(field 3\)/, 2],
    ['a bad currency', 'Datum;Betrag;Whg\n01.01.2024;1,00;€\n', preset({ columns: { bookingDate: 'Datum', amount: 'Betrag', currency: 'Whg' } }), /currency "€" is not an ISO 4217 code/, 2],
    ['a second account', 'Konto;Datum;Betrag\nDE89370400440532013000;01.01.2024;1,00\nDE02120300000000202051;01.01.2024;1,00\n', preset({ columns: { bookingDate: 'Datum', amount: 'Betrag', accountIban: 'Konto' } }), /account DE02120300000000202051 differs from DE89370400440532013000/, 3],
    ['an account that is no IBAN', 'Konto;Datum;Betrag\n12345;01.01.2024;1,00\n', preset({ columns: { bookingDate: 'Datum', amount: 'Betrag', accountIban: 'Konto' } }), /account "12345" is not a valid IBAN/, 2],
    ['a quote that is never closed', 'Datum;Betrag\n01.01.2024;"1,00\n', simple, /a quoted field is never closed: expected a closing " \(truncated file\?\)/, 2],
    ['text after a closing quote', 'Datum;Betrag\n01.01.2024;"1,00"x\n', simple, /"x" after a closing quote: expected the delimiter ";"/, 2],
    ['no header row', 'a;b\n1;2\n', preset(), /no header row with the columns "Datum", "Betrag", "Name", "Zweck": none of its first 2 rows has them \(another delimiter or encoding\?\)/, 1],
    ['a file with another delimiter', 'Datum,Betrag\n01.01.2024,"1,00"\n', preset(), /no header row with the columns "Datum", "Betrag"/, 1],
    ['an empty file for a preset with a header', '', preset(), /the file is empty/, 0],
  ];
  test.each(cases)('%s', async (_name, text, csv, message, line) => {
    const error = await formatError(text, { csv });
    expect(error.message).toMatch(message);
    if (line > 0) expect(error).toMatchObject({ line, location: `line ${line}` });
  });

  test('a Latin-1 file read as UTF-8 names the line and the encoding to choose', async () => {
    const error = await formatError(Buffer.from('Datum;Name;Betrag\n01.01.2024;A;1,00\n01.01.2024;Müller;1,00\n', 'latin1'), { csv: preset({ columns: { bookingDate: 'Datum', amount: 'Betrag', counterpartyName: 'Name' } }) });
    expect(error).toMatchObject({ line: 3 });
    expect(error.message).toMatch(/byte 0xFC is not valid UTF-8: expected UTF-8 text; set the encoding of the CSV preset to the one the bank uses, often windows-1252/);
  });
});

describe('preset validation', () => {
  test('schema violations, with their path', () => {
    expect(csvPresetProblems({ ...preset(), delimiter: 'x' })[0]).toMatch(/^\/delimiter: /);
    expect(csvPresetProblems({ ...preset(), columns: { bookingDate: 'Datum', amount: 'Betrag', colour: 'x' } })[0]).toMatch(/^\/columns/);
    expect(csvPresetProblems('not a preset')).not.toEqual([]);
  });

  test('rules across fields', () => {
    expect(csvPresetProblems(preset({ columns: { bookingDate: 'D' } }))).toEqual(['/columns: map either amount (signed) or both debit and credit']);
    expect(csvPresetProblems(preset({ columns: { bookingDate: 'D', amount: 'A', debit: 'S', credit: 'H' } }))).toEqual(['/columns: map either amount or debit and credit, not both']);
    expect(csvPresetProblems(preset({ currency: undefined }))).toEqual(['/currency: set a fixed currency, or map the currency column']);
    expect(csvPresetProblems(preset({ thousandsSeparator: ',' }))).toEqual(['/thousandsSeparator: must differ from the decimal separator']);
    expect(csvPresetProblems(preset({ accountIban: 'DE00370400440532013000' }))).toEqual(['/accountIban: not a valid IBAN']);
    expect(csvPresetProblems(preset({ header: false, columns: { bookingDate: 1, amount: 'Betrag', text: [2, 'Zweck'] } }))).toEqual([
      '/columns/amount: "Betrag" is a header name, but the preset has no header row: use a column number',
      '/columns/text: "Zweck" is a header name, but the preset has no header row: use a column number',
    ]);
  });

  test('the parser refuses an invalid preset before reading', async () => {
    const error = await formatError('Datum;Betrag\n', { csv: preset({ columns: { bookingDate: 'D' } }) });
    expect(error).toMatchObject({ location: 'CSV preset' });
    expect(error.message).toMatch(/the CSV preset is not valid: \/columns: map either amount/);
  });

  test('a preset is plain JSON', () => {
    const copy = JSON.parse(JSON.stringify(BUILT_IN_CSV_PRESETS['sparkasse-csv-camt']));
    expect(copy).toEqual(BUILT_IN_CSV_PRESETS['sparkasse-csv-camt']);
  });
});
