import type { CsvPreset } from './csv-preset.js';

/**
 * CSV presets for common bank export layouts, written from the banks' published column lists.
 * Banks change their exports now and then: a tenant copies one and adjusts it when a file no
 * longer matches (the parser says which column or value it could not read).
 */
export const BUILT_IN_CSV_PRESETS = {
  /** German savings banks (Sparkasse) "CSV-CAMT" export: ";" separated, Latin-1, dates DD.MM.YY, signed "Betrag" with a decimal comma, own IBAN in "Auftragskonto", "Umsatz vorgemerkt" or "Umsatz gebucht" in "Info". */
  'sparkasse-csv-camt': {
    name: 'Sparkasse CSV-CAMT',
    encoding: 'windows-1252',
    delimiter: ';',
    header: true,
    dateFormat: 'DD.MM.YY',
    decimalSeparator: ',',
    thousandsSeparator: '.',
    columns: {
      bookingDate: 'Buchungstag',
      valueDate: 'Valutadatum',
      amount: 'Betrag',
      currency: 'Waehrung',
      counterpartyName: 'Beguenstigter/Zahlungspflichtiger',
      counterpartyIban: 'Kontonummer/IBAN',
      text: ['Verwendungszweck'],
      endToEndId: 'Kundenreferenz (End-to-End)',
      bankTransactionCode: 'Buchungstext',
      accountIban: 'Auftragskonto',
      status: 'Info',
    },
  },
  /** Rabobank (Netherlands) CSV: "," separated and fully quoted, dates YYYY-MM-DD, signed "Bedrag" with a decimal comma ("+1,00"), three description columns, a per-account sequence number as the bank's id. */
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
  /** Chase (United States) account activity: "," separated, dates MM/DD/YYYY, signed "Amount" with a decimal point, US dollars. */
  chase: {
    name: 'Chase account activity',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'MM/DD/YYYY',
    decimalSeparator: '.',
    thousandsSeparator: ',',
    currency: 'USD',
    columns: {
      bookingDate: 'Posting Date',
      amount: 'Amount',
      text: ['Description'],
      bankTransactionCode: 'Type',
    },
  },
  /** Monzo (United Kingdom): "," separated, dates DD/MM/YYYY, separate "Money Out" and "Money In" columns, the transaction id as the bank's id. */
  monzo: {
    name: 'Monzo',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'DD/MM/YYYY',
    decimalSeparator: '.',
    columns: {
      bookingDate: 'Date',
      debit: 'Money Out',
      credit: 'Money In',
      currency: 'Currency',
      counterpartyName: 'Name',
      text: ['Description', 'Notes and #tags'],
      reference: 'Transaction ID',
      bankTransactionCode: 'Type',
    },
  },
} as const satisfies Record<string, CsvPreset>;
