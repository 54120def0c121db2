import { describe, expect, it } from 'vitest';
import { findReferences, parseInvoiceNumberPattern, type InvoiceNumberPattern } from '../../../matching/references/index.js';

function pattern(source: string): InvoiceNumberPattern {
  const parsed = parseInvoiceNumberPattern(source);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.pattern;
}

describe('findReferences on realistic remittance lines', () => {
  it('German: the SEPA keywords of an MT940 :86: purpose', () => {
    expect(findReferences({ remittanceInformation: 'EREF+E2E-123 MREF+M-0815 CRED+DE98ZZZ09999999999 SVWZ+Rechnung 2026-4711' })).toEqual([
      { kind: 'end_to_end_id', value: 'E2E-123' },
      { kind: 'mandate_id', value: 'M-0815' },
      { kind: 'creditor_id', value: 'DE98ZZZ09999999999' },
      { kind: 'purpose', value: 'Rechnung 2026-4711' },
    ]);
  });

  it('German: the spaced and spelled-out labels of CSV exports, KREF, and the tenant invoice pattern inside the purpose', () => {
    expect(findReferences(
      { remittanceInformation: 'KREF: K-77 EREF: 20260115-0042 MREF: VTR-1123 CRED: DE98ZZZ09999999999 SVWZ: Beitrag Januar RE-2026-0815 ABWA: Muster GmbH' },
      { invoiceNumberPattern: pattern('RE-(\\d{4}-\\d{4})') },
    )).toEqual([
      { kind: 'customer_reference', value: 'K-77' },
      { kind: 'end_to_end_id', value: '20260115-0042' },
      { kind: 'mandate_id', value: 'VTR-1123' },
      { kind: 'creditor_id', value: 'DE98ZZZ09999999999' },
      { kind: 'purpose', value: 'Beitrag Januar RE-2026-0815' },
      { kind: 'invoice_number', value: '2026-0815' },
    ]);
    expect(findReferences({ remittanceInformation: 'Lastschrift Stadtwerke End-to-End-Ref.: 4711000123 Mandatsref: SW-99812 Gläubiger-ID: DE98ZZZ09999999999 Abschlag Strom' })).toEqual([
      { kind: 'end_to_end_id', value: '4711000123' },
      { kind: 'mandate_id', value: 'SW-99812' },
      { kind: 'creditor_id', value: 'DE98ZZZ09999999999' },
    ]);
  });

  it('German: Commerzbank CSV text, the label at the end', () => {
    expect(findReferences({ remittanceInformation: 'Stadtwerke Köln GmbH Abschlag Strom März End-to-End-Ref.: SWK-4471' })).toEqual([{ kind: 'end_to_end_id', value: 'SWK-4471' }]);
    expect(findReferences({ remittanceInformation: 'Rheinwerk Verlag GmbH Honorar Q1 End-to-End-Ref.: NOTPROVIDED' })).toEqual([]);
  });

  it('German: placeholders and a creditor identifier with wrong check digits are no references', () => {
    expect(findReferences({ remittanceInformation: 'EREF+NOTPROVIDED CRED+DE97ZZZ09999999999 SVWZ+Spende' })).toEqual([{ kind: 'purpose', value: 'Spende' }]);
  });

  it('Danish: a FI-kort line as payers type it', () => {
    expect(findReferences({ remittanceInformation: 'Betaling af faktura 1234 +71<000000001234566+81234567<', currency: 'DKK' })).toEqual([
      { kind: 'fik', value: '+71<000000001234566+81234567<' },
    ]);
    expect(findReferences({ remittanceInformation: 'FI-kort 75 2000000047114208 85123456 Kontingent 2026' })).toEqual([
      { kind: 'fik', value: '+75<2000000047114208+85123456<' },
    ]);
    expect(findReferences({ remittanceInformation: '+73 <+85123456< Husleje marts' })).toEqual([{ kind: 'fik', value: '+73<+85123456<' }]);
  });

  it('Norwegian: KID after its word, and the bare structured reference of a NOK payment', () => {
    expect(findReferences({ remittanceInformation: 'Betaling faktura 2026-118 KID-nr: 20260118003', currency: 'NOK' })).toEqual([{ kind: 'kid', value: '20260118003' }]);
    expect(findReferences({ remittanceInformation: '20260118014', currency: 'NOK' })).toEqual([{ kind: 'kid', value: '20260118014' }]);
    expect(findReferences({ remittanceInformation: 'KID 6-' })).toEqual([{ kind: 'kid', value: '6-' }]);
  });

  it('Swedish: OCR after its word, and the bare reference of a SEK payment', () => {
    expect(findReferences({ remittanceInformation: 'Bankgiro 5050-1055 OCR-nr 44556677886' })).toEqual([{ kind: 'ocr', value: '44556677886' }]);
    expect(findReferences({ remittanceInformation: '551234123', currency: 'SEK' })).toEqual([{ kind: 'ocr', value: '551234123' }]);
  });

  it('Finnish: viitenumero in print form, and the bare reference from a Finnish account', () => {
    expect(findReferences({ remittanceInformation: 'Lasku 118 viite 1234 56789 01239', currency: 'EUR' })).toEqual([{ kind: 'finnish_reference', value: '12345678901239' }]);
    for (const remittanceInformation of ['20260004716', '2 02600 04716']) {
      expect(findReferences({ remittanceInformation, currency: 'EUR', counterpartyIban: 'FI21 1234 5600 0007 85' })).toEqual([
        { kind: 'finnish_reference', value: '20260004716' },
      ]);
      expect(findReferences({ remittanceInformation, currency: 'EUR', counterpartyIban: 'DE89370400440532013000' })).toEqual([]);
    }
  });

  it('English: an RF reference in print form and an invoice number; the end-to-end id comes after the text', () => {
    expect(findReferences(
      { remittanceInformation: 'Payment for invoice INV-20260042, ref RF71 2348 231. Thanks', endToEndId: 'PO-88123' },
      { invoiceNumberPattern: pattern('INV-(\\d{4,8})') },
    )).toEqual([
      { kind: 'invoice_number', value: '20260042' },
      { kind: 'creditor_reference', value: 'RF712348231' },
      { kind: 'end_to_end_id', value: 'PO-88123' },
    ]);
  });

  it('looks into the end-to-end id for an RF reference and an invoice number', () => {
    expect(findReferences({ endToEndId: 'RF18539007547034' })).toEqual([
      { kind: 'end_to_end_id', value: 'RF18539007547034' },
      { kind: 'creditor_reference', value: 'RF18539007547034' },
    ]);
    expect(findReferences({ endToEndId: 'NOTPROVIDED', remittanceInformation: null })).toEqual([]);
  });

  it("reports the transaction's mandate id last, once with the MREF+ of its text", () => {
    expect(findReferences({ remittanceInformation: 'SVWZ+Beitrag 2026', endToEndId: 'E-1', mandateId: 'M-0815' })).toEqual([
      { kind: 'purpose', value: 'Beitrag 2026' },
      { kind: 'end_to_end_id', value: 'E-1' },
      { kind: 'mandate_id', value: 'M-0815' },
    ]);
    expect(findReferences({ remittanceInformation: 'MREF+M-0815 SVWZ+Beitrag', mandateId: 'M-0815' })).toEqual([
      { kind: 'mandate_id', value: 'M-0815' },
      { kind: 'purpose', value: 'Beitrag' },
    ]);
  });
});

describe('findReferences reports each reference once, in order of appearance', () => {
  it('a reference repeated in the text, and the EREF that is also the end-to-end id', () => {
    expect(findReferences({
      remittanceInformation: 'EREF+RF18539007547034 SVWZ+RF18 5390 0754 7034 KID 20260118003 RF18539007547034',
      endToEndId: 'RF18539007547034',
    })).toEqual([
      { kind: 'end_to_end_id', value: 'RF18539007547034' },
      { kind: 'creditor_reference', value: 'RF18539007547034' },
      { kind: 'purpose', value: 'RF18 5390 0754 7034 KID 20260118003 RF18539007547034' },
      { kind: 'kid', value: '20260118003' },
    ]);
  });

  it('every invoice number the pattern finds', () => {
    expect(findReferences({ remittanceInformation: 'INV-1001 INV-1002 and INV-1001' }, { invoiceNumberPattern: pattern('INV-\\d+') })).toEqual([
      { kind: 'invoice_number', value: 'INV-1001' },
      { kind: 'invoice_number', value: 'INV-1002' },
    ]);
  });
});

describe('findReferences does not take ordinary numbers for references', () => {
  // Each of these passes a check digit scheme by itself (44556677886 and 1234567897 pass Luhn, 20260118014 MOD11, 12345672 7-3-1).
  const lines = [
    'Kundennr. 123456 Rechnung vom 11.04.2026',
    'Kundennr. 1234567897',
    'Tel. +45 12 34 56 78, +46 70 123 45 67, +4791234567, +71234567890',
    'Order 44556677886 1.234,56 EUR 2026-04-11',
    'Ordrenr 20260118014 NOK 12 345,00',
    'Asiakasnumero 12345672',
    'IBAN DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX',
    'NO9386011117947 FI2112345600000785 SE4550000000058398257466',
    'RF17 5390 0754 7034',
    // RF60123456789012TACK passes the RF check: a word after a printed reference's digits is not part of it.
    'RF60 1234 5678 9012 TACK',
    'Kredit kort 71 000000001234566 81234567',
    '+71<000000001234567+81234567<',
  ];

  for (const remittanceInformation of lines) {
    it(remittanceInformation, () => {
      for (const currency of ['EUR', 'DKK', 'NOK', 'SEK']) {
        expect(findReferences({ remittanceInformation, currency, counterpartyIban: 'FI2112345600000785' })).toEqual([]);
      }
    });
  }

  it("the counterparty's own account number is no KID, even as the whole text of a NOK payment", () => {
    // 86011117947 is a Norwegian account number (MOD11, like a KID).
    expect(findReferences({ remittanceInformation: '86011117947', currency: 'NOK', counterpartyIban: 'NO93 8601 1117 947' })).toEqual([]);
    expect(findReferences({ remittanceInformation: '86011117947', currency: 'NOK' })).toEqual([{ kind: 'kid', value: '86011117947' }]);
  });

  it('a text without digits or keywords has none, and nothing at all has none', () => {
    expect(findReferences({ remittanceInformation: 'Kortkøb NETTO AARHUS' })).toEqual([]);
    expect(findReferences({})).toEqual([]);
  });
});
