import { SEMICOLON_DAY_MONTH_YEAR } from './csv-preset-dialects.js';
import type { CsvPreset } from './csv-preset.js';

/**
 * Presets for Danish, Swedish, Norwegian and Finnish banks' CSV exports. Each maps only the
 * columns its bank is known to write, so that a column the bank adds or renames later does not
 * stop the file from being read.
 */
export const NORDIC_CSV_PRESETS = {
  /**
   * Danske Bank (Denmark), Netbank "Konti" → "Eksportér" → CSV: "Dato";"Tekst";"Beløb";"Saldo";
   * "Status";"Afstemt", ";" separated and quoted, Windows-1252, DD.MM.YYYY, "-1.234,56", DKK.
   * "Status" is "Udført" for booked rows and "Venter" for rows not yet booked.
   */
  'danske-bank': {
    name: 'Danske Bank (DK) CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    currency: 'DKK',
    columns: { bookingDate: 'Dato', amount: 'Beløb', text: ['Tekst'], status: 'Status' },
  },
  /**
   * Nordea (Denmark), Netbank "Kontobevægelser" → "Eksportér" → CSV: Bogføringsdato;Beløb;Afsender;
   * Modtager;Navn;Beskrivelse;Saldo;Valuta;Afstemt, ";" separated, UTF-8, dates YYYY/MM/DD, "-1234,56".
   * Rows not yet booked come first with "Reserveret" in place of the date (the Swedish, Norwegian
   * and Finnish Netbank write "Reserverat", "Reservert", "Varaus" in their own column names).
   */
  'nordea-dk': {
    name: 'Nordea (DK) Netbank CSV',
    encoding: 'auto',
    delimiter: ';',
    header: true,
    dateFormat: 'YYYY/MM/DD',
    decimalSeparator: ',',
    thousandsSeparator: '.',
    columns: { bookingDate: 'Bogføringsdato', amount: 'Beløb', currency: 'Valuta', counterpartyName: 'Navn', text: ['Beskrivelse'], status: 'Bogføringsdato' },
  },
  /**
   * Jyske Bank (Denmark), Jyske Netbank "Posteringer" → "Eksportér" → CSV: "Dato";"Valør";"Tekst";
   * "Beløb";"Saldo", ";" separated and quoted, Windows-1252, DD.MM.YYYY, "-1.234,56", DKK.
   */
  'jyske-bank': {
    name: 'Jyske Bank CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    currency: 'DKK',
    columns: { bookingDate: 'Dato', valueDate: 'Valør', amount: 'Beløb', text: ['Tekst'] },
  },
  /**
   * SEB (Sweden), Internetbanken "Kontoutdrag" → "Exportera" → CSV: Bokföringsdatum;Valutadatum;
   * Verifikationsnummer;Text;Belopp;Saldo, ";" separated, dates YYYY-MM-DD, "-665.00", SEK; the
   * voucher number as the bank's id.
   */
  seb: {
    name: 'SEB (SE) CSV',
    encoding: 'auto',
    delimiter: ';',
    header: true,
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: '.',
    currency: 'SEK',
    columns: { bookingDate: 'Bokföringsdatum', valueDate: 'Valutadatum', amount: 'Belopp', text: ['Text'], reference: 'Verifikationsnummer' },
  },
  /**
   * Swedbank (Sweden), Internetbanken "Transaktioner" → "Exportera till Excel" (CSV): a first line
   * "* Transaktioner Period … Skapad …", then Radnummer,Clearingnummer,Kontonummer,Produkt,Valuta,
   * Bokföringsdag,Transaktionsdag,Valutadag,Referens,Beskrivning,Belopp,Bokfört saldo; "," separated,
   * ISO-8859-15, YYYY-MM-DD, "-39.00", the currency per row.
   */
  swedbank: {
    name: 'Swedbank (SE) CSV',
    encoding: 'auto',
    delimiter: ',',
    header: true,
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: '.',
    columns: { bookingDate: 'Bokföringsdag', valueDate: 'Valutadag', amount: 'Belopp', currency: 'Valuta', text: ['Beskrivning'] },
  },
  /**
   * Handelsbanken (Sweden), "Konton" → "Kontotransaktioner" → "Exportera" (semicolon file): lines
   * naming the account and period, then Reskontradatum;Transaktionsdatum;Text;Belopp;Saldo;
   * YYYY-MM-DD, "-1 234,56" (space grouping), SEK.
   */
  handelsbanken: {
    name: 'Handelsbanken (SE) CSV',
    encoding: 'auto',
    delimiter: ';',
    header: true,
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: ',',
    thousandsSeparator: ' ',
    currency: 'SEK',
    columns: { bookingDate: 'Reskontradatum', valueDate: 'Transaktionsdatum', amount: 'Belopp', text: ['Text'] },
  },
  /**
   * DNB (Norway), Nettbank "Kontoutskrift" → "Last ned" → CSV: "Dato";"Forklaring";"Rentedato";
   * "Ut fra konto";"Inn på konto", ";" separated, Windows-1252, DD.MM.YYYY, unsigned "1234,56" in
   * the out or the in column, NOK.
   */
  dnb: {
    name: 'DNB (NO) CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    currency: 'NOK',
    columns: { bookingDate: 'Dato', valueDate: 'Rentedato', debit: 'Ut fra konto', credit: 'Inn på konto', text: ['Forklaring'] },
  },
  /**
   * OP (Finland), OP-verkkopalvelu "Tilitapahtumat" → "Lataa tiedostona" (CSV): Kirjauspäivä;
   * Arvopäivä;Määrä EUROA;Laji;Selitys;Saaja/Maksaja;Saajan tilinumero;Saajan pankin BIC;Viite;
   * Viesti;Arkistointitunnus, ";" separated, DD.MM.YYYY, "+15,00" / "-15,00", EUR; the archive id
   * as the bank's id, "Selitys" (TILISIIRTO, PKORTTIMAKSU ...) as the transaction type.
   */
  op: {
    name: 'OP (FI) CSV',
    encoding: 'auto',
    delimiter: ';',
    header: true,
    dateFormat: 'DD.MM.YYYY',
    decimalSeparator: ',',
    currency: 'EUR',
    columns: {
      bookingDate: 'Kirjauspäivä',
      valueDate: 'Arvopäivä',
      amount: 'Määrä EUROA',
      counterpartyName: 'Saaja/Maksaja',
      counterpartyIban: 'Saajan tilinumero',
      text: ['Viesti', 'Viite'],
      reference: 'Arkistointitunnus',
      bankTransactionCode: 'Selitys',
    },
  },
} as const satisfies Record<string, CsvPreset>;
