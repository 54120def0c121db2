import { SEMICOLON_DAY_MONTH_YEAR } from './csv-preset-dialects.js';
import type { CsvPreset } from './csv-preset.js';

/** Presets for German banks' CSV exports (Umsatzanzeige / Umsätze exportieren). */
export const GERMAN_CSV_PRESETS = {
  /**
   * Sparkassen, Online-Banking "Umsätze" → "Exportieren" → "CSV-CAMT-Format": ";" separated and
   * quoted, Windows-1252, DD.MM.YY, signed "Betrag" with a decimal comma, own IBAN in
   * "Auftragskonto", "Umsatz vorgemerkt" or "Umsatz gebucht" in "Info".
   */
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
      mandateId: 'Mandatsreferenz',
      bankTransactionCode: 'Buchungstext',
      accountIban: 'Auftragskonto',
      status: 'Info',
    },
  },
  /**
   * Deutsche Bank, Online-Banking "Umsätze" → "CSV-Export": lines naming the account and period,
   * then Buchungstag;Wert;Umsatzart;Begünstigter / Auftraggeber;Verwendungszweck;IBAN;BIC;
   * Kundenreferenz;Mandatsreferenz ;Gläubiger ID;Fremde Gebühren;Betrag;Abweichender Empfänger;
   * Anzahl der Aufträge;Anzahl der Schecks;Soll;Haben;Währung, Windows-1252, DD.MM.YYYY, debits
   * in "Soll" (with a minus), credits in "Haben"; the file ends with a "Kontostand" line.
   */
  'deutsche-bank': {
    name: 'Deutsche Bank CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    footerPatterns: ['^Kontostand;'],
    columns: {
      bookingDate: 'Buchungstag',
      valueDate: 'Wert',
      debit: 'Soll',
      credit: 'Haben',
      currency: 'Währung',
      counterpartyName: 'Begünstigter / Auftraggeber',
      counterpartyIban: 'IBAN',
      text: ['Verwendungszweck'],
      endToEndId: 'Kundenreferenz',
      mandateId: 'Mandatsreferenz',
      bankTransactionCode: 'Umsatzart',
    },
  },
  /**
   * Commerzbank, Online-Banking "Umsätze" → "Exportieren" → CSV: Buchungstag;Wertstellung;
   * Umsatzart;Buchungstext;Betrag;Währung;Auftraggeberkonto;Bankleitzahl Auftraggeberkonto;IBAN
   * Auftraggeberkonto;Kategorie, ";" separated, UTF-8, DD.MM.YYYY, "-1.234,56"; the payee and the
   * purpose are both in "Buchungstext", and "IBAN Auftraggeberkonto" is the account's own IBAN.
   */
  commerzbank: {
    name: 'Commerzbank CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    columns: {
      bookingDate: 'Buchungstag',
      valueDate: 'Wertstellung',
      amount: 'Betrag',
      currency: 'Währung',
      text: ['Buchungstext'],
      bankTransactionCode: 'Umsatzart',
      accountIban: 'IBAN Auftraggeberkonto',
    },
  },
  /**
   * ING Deutschland, Banking "Umsätze" → "Exportieren" → CSV: "Umsatzanzeige", customer, IBAN,
   * period and balance lines, then Buchung;Wertstellungsdatum;Auftraggeber/Empfänger;Buchungstext;
   * Verwendungszweck;Saldo;Währung;Betrag;Währung, Windows-1252, DD.MM.YYYY, "-1.234,56". Only
   * booked rows are exported (ING says so in the preamble).
   */
  'ing-de': {
    name: 'ING (DE) CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    columns: {
      bookingDate: 'Buchung',
      amount: 'Betrag',
      currency: 'Währung',
      counterpartyName: 'Auftraggeber/Empfänger',
      text: ['Verwendungszweck'],
      bankTransactionCode: 'Buchungstext',
    },
  },
  /**
   * DKB, Banking "Umsätze" → "Exportieren" → CSV (since 2023): account, blank and balance lines,
   * then "Buchungsdatum";"Wertstellung";"Status";"Zahlungspflichtige*r";"Zahlungsempfänger*in";
   * "Verwendungszweck";"Umsatztyp";"IBAN";"Betrag (€)";"Gläubiger-ID";"Mandatsreferenz";
   * "Kundenreferenz", UTF-8 with BOM, DD.MM.YY, "-1.234,56"; "Status" is "Gebucht" or
   * "Vorgemerkt". Payer and payee are separate columns (one of them is the account holder), so
   * both are kept in the text.
   */
  dkb: {
    name: 'DKB CSV',
    encoding: 'utf-8',
    delimiter: ';',
    header: true,
    dateFormat: 'DD.MM.YY',
    decimalSeparator: ',',
    thousandsSeparator: '.',
    currency: 'EUR',
    columns: {
      bookingDate: 'Buchungsdatum',
      valueDate: 'Wertstellung',
      amount: 'Betrag (€)',
      counterpartyIban: 'IBAN',
      text: ['Zahlungspflichtige*r', 'Zahlungsempfänger*in', 'Verwendungszweck'],
      endToEndId: 'Kundenreferenz',
      mandateId: 'Mandatsreferenz',
      bankTransactionCode: 'Umsatztyp',
      status: 'Status',
    },
  },
  /**
   * Volksbanken und Raiffeisenbanken (Atruvia online banking), "Umsätze" → "Exportieren" → CSV:
   * Bezeichnung Auftragskonto;IBAN Auftragskonto;BIC Auftragskonto;Bankname Auftragskonto;
   * Buchungstag;Valutadatum;Name Zahlungsbeteiligter;IBAN Zahlungsbeteiligter;BIC (SWIFT-Code)
   * Zahlungsbeteiligter;Buchungstext;Verwendungszweck;Betrag;Waehrung;Saldo nach Buchung;
   * Bemerkung;Kategorie;Steuerrelevant;Glaeubiger ID;Mandatsreferenz, DD.MM.YYYY, "-1.234,56".
   */
  'volksbank-raiffeisenbank': {
    name: 'Volksbank / Raiffeisenbank CSV',
    ...SEMICOLON_DAY_MONTH_YEAR,
    columns: {
      bookingDate: 'Buchungstag',
      valueDate: 'Valutadatum',
      amount: 'Betrag',
      currency: 'Waehrung',
      counterpartyName: 'Name Zahlungsbeteiligter',
      counterpartyIban: 'IBAN Zahlungsbeteiligter',
      text: ['Verwendungszweck'],
      mandateId: 'Mandatsreferenz',
      bankTransactionCode: 'Buchungstext',
      accountIban: 'IBAN Auftragskonto',
    },
  },
  /**
   * Volksbanken und Raiffeisenbanken, the older export of the Fiducia/GAD online banking still
   * offered by some banks: preamble lines, then Buchungstag;Valuta;Auftraggeber/Zahlungsempfänger;
   * Empfänger/Zahlungspflichtiger;Konto-Nr.;IBAN;BLZ;BIC;Vorgang/Verwendungszweck;Kundenreferenz;
   * Währung;Umsatz;" ", Windows-1252, an unsigned "Umsatz" with "S" or "H" in the 13th column
   * (whose header is blank), and "Anfangssaldo" / "Endsaldo" lines after the rows.
   */
  'volksbank-raiffeisenbank-classic': {
    name: 'Volksbank / Raiffeisenbank CSV (Soll/Haben)',
    ...SEMICOLON_DAY_MONTH_YEAR,
    footerPatterns: [';(?:Anfangssaldo|Endsaldo);'],
    columns: {
      bookingDate: 'Buchungstag',
      valueDate: 'Valuta',
      amount: 'Umsatz',
      indicator: 13,
      currency: 'Währung',
      counterpartyName: 'Empfänger/Zahlungspflichtiger',
      counterpartyIban: 'IBAN',
      text: ['Vorgang/Verwendungszweck'],
      endToEndId: 'Kundenreferenz',
    },
  },
} as const satisfies Record<string, CsvPreset>;
