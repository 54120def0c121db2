import { describe, expect, test } from 'vitest';
import { BUILT_IN_CSV_PRESETS, type StatementEntry, type StatementHeader } from '../../statements/index.js';
import { fixture, parseAll } from './helpers.js';

/** A built-in preset's fixture parsed: its statements (the id's hash left out) and entries, in order. */
async function parsed(preset: keyof typeof BUILT_IN_CSV_PRESETS, file: string): Promise<{ statements: StatementHeader[]; entries: StatementEntry[] }> {
  const events = await parseAll(fixture(file), { csv: BUILT_IN_CSV_PRESETS[preset] });
  return {
    statements: events.flatMap((event) => (event.kind === 'statement' ? [{ ...event.statement, statementId: event.statement.statementId.replace(/^csv:[0-9a-f]{32}/, 'csv') }] : [])),
    entries: events.flatMap((event) => (event.kind === 'entry' ? [event.entry] : [])),
  };
}

// Each fixture is a few rows written for bankfeed in the bank's layout, encoding, delimiter, date and number format.
const EXPECTED: [title: string, preset: keyof typeof BUILT_IN_CSV_PRESETS, file: string, expected: { statements: StatementHeader[]; entries: StatementEntry[] }][] = [
  [
    'danske-bank: "Venter" pending, "Udført" booked; Windows-1252, DD.MM.YYYY, "28.450,00"',
    'danske-bank',
    'danske-bank.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'DKK' } },
      ],
      entries: [
        { status: 'pending', bookingDate: '2024-03-19', amount: '-84.5', currency: 'DKK', remittanceInformation: 'Dankort-køb Netto Århus C', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-18', amount: '28450', currency: 'DKK', remittanceInformation: 'Løn marts Vestjysk Maskinfabrik', reversal: false, location: 'line 3' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '-299', currency: 'DKK', remittanceInformation: 'Betalingsservice TDC', reversal: false, location: 'line 4' },
      ],
    },
  ],
  [
    'nordea-dk: "Reserveret" in place of the date: pending, dated by the next booked row; YYYY/MM/DD; UTF-8 with BOM',
    'nordea-dk',
    'nordea-dk.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'DKK' } },
      ],
      entries: [
        { status: 'pending', bookingDate: '2024-03-18', amount: '-129.95', currency: 'DKK', remittanceInformation: 'Føtex Vesterbro', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-18', amount: '-4500', currency: 'DKK', counterpartyName: 'Boligselskabet Lyngen', remittanceInformation: 'Husleje april', reversal: false, location: 'line 3' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '12000', currency: 'DKK', counterpartyName: 'Jensen & Søn ApS', remittanceInformation: 'Løn marts', reversal: false, location: 'line 4' },
      ],
    },
  ],
  [
    'jyske-bank: Windows-1252, DD.MM.YYYY, the value date from "Valør"',
    'jyske-bank',
    'jyske-bank.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'DKK' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-20', valueDate: '2024-03-20', amount: '1250', currency: 'DKK', remittanceInformation: 'Overførsel fra Mette Holm', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-18', amount: '-312.75', currency: 'DKK', remittanceInformation: 'Visa køb Salling Aalborg', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'seb: YYYY-MM-DD, decimal point, the voucher number as reference, Swedish letters in Windows-1252',
    'seb',
    'seb.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'SEK' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-18', valueDate: '2024-03-18', amount: '-245.5', currency: 'SEK', bankReference: '5484381424', remittanceInformation: 'ICA NÄRA SÖDERMALM', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '32000', currency: 'SEK', bankReference: '5484381389', remittanceInformation: 'LÖN FÖRETAGET AB', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'swedbank: a "* Transaktioner" line above the header, ISO-8859-15, currency per row',
    'swedbank',
    'swedbank.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'SEK' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-20', valueDate: '2024-03-20', amount: '-350', currency: 'SEK', remittanceInformation: 'Swish till Åsa Lind', reversal: false, location: 'line 3' },
        { status: 'booked', bookingDate: '2024-03-18', valueDate: '2024-03-18', amount: '28600.5', currency: 'SEK', remittanceInformation: 'LÖN MARS BYGG AB', reversal: false, location: 'line 4' },
      ],
    },
  ],
  [
    'handelsbanken: account and period lines above the header, "-1 245,90" with a space grouping',
    'handelsbanken',
    'handelsbanken.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'SEK' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-18', amount: '-1245.9', currency: 'SEK', remittanceInformation: 'Kortköp COOP Göteborg', reversal: false, location: 'line 5' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '25000', currency: 'SEK', remittanceInformation: 'Insättning Lön', reversal: false, location: 'line 6' },
      ],
    },
  ],
  [
    'dnb: unsigned amounts in "Ut fra konto" or "Inn på konto"',
    'dnb',
    'dnb.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'NOK' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-20', valueDate: '2024-03-19', amount: '-389.4', currency: 'NOK', remittanceInformation: 'Varekjøp Rema 1000 Grünerløkka', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-18', valueDate: '2024-03-18', amount: '31250', currency: 'NOK', remittanceInformation: 'Lønn Fjordkraft AS', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'op: "+2450,00", the archive id as reference, the IBAN with spaces normalised',
    'op',
    'op.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-19', amount: '-54.2', currency: 'EUR', bankReference: '20240319/593497/J06001', counterpartyName: 'K-MARKET KALLIO', bankTransactionCode: 'PKORTTIMAKSU', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '2450', currency: 'EUR', bankReference: '20240315/5UGZ30/1M4501', counterpartyName: 'Oy Esimerkki Ab', counterpartyIban: 'FI2112345600000785', remittanceInformation: 'Palkka maaliskuu 1232', bankTransactionCode: 'TILISIIRTO', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'deutsche-bank: preamble, debits in "Soll", credits in "Haben", the "Kontostand" footer not read, NOTPROVIDED dropped',
    'deutsche-bank',
    'deutsche-bank.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-19', amount: '-49.95', currency: 'EUR', endToEndId: 'RE-2024-03-88', mandateId: 'M-ABC-123', counterpartyName: 'Telekom Deutschland GmbH', counterpartyIban: 'DE02300606010002474689', remittanceInformation: 'Rechnung 03/2024 Kundennr 4711', bankTransactionCode: 'SEPA-Lastschrift von', reversal: false, location: 'line 5' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '3180.4', currency: 'EUR', counterpartyName: 'Müller Logistik GmbH', counterpartyIban: 'DE12500105170648489890', remittanceInformation: 'Lohn März 2024', bankTransactionCode: 'SEPA-Überweisung von', reversal: false, location: 'line 6' },
      ],
    },
  ],
  [
    'commerzbank: UTF-8 with BOM, the own IBAN from "IBAN Auftraggeberkonto"',
    'commerzbank',
    'commerzbank.csv',
    {
      statements: [
        { statementId: 'csv', account: { iban: 'DE89370400440532013000', currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-19', amount: '-76', currency: 'EUR', remittanceInformation: 'Stadtwerke Köln GmbH Abschlag Strom März End-to-End-Ref.: SWK-4471', bankTransactionCode: 'Lastschrift', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '1500', currency: 'EUR', remittanceInformation: 'Rheinwerk Verlag GmbH Honorar Q1 End-to-End-Ref.: NOTPROVIDED', bankTransactionCode: 'Gutschrift', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'ing-de: a long preamble, two "Währung" columns (the first is read)',
    'ing-de',
    'ing-de.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', amount: '-23.88', currency: 'EUR', counterpartyName: 'REWE Markt GmbH', remittanceInformation: 'REWE SAGT DANKE 43157231', bankTransactionCode: 'Lastschrift', reversal: false, location: 'line 15' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '150', currency: 'EUR', counterpartyName: 'Techniker Krankenkasse', remittanceInformation: 'Erstattung Bonusprogramm 2023', bankTransactionCode: 'Gutschrift', reversal: false, location: 'line 16' },
      ],
    },
  ],
  [
    'dkb: "Vorgemerkt" pending, "Gebucht" booked; DD.MM.YY; both parties in the text',
    'dkb',
    'dkb.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'pending', bookingDate: '2024-03-20', valueDate: '2024-03-20', amount: '-6.4', currency: 'EUR', remittanceInformation: 'Erika Mustermann Bäckerei Kühn Kartenzahlung', bankTransactionCode: 'Ausgang', reversal: false, location: 'line 6' },
        { status: 'booked', bookingDate: '2024-03-18', valueDate: '2024-03-18', amount: '-92', currency: 'EUR', endToEndId: 'ABSCHLAG-2024-04', mandateId: 'MR-771', counterpartyIban: 'DE02200505501015871393', remittanceInformation: 'Erika Mustermann Stromanbieter Nord GmbH Abschlag April', bankTransactionCode: 'Ausgang', reversal: false, location: 'line 7' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '2850', currency: 'EUR', counterpartyIban: 'DE02100100109307118603', remittanceInformation: 'Arbeitgeber AG Erika Mustermann Gehalt März', bankTransactionCode: 'Eingang', reversal: false, location: 'line 8' },
      ],
    },
  ],
  [
    'volksbank-raiffeisenbank: the own IBAN from "IBAN Auftragskonto"',
    'volksbank-raiffeisenbank',
    'volksbank-raiffeisenbank.csv',
    {
      statements: [
        { statementId: 'csv', account: { iban: 'DE02701500000000594937', currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-19', amount: '-64', currency: 'EUR', mandateId: 'WA-1001', counterpartyName: 'Gemeindewerke Au', counterpartyIban: 'DE02100500000054540402', remittanceInformation: 'Wasser Abschlag 1/2024', bankTransactionCode: 'Basislastschrift', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '1190', currency: 'EUR', counterpartyName: 'Schreinerei Huber', counterpartyIban: 'DE02300209000106531065', remittanceInformation: 'Rechnung 2024-017', bankTransactionCode: 'Gutschrift', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'volksbank-raiffeisenbank-classic: "S"/"H" in a column without a header name; "Anfangssaldo" and "Endsaldo" footer lines not read',
    'volksbank-raiffeisenbank-classic',
    'volksbank-raiffeisenbank-classic.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-19', amount: '-389', currency: 'EUR', counterpartyName: 'Autohaus Berger GmbH', counterpartyIban: 'DE02700202700010108669', remittanceInformation: 'Überweisung Inspektion Rg 8812', reversal: false, location: 'line 12' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '1024.5', currency: 'EUR', endToEndId: 'KFZ-2024-77', counterpartyName: 'Landratsamt Musterkreis', counterpartyIban: 'DE02120300000000202051', remittanceInformation: 'Gutschrift Erstattung Kfz-Steuer', reversal: false, location: 'line 13' },
      ],
    },
  ],
  [
    'ing-nl: "Af"/"Bij" sign the unsigned amount; YYYYMMDD; the own IBAN from "Rekening"',
    'ing-nl',
    'ing-nl.csv',
    {
      statements: [
        { statementId: 'csv', account: { iban: 'NL69INGB0123456789', currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', amount: '-23.45', currency: 'EUR', counterpartyName: 'Albert Heijn 1432', remittanceInformation: 'Pasvolgnr: 004 19-03-2024 17:42 Transactie: 8K7F21 Term: 4G0121', bankTransactionCode: 'BA', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '2450', currency: 'EUR', counterpartyName: 'Werkgever B.V.', counterpartyIban: 'NL91ABNA0417164300', remittanceInformation: 'Naam: Werkgever B.V. Omschrijving: Salaris maart 2024 IBAN: NL91ABNA0417164300', bankTransactionCode: 'OV', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'abn-amro: tab separated without header, by column numbers',
    'abn-amro',
    'abn-amro.txt',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', valueDate: '2024-03-19', amount: '-42.5', currency: 'EUR', remittanceInformation: 'BEA, Apple Pay Jumbo Utrecht,PAS123 NR:A1B2C3, 19.03.24/18:02', reversal: false, location: 'line 1' },
        { status: 'booked', bookingDate: '2024-03-15', valueDate: '2024-03-15', amount: '2500', currency: 'EUR', remittanceInformation: '/TRTP/SEPA OVERBOEKING/IBAN/NL18RABO0123459876/BIC/RABONL2U/NAME/Werkgever BV/REMI/Salaris maart/EREF/NOTPROVIDED', reversal: false, location: 'line 2' },
      ],
    },
  ],
  [
    'paypal-de: "Netto" after fees, "Ausstehend" pending, the USD row in a statement of its own',
    'paypal-de',
    'paypal-de.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
        { statementId: 'csv:USD', account: { currency: 'USD' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-18', amount: '-129.9', currency: 'EUR', bankReference: '5TY12345AB678901C', counterpartyName: 'Elektro Versand GmbH', bankTransactionCode: 'Zahlung im Einzugsverfahren mit Zahlungsrechnung', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-19', amount: '1206.1', currency: 'EUR', bankReference: '7GH98765CD432109E', counterpartyName: 'Anna Schmidt', remittanceInformation: 'Honorar Logo Rechnung 2024-12', bankTransactionCode: 'Allgemeine Zahlung', reversal: false, location: 'line 3' },
        { status: 'pending', bookingDate: '2024-03-19', amount: '-59.99', currency: 'USD', bankReference: '9JK11223EF445566G', counterpartyName: 'Game Store Inc.', bankTransactionCode: 'Händler-Zahlung', reversal: false, location: 'line 4' },
      ],
    },
  ],
  [
    'revolut: PENDING pending (dated by the next row), REVERTED information, one statement per currency',
    'revolut',
    'revolut.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'GBP' } },
        { statementId: 'csv:EUR', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-15', amount: '-7.45', currency: 'GBP', remittanceInformation: 'Pret A Manger', bankTransactionCode: 'CARD_PAYMENT', reversal: false, location: 'line 2' },
        { status: 'info', bookingDate: '2024-03-17', amount: '-45', currency: 'GBP', remittanceInformation: 'Ticketmaster', bankTransactionCode: 'CARD_PAYMENT', reversal: false, location: 'line 5' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '200', currency: 'EUR', remittanceInformation: 'Top-up by *1234', bankTransactionCode: 'TOPUP', reversal: false, location: 'line 3' },
        { status: 'pending', bookingDate: '2024-03-17', amount: '-18.2', currency: 'EUR', remittanceInformation: 'Uber', bankTransactionCode: 'CARD_PAYMENT', reversal: false, location: 'line 4' },
      ],
    },
  ],
  [
    'wise: DD-MM-YYYY, the transfer id as reference',
    'wise',
    'wise.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'EUR' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', amount: '-250', currency: 'EUR', bankReference: 'TRANSFER-1029384756', remittanceInformation: 'Sent money to Jan de Vries Invoice 77', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-18', amount: '-12.8', currency: 'EUR', bankReference: 'CARD-2233445566', remittanceInformation: 'Card transaction of 12.80 EUR issued by Cafe Central WIEN', reversal: false, location: 'line 3' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '2012.8', currency: 'EUR', bankReference: 'TRANSFER-1029380001', remittanceInformation: 'Received money from Acme Ltd with reference March March', reversal: false, location: 'line 4' },
      ],
    },
  ],
  [
    'starling: DD/MM/YYYY, "Amount (GBP)"',
    'starling',
    'starling.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'GBP' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-19', amount: '-14.62', currency: 'GBP', counterpartyName: 'Tesco Stores', remittanceInformation: 'TESCO STORES 3291', bankTransactionCode: 'CONTACTLESS', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-15', amount: '1500', currency: 'GBP', counterpartyName: 'Acme Ltd', remittanceInformation: 'SALARY MARCH', bankTransactionCode: 'FASTER PAYMENT', reversal: false, location: 'line 3' },
      ],
    },
  ],
  [
    'amex-us: purchases exported positive become debits (invertSign), M/D/YYYY, "1,024.30"',
    'amex-us',
    'amex-us.csv',
    {
      statements: [
        { statementId: 'csv', account: { currency: 'USD' } },
      ],
      entries: [
        { status: 'booked', bookingDate: '2024-03-14', amount: '-6.75', currency: 'USD', remittanceInformation: 'BLUE BOTTLE COFFEE OAKLAND CA', reversal: false, location: 'line 2' },
        { status: 'booked', bookingDate: '2024-03-18', amount: '250', currency: 'USD', remittanceInformation: 'ONLINE PAYMENT - THANK YOU', reversal: false, location: 'line 3' },
        { status: 'booked', bookingDate: '2024-03-19', amount: '-1024.3', currency: 'USD', remittanceInformation: 'DELTA AIR LINES ATLANTA', reversal: false, location: 'line 4' },
      ],
    },
  ],
];

describe("built-in presets read their banks' exports to the exact entries", () => {
  test.each(EXPECTED)('%s', async (_title, preset, file, expected) => {
    expect(await parsed(preset, file)).toEqual(expected);
  });
});
