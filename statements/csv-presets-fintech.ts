import { US_COMMA_MONTH_DAY_YEAR } from './csv-preset-dialects.js';
import type { CsvPreset } from './csv-preset.js';

/** Presets for payment providers', app banks' and US banks' CSV exports. */
export const FINTECH_CSV_PRESETS = {
  /**
   * PayPal (German account language), "Aktivitäten" → "Berichte" → "Aktivitätsbericht" → CSV:
   * "Datum","Uhrzeit","Zeitzone","Name","Typ","Status","Währung","Brutto","Gebühr","Netto",…,
   * "Transaktionscode",…, UTF-8 with BOM, DD.MM.YYYY, "-1.234,56". "Netto" (gross less fee) is
   * what moved on the balance; "Ausstehend" rows are pending, "Abgeschlossen" booked; a file with
   * several currencies gives one statement per currency.
   */
  'paypal-de': {
    name: 'PayPal activity report (DE)',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'DD.MM.YYYY',
    decimalSeparator: ',',
    thousandsSeparator: '.',
    columns: {
      bookingDate: 'Datum',
      amount: 'Netto',
      currency: 'Währung',
      counterpartyName: 'Name',
      text: ['Betreff', 'Hinweis'],
      reference: 'Transaktionscode',
      bankTransactionCode: 'Typ',
      status: 'Status',
    },
  },
  /**
   * Revolut (personal), app "Statement" → "Excel" (CSV): Type,Product,Started Date,Completed Date,
   * Description,Amount,Fee,Currency,State,Balance; "YYYY-MM-DD HH:MM:SS", "-12.50"; "State" is
   * COMPLETED, PENDING, REVERTED or DECLINED; all currency pockets in one file (one statement per
   * currency). A row's "Fee" is not in its "Amount": fees are not read.
   */
  revolut: {
    name: 'Revolut statement CSV',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'YYYY-MM-DD',
    decimalSeparator: '.',
    columns: { bookingDate: 'Completed Date', amount: 'Amount', currency: 'Currency', text: ['Description'], bankTransactionCode: 'Type', status: 'State' },
  },
  /**
   * Wise, "Statements" → "CSV" (one currency balance per file): "TransferWise ID",Date,Amount,
   * Currency,Description,"Payment Reference","Running Balance",…,"Payer Name","Payee Name",…,
   * DD-MM-YYYY, "-12.50"; the transfer id as the bank's id.
   */
  wise: {
    name: 'Wise statement CSV',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'DD-MM-YYYY',
    decimalSeparator: '.',
    columns: { bookingDate: 'Date', amount: 'Amount', currency: 'Currency', text: ['Description', 'Payment Reference'], reference: 'TransferWise ID' },
  },
  /** Monzo (United Kingdom), app "Export transactions" → CSV: "," separated, dates DD/MM/YYYY, separate "Money Out" and "Money In" columns, the transaction id as the bank's id. */
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
  /**
   * Starling Bank (United Kingdom), "Statements" → CSV: Date,Counter Party,Reference,Type,
   * Amount (GBP),Balance (GBP),Spending Category,Notes; DD/MM/YYYY, "-12.50", GBP.
   */
  starling: {
    name: 'Starling Bank CSV',
    encoding: 'utf-8',
    delimiter: ',',
    header: true,
    dateFormat: 'DD/MM/YYYY',
    decimalSeparator: '.',
    currency: 'GBP',
    columns: { bookingDate: 'Date', amount: 'Amount (GBP)', counterpartyName: 'Counter Party', text: ['Reference'], bankTransactionCode: 'Type' },
  },
  /** Chase (United States) account activity: "," separated, dates MM/DD/YYYY, signed "Amount" with a decimal point, US dollars. */
  chase: {
    name: 'Chase account activity',
    ...US_COMMA_MONTH_DAY_YEAR,
    columns: {
      bookingDate: 'Posting Date',
      amount: 'Amount',
      text: ['Description'],
      bankTransactionCode: 'Type',
    },
  },
  /**
   * American Express (United States) card activity, "Statements & Activity" → "Download" → CSV:
   * Date,Description,Amount; M/D/YYYY, purchases positive and payments negative, so the signs are
   * inverted for the card account's ledger.
   */
  'amex-us': {
    name: 'American Express card activity (US)',
    ...US_COMMA_MONTH_DAY_YEAR,
    invertSign: true,
    columns: { bookingDate: 'Date', amount: 'Amount', text: ['Description'] },
  },
} as const satisfies Record<string, CsvPreset>;
