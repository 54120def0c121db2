import { describe, expect, test } from 'vitest';
import { transactionInformation, type TransactionInformation } from '../../statements/mt940-information.js';

describe(':86: information to account owner', () => {
  const cases: [string, string[], boolean, TransactionInformation][] = [
    [
      'German subfields without SEPA keywords: the purpose lines are the remittance; ?31 that is not an IBAN is an account at the bank code in ?30',
      ['020?00UEBERWEISUNG?20Miete Januar?21Wohnung 3?3010020030?310123456789?32Vermieter Schmidt'],
      false,
      { businessCode: '020', remittanceInformation: 'Miete Januar Wohnung 3', counterpartyAccount: '10020030/0123456789', counterpartyName: 'Vermieter Schmidt' },
    ],
    [
      'subfields with ">" as separator, ABWA as the name when ?32 is missing, purpose continued in ?60',
      ['171>00LASTSCHRIFT>20EREF+E1>21ABWA+Verein e.V.>22SVWZ+Beitrag 2024 fuer Mitg>60liedsnummer 4711'],
      true,
      { businessCode: '171', endToEndId: 'E1', counterpartyName: 'Verein e.V.', remittanceInformation: 'Beitrag 2024 fuer Mitgliedsnummer 4711' },
    ],
    [
      'a full 27-character subfield continues in the next without a gap, a shorter one ends a word',
      ['166?20SVWZ+Rechnung 2024-0815 vom?21 01.03.2024?22Danke?32Sehr Lange Firmenbezeichnun?33g GmbH'],
      true,
      { businessCode: '166', remittanceInformation: 'Rechnung 2024-0815 vom 01.03.2024 Danke', counterpartyName: 'Sehr Lange Firmenbezeichnung GmbH' },
    ],
    [
      'the purpose is the SVWZ value, not the other SEPA keywords; a "?" in the text that does not start a subfield stays text',
      ['166?00GUTSCHRIFT?20EREF+NOTPROVIDED?21KREF+K1?22SVWZ+Wer? Wie? Was??32Kunde'],
      true,
      { businessCode: '166', remittanceInformation: 'Wer? Wie? Was?', counterpartyName: 'Kunde' },
    ],
    [
      'keywords after other text (a PayPal direct debit): EREF and MREF with a blank after the "+", SVWZ split across full subfields',
      ['105?00SEPA-BASISLASTSCHRIFT?20PayPal Europe S.a.r.l. et Ci?21e. EREF+ 1004263741829 PP.5?22912 MREF+ 5TMJ224AC8TMA CRE?23D+ LU96ZZZ0000000000000000058?24 SVWZ+ PP.5912.PP . Shop, Ih?25r Einkauf bei Shop?32PayPal Europe S.a.r.l. et Cie'],
      false,
      { businessCode: '105', endToEndId: '1004263741829 PP.5912', mandateId: '5TMJ224AC8TMA', remittanceInformation: 'PP.5912.PP . Shop, Ihr Einkauf bei Shop', counterpartyName: 'PayPal Europe S.a.r.l. et Cie' },
    ],
    [
      'the mandate (MREF) wrapped over a full subfield is one value, kept out of the remittance',
      ['105?20EREF+NOTPROVIDED?21MREF+MANDAT-2024-0000000000', '?2217 CRED+DE98ZZZ09999999999?23SVWZ+Beitrag'],
      false,
      { businessCode: '105', mandateId: 'MANDAT-2024-000000000017', remittanceInformation: 'Beitrag' },
    ],
    ['a placeholder mandate is none', ['105?20MREF+NOTPROVIDED?21SVWZ+Beitrag'], false, { businessCode: '105', remittanceInformation: 'Beitrag' }],
    ['a keyword inside a word is text', ['166?20SVWZ+Zahlung ABCKREF+1'], true, { businessCode: '166', remittanceInformation: 'Zahlung ABCKREF+1' }],
    ['keywords without SVWZ leave the whole purpose as remittance', ['105?20EREF+E9?21MREF+M9'], false, { businessCode: '105', endToEndId: 'E9', mandateId: 'M9', remittanceInformation: 'EREF+E9 MREF+M9' }],
    [
      'slash codes: the ordering party of a credit',
      ['/ORDP//NAME/Payer Ltd/ADDR/London//BENM//NAME/Payee GmbH/REMI/STRD/CUR/RF18539007547034/'],
      true,
      { counterpartyName: 'Payer Ltd', remittanceInformation: 'RF18539007547034' },
    ],
    [
      'slash codes: the beneficiary of a debit',
      ['/ORDP//NAME/Payer Ltd/ADDR/London//BENM//NAME/Payee GmbH/REMI/STRD/CUR/RF18539007547034/'],
      false,
      { counterpartyName: 'Payee GmbH', remittanceInformation: 'RF18539007547034' },
    ],
    [
      'Rabobank code words: TRCD and EXCH end the value before them; the initiating party (INIT) is not the counterparty',
      ['/EREF/E-5//TRCD/00100//BENM//NAME/Leverancier BV//REMI/Factuur 5//EXCH/1,0//INIT//NAME/Betaaldienst BV//ISDT/2024-04-10'],
      false,
      { endToEndId: 'E-5', counterpartyName: 'Leverancier BV', remittanceInformation: 'Factuur 5' },
    ],
    [
      'slash codes: the mandate of a Dutch direct debit (/MARF/)',
      ['/EREF/NOTPROVIDED//MARF/M-2024-7//CSID/NL11ZZZ999999990000//CNTP/NL03INGB0004567890/INGBNL2A/Energiebedrijf NV///REMI/USTD//Voorschot april/'],
      false,
      { mandateId: 'M-2024-7', counterpartyIban: 'NL03INGB0004567890', counterpartyName: 'Energiebedrijf NV', remittanceInformation: 'Voorschot april' },
    ],
    ['free text lines are joined with a space', ['KARTENZAHLUNG', 'TANKSTELLE 24  ', ' BERLIN'], false, { remittanceInformation: 'KARTENZAHLUNG TANKSTELLE 24 BERLIN' }],
  ];
  test.each(cases)('%s', (_name, lines, credit, expected) => expect(transactionInformation(lines, credit, new Set())).toEqual(expected));
});
