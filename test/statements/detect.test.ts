import { describe, expect, test } from 'vitest';
import { detectFormat } from '../../statements/detect.js';
import { StatementFormatError } from '../../statements/errors.js';
import { entriesOf, fixture, formatError, parseAll } from './helpers.js';

describe('format detection', () => {
  test.each([
    ['<?xml version="1.0"?><Document>', 'camt.053'],
    ['\n  <Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02">', 'camt.053'],
    ['<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.052.001.08"><BkToCstmrAcctRpt>', 'camt.052'],
    ['<?xml version="1.0"?>\n<r:Document xmlns:r="urn:iso:std:iso:20022:tech:xsd:camt.054.001.13">', 'camt.054'],
    ['<Document><BkToCstmrAcctRpt><GrpHdr>', 'camt.052'],
    ['<c:Document><c:BkToCstmrDbtCdtNtfctn>', 'camt.054'],
    ['<Document xmlns="urn:iso:std:iso:20022:tech:xsd:pain.001.001.09">', 'camt.053'],
    ['{1:F01COBADEFFAXXX0000000000}{2:O940}{4:\n:20:X', 'mt940'],
    [':20:STARTUMS\r\n:25:DE89370400440532013000', 'mt940'],
    ['\u0001{1:F01INGBNL2AXXXX0000000000}{2:O940}{4:\r\n:20:X', 'mt940'],
    [':20:INTRADAY\n:25:DE89370400440532013000\n:28C:1\n:34F:EUR0,\n:13D:2401021200+0100', 'mt942'],
    ['{1:F01X}{2:O942}{4:\n:20:X\n:25:NL91ABNA0417164300\n:28C:1\n:13D:2401021200+0100', 'mt942'],
    ['ABNANL2A\n940\nABNANL2A\n:20:ABN AMRO BANK NV\n:25:417164300', 'mt940'],
    ['Datum;Betrag\n01.01.2024;1,00', 'csv'],
    ['"Date","Description",":20:"', 'csv'],
  ])('%j is %s', (head, format) => expect(detectFormat(head)).toBe(format));

  test.each([
    ['', /the file is empty/],
    ['  \n', /the file is empty/],
    ['%PDF-1.7\n', /the file is a PDF/],
    ['PK\u0003\u0004xl/workbook.xml', /ZIP archive \(or an Excel \.xlsx workbook\)/],
    ['D\u0000a\u0000t\u0000', /binary \(or UTF-16 without a byte order mark\)/],
  ])('%j is refused', (head, message) => {
    expect(() => detectFormat(head)).toThrow(StatementFormatError);
    expect(() => detectFormat(head)).toThrow(message);
  });

  test('files are detected as they arrive: UTF-8 with BOM, UTF-16 with BOM, and from text', async () => {
    const camt = fixture('camt053-v13-other-account.xml');
    const expected = await parseAll(camt.toString('utf8'));
    expect(await parseAll(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), camt]))).toEqual(expected);
    expect(await parseAll(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(camt.toString('utf8'), 'utf16le')]))).toEqual(expected);
    expect(entriesOf(await parseAll(fixture('mt940-dutch-plain.txt').toString('latin1')))).toHaveLength(4);
  });

  test('a named format is used even when the content looks like another', async () => {
    const error = await formatError(fixture('mt940-dutch-plain.txt'), { format: 'camt.053' });
    expect(error.message).toMatch(/text "ABNANL2A/);
    expect((await formatError('x', { format: 'pdf' as 'csv' })).message).toMatch(/unknown format "pdf": expected camt\.052, camt\.053, camt\.054, mt940, .*csv$/);
  });

  test('input that is not bytes or text is a StatementFormatError too', async () => {
    expect((await formatError(42 as unknown as string)).message).toMatch(/the input is a value of type number/);
    const numbers = (async function* () { yield 1; })() as unknown as AsyncIterable<string>;
    expect((await formatError(numbers)).message).toMatch(/the input stream gave a value of type number/);
  });

  test('the input stream is closed when parsing stops early', async () => {
    let closed = false;
    const stream = (async function* () {
      try {
        yield 'Datum;Betrag\n'.repeat(400);
        for (;;) yield '01.01.2024;1,00\n';
      } finally {
        closed = true;
      }
    })();
    await formatError(stream);
    expect(closed).toBe(true);
  });
});
