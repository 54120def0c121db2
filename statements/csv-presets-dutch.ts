import type { CsvPreset } from './csv-preset.js';

/** Presets for Dutch banks' CSV exports. */
export const DUTCH_CSV_PRESETS = {
  /**
   * Rabobank, Rabo Internetbankieren "Transacties downloaden" → CSV: "," separated and fully
   * quoted, UTF-8, dates YYYY-MM-DD, signed "Bedrag" with a decimal comma ("+1.500,00"), three
   * description columns, a per-account sequence number ("Volgnr") as the bank's id.
   */
  rabobank: {
    name: 'Rabobank CSV',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: ',',
    thousandsSeparator: '.',
    columns: {
      bookingDate: 'Datum',
      valueDate: 'Rentedatum',
      amount: 'Bedrag',
      currency: 'Munt',
      counterpartyName: 'Naam tegenpartij',
      counterpartyIban: 'Tegenrekening IBAN/BBAN',
      text: ['Omschrijving-1', 'Omschrijving-2', 'Omschrijving-3'],
      reference: 'Volgnr',
      endToEndId: 'Transactiereferentie',
      bankTransactionCode: 'Code',
      accountIban: 'IBAN/BBAN',
    },
  },
  /**
   * ING (Netherlands), Mijn ING "Af- en bijschrijvingen downloaden" → "Kommagescheiden CSV" with
   * ";" as separator: "Datum";"Naam / Omschrijving";"Rekening";"Tegenrekening";"Code";"Af Bij";
   * "Bedrag (EUR)";"Mutatiesoort";"Mededelingen";"Saldo na mutatie";"Tag", dates YYYYMMDD, an
   * unsigned amount with a decimal comma and "Af" (debit) or "Bij" (credit), EUR.
   */
  'ing-nl': {
    name: 'ING (NL) CSV',
    encoding: 'auto',
    delimiter: ';',
    header: true,
    dateFormat: 'YYYYMMDD',
    decimalSeparator: ',',
    currency: 'EUR',
    columns: {
      bookingDate: 'Datum',
      amount: 'Bedrag (EUR)',
      indicator: 'Af Bij',
      counterpartyName: 'Naam / Omschrijving',
      counterpartyIban: 'Tegenrekening',
      text: ['Mededelingen'],
      bankTransactionCode: 'Code',
      accountIban: 'Rekening',
    },
  },
  /**
   * ABN AMRO, Internet Bankieren "Mutaties downloaden" → "TXT" (tab separated, no header):
   * account number, currency, transaction date and value date (YYYYMMDD), balance before and
   * after, signed amount with a decimal comma, description (counterparty and remittance
   * information in one text).
   */
  'abn-amro': {
    name: 'ABN AMRO TXT',
    encoding: 'auto',
    delimiter: '\t',
    header: false,
    dateFormat: 'YYYYMMDD',
    decimalSeparator: ',',
    columns: { bookingDate: 3, valueDate: 4, amount: 7, currency: 2, text: [8] },
  },
} as const satisfies Record<string, CsvPreset>;
