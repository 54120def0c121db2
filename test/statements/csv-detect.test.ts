import { describe, expect, test } from 'vitest';
import { DETECT_BYTES } from '../../statements/csv-detect.js';
import { detectCsvPreset, type StatementEntry } from '../../statements/index.js';
import { entriesOf, fixture, formatError, inChunks, parseAll } from './helpers.js';

/** An entry as the CSV parser builds it: booked, no reversal, every other field as given. */
const entry = (fields: Partial<StatementEntry> & Pick<StatementEntry, 'bookingDate' | 'amount' | 'currency' | 'location'>): StatementEntry => ({ status: 'booked', reversal: false, ...fields });

describe('CSV without a preset: one export per language family, read to the exact entries', () => {
  test('German (Sparkasse-like): a preamble with the IBAN, "Umsatz" with an S/H indicator column, "vorgemerkt" rows pending', async () => {
    const events = await parseAll(fixture('detect-german-preamble-sh.csv'));
    expect(events[1]).toMatchObject({ statement: { account: { iban: 'DE75120300001020304050', currency: 'EUR' } } });
    expect(entriesOf(events)).toEqual([
      entry({
        status: 'pending', bookingDate: '2024-03-28', valueDate: '2024-03-28', amount: '-3.2', currency: 'EUR', counterpartyName: 'Bäckerei Körner', remittanceInformation: 'Kartenzahlung girocard',
        location: 'line 8',
      }),
      entry({
        bookingDate: '2024-03-27', valueDate: '2024-03-27', amount: '-89.9', currency: 'EUR', counterpartyName: 'Stadtwerke Musterstadt', counterpartyIban: 'DE44500105175407324931',
        remittanceInformation: 'Lastschrift Abschlag Strom März', location: 'line 9',
      }),
      entry({
        bookingDate: '2024-03-26', valueDate: '2024-03-26', amount: '1250', currency: 'EUR', counterpartyName: 'Kunde AG', counterpartyIban: 'DE02120300000000202051',
        remittanceInformation: 'Gutschrift Rechnung 4711', location: 'line 10',
      }),
    ]);
  });

  test('Danish (UTF-8 with a byte order mark): ";" and "1.234,50", Valuta holding the currency, "Reserveret" pending, a footer "Saldo" line not read', async () => {
    const entries = entriesOf(await parseAll(fixture('detect-danish-status-footer.csv')));
    expect(entries).toEqual([
      entry({ bookingDate: '2024-03-27', amount: '-1234.5', currency: 'DKK', remittanceInformation: 'Dankort-køb Netto 1234', location: 'line 2' }),
      entry({ bookingDate: '2024-03-26', amount: '25000', currency: 'DKK', remittanceInformation: 'Løn marts', location: 'line 3' }),
      entry({ status: 'pending', bookingDate: '2024-03-28', amount: '-89', currency: 'DKK', remittanceInformation: 'Spotify P2A3B4C5D6', location: 'line 4' }),
    ]);
    const { preset, findings } = await detectCsvPreset(fixture('detect-danish-status-footer.csv'));
    expect(preset.footerPatterns).toEqual(['^Saldo(?:[;]|$)']);
    expect(findings).toContainEqual({ aspect: 'footer', detected: '1 line from line 5', evidence: 'no date in "Saldo"' });
  });

  test('Dutch (ING-like): dates YYYYMMDD, "Af Bij" as the indicator, "Bedrag (EUR)" gives the currency, "Rekening" the account', async () => {
    const events = await parseAll(fixture('detect-dutch-af-bij.csv'));
    expect(events[1]).toMatchObject({ statement: { account: { iban: 'NL20INGB0001234567', currency: 'EUR' } } });
    expect(entriesOf(events)).toEqual([
      entry({
        bookingDate: '2024-03-28', amount: '-23.45', currency: 'EUR', counterpartyName: 'Albert Heijn 1234 AMSTERDAM', remittanceInformation: 'Pasvolgnr: 001 28-03-2024 17:45 Transactie: 12AB34 Term: CT123456',
        bankTransactionCode: 'BA', location: 'line 2',
      }),
      entry({
        bookingDate: '2024-03-25', amount: '2750', currency: 'EUR', counterpartyName: 'Nordlicht Handel BV', counterpartyIban: 'NL91ABNA0417164300',
        remittanceInformation: 'Naam: Nordlicht Handel BV Omschrijving: Salaris maart IBAN: NL91ABNA0417164300', bankTransactionCode: 'OV', location: 'line 3',
      }),
      entry({
        bookingDate: '2024-03-01', amount: '-1250', currency: 'EUR', counterpartyName: 'Belastingdienst', counterpartyIban: 'NL86INGB0002445588',
        remittanceInformation: 'Naam: Belastingdienst Omschrijving: Voorlopige aanslag', bankTransactionCode: 'IC', location: 'line 4',
      }),
    ]);
  });

  test('an unnamed column of S and H beside the amount is the indicator (Volksbank-like)', async () => {
    const text = 'Buchungstag;Empfänger;Umsatz;\n14.03.2024;Bäcker;3,20;S\n15.03.2024;Kunde;100,00;H\n';
    expect(entriesOf(await parseAll(text, { currency: 'EUR' })).map(({ amount }) => amount)).toEqual(['-3.2', '100']);
  });

  test('footer lines whose first fields are empty: a pattern per line, from its leading fields', async () => {
    const text = 'Date,Description,Amount\n14/03/2024,Coffee,-4.50\n,Total debits,-4.50\n,Total credits,0.00\n';
    const { preset } = await detectCsvPreset(text, { currency: 'GBP' });
    expect(preset.footerPatterns).toEqual(['^.Total debits(?:[,]|$)', '^.Total credits(?:[,]|$)']);
    expect(entriesOf(await parseAll(text, { currency: 'GBP' }))).toHaveLength(1);
  });

  test('Swedish (Swedbank-like): a preamble line, ";", dates YYYY-MM-DD, "28 500,00" with a space grouping, Valuta as the currency, own account number not taken for the counterparty', async () => {
    const events = await parseAll(fixture('detect-swedish-preamble.csv'));
    expect(events[1]).toMatchObject({ statement: { account: { currency: 'SEK' } } });
    expect(entriesOf(events)).toEqual([
      entry({ bookingDate: '2024-03-28', valueDate: '2024-03-28', amount: '-245.5', currency: 'SEK', remittanceInformation: 'ICA NARA Kortköp 240327 ICA Nära Vasastan', location: 'line 3' }),
      entry({ bookingDate: '2024-03-25', valueDate: '2024-03-25', amount: '28500', currency: 'SEK', remittanceInformation: 'LÖN Lön mars Nordlicht AB', location: 'line 4' }),
      entry({ bookingDate: '2024-03-20', valueDate: '2024-03-20', amount: '-9800', currency: 'SEK', remittanceInformation: 'Hyra Överföring hyra april', location: 'line 5' }),
    ]);
  });

  test('Norwegian (DNB-like): "Ut fra konto" and "Inn på konto" columns, Rentedato as the value date, the currency of the account it is uploaded to', async () => {
    const entries = entriesOf(await parseAll(fixture('detect-norwegian-out-in.csv'), { currency: 'NOK' }));
    expect(entries).toEqual([
      entry({ bookingDate: '2024-03-27', valueDate: '2024-03-27', amount: '-312.4', currency: 'NOK', remittanceInformation: 'Varekjøp REMA 1000 Grünerløkka', location: 'line 2' }),
      entry({ bookingDate: '2024-03-25', valueDate: '2024-03-25', amount: '42000', currency: 'NOK', remittanceInformation: 'Lønn mars Nordlicht AS', location: 'line 3' }),
      entry({ bookingDate: '2024-03-14', valueDate: '2024-03-15', amount: '-12500', currency: 'NOK', remittanceInformation: 'Husleie april', location: 'line 4' }),
    ]);
  });

  test('a file that names no currency, not uploaded into an account, is refused asking for one', async () => {
    const error = await formatError(fixture('detect-norwegian-out-in.csv'));
    expect(error.message).toMatch(/no currency: .* upload it into an account \(its currency is used\), or send a preset with the currency/);
  });

  test('Finnish (OP-like): "Määrä EUROA" gives the currency, "+3200,00", Arkistointitunnus as the bank reference, Saaja/Maksaja and the counterparty account', async () => {
    const entries = entriesOf(await parseAll(fixture('detect-finnish.csv')));
    expect(entries).toEqual([
      entry({
        bookingDate: '2024-03-28', valueDate: '2024-03-28', amount: '-54.9', currency: 'EUR', bankReference: '20240328/5ABCDE/123456', counterpartyName: 'K-Market Kallio',
        remittanceInformation: 'PKORTTIMAKSU', bankTransactionCode: '162', location: 'line 2',
      }),
      entry({
        bookingDate: '2024-03-25', valueDate: '2024-03-25', amount: '3200', currency: 'EUR', bankReference: '20240325/593912/AB0001', counterpartyName: 'Nordlicht Oy',
        counterpartyIban: 'FI5957123400010023', remittanceInformation: 'PALKKA Palkka maaliskuu', bankTransactionCode: '710', location: 'line 3',
      }),
      entry({
        bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '-120', currency: 'EUR', bankReference: '20240315/593912/CD0002', counterpartyName: 'Helen Oy',
        counterpartyIban: 'FI2112345600000785', remittanceInformation: 'E-LASKU RF18539007547034', bankTransactionCode: '106', location: 'line 4',
      }),
    ]);
  });

  test('French: a preamble with the IBAN, "Débit euros" and "Crédit euros" columns, DD/MM/YYYY, "2 450,00"', async () => {
    const events = await parseAll(fixture('detect-french-debit-credit.csv'));
    expect(events[1]).toMatchObject({ statement: { account: { iban: 'FR7630006000011234567890189', currency: 'EUR' } } });
    expect(entriesOf(events)).toEqual([
      entry({ bookingDate: '2024-03-29', valueDate: '2024-03-29', amount: '-45.9', currency: 'EUR', remittanceInformation: 'CB CARREFOUR CITY 28/03', location: 'line 6' }),
      entry({ bookingDate: '2024-03-25', valueDate: '2024-03-25', amount: '2450', currency: 'EUR', remittanceInformation: 'VIR SEPA NORDLICHT SARL SALAIRE MARS', location: 'line 7' }),
      entry({ bookingDate: '2024-03-15', valueDate: '2024-03-18', amount: '-78', currency: 'EUR', remittanceInformation: 'PRLV SEPA EDF CLIENTS PARTICULIERS', location: 'line 8' }),
    ]);
  });

  test('English (Monzo-like): one signed amount, "-1,032.10", DD/MM/YYYY settled by 13/04, the transaction id as the bank reference', async () => {
    const entries = entriesOf(await parseAll(fixture('detect-english-signed.csv')));
    expect(entries).toEqual([
      entry({
        bookingDate: '2024-04-01', amount: '-4.25', currency: 'GBP', bankReference: 'tx_0000AbCdEf987601', counterpartyName: 'Pret A Manger', remittanceInformation: 'PRET A MANGER LONDON GBR',
        bankTransactionCode: 'Card payment', location: 'line 2',
      }),
      entry({
        bookingDate: '2024-04-02', amount: '150', currency: 'GBP', bankReference: 'tx_0000AbCdEf987602', counterpartyName: 'J Smith', remittanceInformation: 'rent share J SMITH RENT',
        bankTransactionCode: 'Faster payment', location: 'line 3',
      }),
      entry({
        bookingDate: '2024-04-13', amount: '-1032.1', currency: 'GBP', bankReference: 'tx_0000AbCdEf987603', counterpartyName: 'Tesco', remittanceInformation: 'TESCO STORES 2042',
        bankTransactionCode: 'Card payment', location: 'line 4',
      }),
    ]);
  });

  test('US (Bank of America-like): a summary block above the header, MM/DD/YYYY settled by 03/15 although 03/04 and 03/09 read both ways', async () => {
    const entries = entriesOf(await parseAll(fixture('detect-us-summary.csv'), { currency: 'USD' }));
    expect(entries).toEqual([
      entry({ bookingDate: '2024-03-04', amount: '2500', currency: 'USD', remittanceInformation: 'PAYROLL ACME CORP DES:PAYROLL ID:123456', location: 'line 8' }),
      entry({ bookingDate: '2024-03-09', amount: '-87.34', currency: 'USD', remittanceInformation: 'CHECKCARD 0308 WHOLE FOODS MARKET AUSTIN TX', location: 'line 9' }),
      entry({ bookingDate: '2024-03-15', amount: '-308.33', currency: 'USD', remittanceInformation: 'ONLINE PAYMENT TO CITY OF AUSTIN UTILITIES', location: 'line 10' }),
    ]);
  });

  test('UTF-16 LE with a byte order mark, tab separated (Excel "Unicode text"), in chunks that split characters', async () => {
    const expected = [
      entry({ bookingDate: '2024-03-28', amount: '-64', currency: 'EUR', counterpartyName: 'Ökostrom Süd GmbH', remittanceInformation: 'Abschlag März', location: 'line 2' }),
      entry({ bookingDate: '2024-03-15', amount: '3412.77', currency: 'EUR', counterpartyName: 'Arbeitgeber GmbH & Co. KG', remittanceInformation: 'Gehalt März', location: 'line 3' }),
    ];
    expect(entriesOf(await parseAll(fixture('detect-utf16le-tab.csv')))).toEqual(expected);
    expect(entriesOf(await parseAll(inChunks(fixture('detect-utf16le-tab.csv'), 3)))).toEqual(expected);
  });

  test('Windows-1252 (DKB-like): umlauts and €, the account IBAN from the preamble, a varying "Kontonummer" as the counterparty, a trailing ";", "Mandatsreferenz" as the mandate', async () => {
    const events = await parseAll(fixture('detect-windows1252-dkb.csv'));
    expect(events[1]).toMatchObject({ statement: { account: { iban: 'DE75120300001020304050', currency: 'EUR' } } });
    expect(entriesOf(events)).toEqual([
      entry({
        bookingDate: '2024-03-28', valueDate: '2024-03-28', amount: '-25', currency: 'EUR', counterpartyName: 'Müller Süßwaren GmbH', counterpartyIban: 'DE44500105175407324931',
        remittanceInformation: 'Bestellung 123 über 25€ Porto', mandateId: 'M-2024-001', bankTransactionCode: 'Lastschrift', location: 'line 8',
      }),
      entry({
        bookingDate: '2024-03-27', valueDate: '2024-03-27', amount: '40', currency: 'EUR', counterpartyName: 'Jörg Weiß', counterpartyIban: 'DE02120300000000202051',
        remittanceInformation: 'Anteil Geschenk für Grete', bankTransactionCode: 'Gutschrift', location: 'line 9',
      }),
    ]);
  });
});

describe('rows the bank has not booked', () => {
  test('a status column with the banks\' words makes rows pending (Danish "Reserveret" beside "Udført")', async () => {
    const text = 'Dato;Tekst;Beløb;Status;Valuta\n28.03.2024;Spotify;-89,00;Reserveret;DKK\n27.03.2024;Netto;-1.234,50;Udført;DKK\n';
    const { preset } = await detectCsvPreset(text);
    expect(preset.columns.status).toBe('Status');
    expect(entriesOf(await parseAll(text)).map(({ status, bookingDate, amount }) => [status, bookingDate, amount])).toEqual([
      ['pending', '2024-03-28', '-89'],
      ['booked', '2024-03-27', '-1234.5'],
    ]);
  });

  test('Nordea-like: "Reserveret" where the date would be is the status, and the row takes the date of the booked row after it', async () => {
    const text = 'Bogføringsdato;Beløb;Navn;Beskrivelse;Saldo;Valuta\nReserveret;-89,00;Spotify;Spotify P2A3B4;;DKK\n27.03.2024;-1.234,50;Netto;Dankort-køb;10.234,55;DKK\n';
    const { preset, findings } = await detectCsvPreset(text);
    expect(preset.columns).toMatchObject({ bookingDate: 'Bogføringsdato', status: 'Bogføringsdato' });
    expect(findings).toContainEqual({ aspect: 'status', detected: 'in the date column "Bogføringsdato"', evidence: '"Reserveret" (line 2) where the date would be' });
    expect(entriesOf(await parseAll(text)).map(({ status, bookingDate, amount }) => [status, bookingDate, amount])).toEqual([
      ['pending', '2024-03-27', '-89'],
      ['booked', '2024-03-27', '-1234.5'],
    ]);
  });

  test('a column named "Info" that holds no status words is not a status column', async () => {
    const { preset } = await detectCsvPreset('Buchungstag;Betrag;Info\n14.03.2024;-4,50;Bäckerei\n', { currency: 'EUR' });
    expect(preset.columns.status).toBeUndefined();
  });
});

describe('files larger than what detection reads', () => {
  /** A Danish-style export of `count` rows whose dates are all in the first 12 days of a month until row `settledAt`. */
  function danishExport(count: number, settledAt: number): Buffer {
    const rows = Array.from({ length: count }, (_, index) => `${index >= settledAt ? 20 : (index % 12) + 1}/03/2024;Dankort-køb ${index};-${(index % 900) + 1},50;DKK\n`);
    return Buffer.from(`Dato;Tekst;Beløb;Valuta\n${rows.join('')}`);
  }

  test('detection decides from the first MiB; every row after it is read with that preset, in chunks', async () => {
    const file = danishExport(40_000, 0);
    expect(file.length).toBeGreaterThan(DETECT_BYTES);
    const entries = entriesOf(await parseAll(inChunks(file, 64 * 1024)));
    expect(entries).toHaveLength(40_000);
    expect(entries.at(-1)).toMatchObject({ bookingDate: '2024-03-20', amount: '-400.5', location: 'line 40001' });
  });

  test('dates first settled after the first MiB: refused with the question, since detection has not seen the answer', async () => {
    const error = await formatError(danishExport(40_000, 39_000));
    expect(error.message).toMatch(/can be read two ways .* Send a preset with dateFormat "DD\/MM\/YYYY" or "MM\/DD\/YYYY"/);
  });
});

describe('what detection reports', () => {
  test('the preset it made, and what showed each decision', async () => {
    const { preset, findings } = await detectCsvPreset(fixture('detect-windows1252-dkb.csv'));
    expect(preset).toMatchObject({
      encoding: 'windows-1252', delimiter: ';', skipRows: 6, header: true, dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', thousandsSeparator: '.', currency: 'EUR', accountIban: 'DE75120300001020304050',
      columns: { bookingDate: 'Buchungstag', valueDate: 'Wertstellung', amount: 'Betrag (EUR)', counterpartyName: 'Auftraggeber / Begünstigter', counterpartyIban: 'Kontonummer', text: ['Verwendungszweck'] },
    });
    const found = Object.fromEntries(findings.map(({ aspect, detected, evidence }) => [aspect, `${detected} (${evidence})`]));
    expect(found).toMatchObject({
      encoding: 'windows-1252 (not UTF-8 (byte 0xFC on line 7))',
      'header row': 'line 7 (4 preamble lines above it)',
      'number format': 'decimal ",", thousands "." ("-25,00" (column "Betrag (EUR)", line 8))',
      amount: 'one signed amount ("Betrag (EUR)")',
      account: 'DE75120300001020304050 (the preamble, line 1)',
    });
  });

  test('a Latin-9 file: byte 0xA4 is the euro sign there, and no Windows-1252 punctuation appears', async () => {
    const bytes = Buffer.concat([Buffer.from('Datum;Text;Betrag\n14.03.2024;Geb', 'latin1'), Buffer.from([0xfc]), Buffer.from('hr 5 ', 'latin1'), Buffer.from([0xa4]), Buffer.from(';-5,00\n', 'latin1')]);
    const { preset } = await detectCsvPreset(bytes, { currency: 'EUR' });
    expect(preset.encoding).toBe('iso-8859-15');
    expect(entriesOf(await parseAll(bytes, { currency: 'EUR' }))[0]!.remittanceInformation).toBe('Gebühr 5 €');
  });

  test('"|" as the delimiter, and single quotes as the quote when the file quotes with them only', async () => {
    const piped = await detectCsvPreset('Date|Description|Amount\n14/03/2024|Coffee, large|-4.50\n', { currency: 'GBP' });
    expect(piped.preset).toMatchObject({ delimiter: '|', quote: '"' });
    const text = "'Datum';'Omschrijving';'Bedrag'\n'14-03-2024';'Koffie; groot';'-4,50'\n";
    const quoted = await detectCsvPreset(text, { currency: 'EUR' });
    expect(quoted.preset).toMatchObject({ delimiter: ';', quote: "'", dateFormat: 'DD-MM-YYYY' });
    expect(entriesOf(await parseAll(text, { currency: 'EUR' }))).toEqual([entry({ bookingDate: '2024-03-14', amount: '-4.5', currency: 'EUR', remittanceInformation: 'Koffie; groot', location: 'line 2' })]);
  });

  test('amounts with a decimal point and grouping commas decide the thousands separator from the whole column', async () => {
    const { preset } = await detectCsvPreset('Date;Amount\n14/03/2024;1,234\n15/03/2024;-12.50\n', { currency: 'GBP' });
    expect(preset).toMatchObject({ decimalSeparator: '.', thousandsSeparator: ',' });
    expect(entriesOf(await parseAll('Date;Amount\n14/03/2024;1,234\n15/03/2024;-12.50\n', { currency: 'GBP' })).map(({ amount }) => amount)).toEqual(['1234', '-12.5']);
  });
});

describe('files detection cannot settle are refused, saying what it found and what it needs', () => {
  test('dates that read as DD/MM and as MM/DD, no day above 12: a question naming both readings', async () => {
    const error = await formatError('Date,Description,Amount\n03/04/2024,Rent,-950.00\n05/04/2024,Salary,2500.00\n', { currency: 'USD' });
    expect(error.message).toBe(
      'line 2: the dates of column "Date" can be read two ways and none of them settles which: "03/04/2024" (line 2) is 3 April 2024 (DD/MM/YYYY) or 4 March 2024 (MM/DD/YYYY), and no day in the column is above 12. Which is it? Send a preset with dateFormat "DD/MM/YYYY" or "MM/DD/YYYY"',
    );
  });

  test('no amount column: the headers found and the names expected', async () => {
    const error = await formatError('Buchungstag;Verwendungszweck;Kategorie\n14.03.2024;Miete;Wohnen\n', { currency: 'EUR' });
    expect(error.message).toMatch(/^line 1: no amount column: found headers "Buchungstag", "Verwendungszweck", "Kategorie"; expected one of "Betrag", "Umsatz", "Beløb", .*, or a debit and a credit column \("Debit", .*\), or send a preset$/);
    const named = await formatError('Buchungstag;Betrag;Verwendungszweck\n14.03.2024;Miete;-950,00\n', { currency: 'EUR' });
    expect(named.message).toMatch(
      /^line 1: no amount column: found headers "Buchungstag", "Betrag", "Verwendungszweck"; "Betrag": its name says amount, but it holds "Miete" \(line 2\); expected one of "Betrag", .*or send a preset$/,
    );
  });

  test('two columns equally likely to be the booking date', async () => {
    const error = await formatError('Date,Transaction Date,Amount\n14/03/2024,13/03/2024,-4.50\n', { currency: 'GBP' });
    expect(error.message).toBe('line 1: two columns are equally likely to be the booking date: "Date" and "Transaction Date"; send a preset that names one (columns.bookingDate)');
  });

  test('two columns equally likely to be the amount', async () => {
    const error = await formatError('Buchungstag;Betrag;Umsatz\n14.03.2024;-4,50;-4,50\n', { currency: 'EUR' });
    expect(error.message).toBe('line 1: two columns are equally likely to be the amount: "Betrag" and "Umsatz": send a preset that names one');
  });

  test('a specific name outranks a generic one: "Buchungstag" is the booking date beside "Datum"', async () => {
    const entries = entriesOf(await parseAll('Datum;Buchungstag;Betrag\n13.03.2024;14.03.2024;-4,50\n', { currency: 'EUR' }));
    expect(entries[0]).toMatchObject({ bookingDate: '2024-03-14' });
  });

  test('amounts that never show their decimal separator', async () => {
    const error = await formatError('Datum;Betrag\n14.03.2024;1.234\n15.03.2024;-5\n', { currency: 'EUR' });
    expect(error.message).toMatch(/the amounts never show their decimal separator: "1\.234" .* is 1234 with "\." grouping thousands, or 1\.234 with a decimal "\."/);
  });

  test('a header without a date column by name', async () => {
    const error = await formatError('Tekst;Beløb\nNetto;-12,50\n');
    expect(error.message).toMatch(/^line 1: no booking date column: found headers "Tekst", "Beløb"; expected one of "Buchungstag", .*, or send a preset$/);
  });

  test('no row that names a date or an amount', async () => {
    const error = await formatError('Hello;World\nfoo;bar\n');
    expect(error.message).toMatch(/^line 1: no header row: none of the first 2 rows names a date column and an amount column; the first reads "Hello", "World"/);
  });
});
