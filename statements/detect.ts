import { StatementFormatError } from './errors.js';
import type { Chunk } from './input.js';
import type { StatementFormat } from './model.js';
import type { TextEncoding } from './text-decoding.js';

/** How much of the file detection looks at. */
export const SNIFF_BYTES = 4096;

/**
 * The start of the file as text for detection only: bytes read as Latin-1 (every byte a
 * character, so ASCII markup reads right in any ASCII-based encoding), UTF-16 by its byte order mark.
 */
export function sniffText(head: Chunk[]): string {
  if (typeof head[0] === 'string') return head.map((chunk) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('latin1'))).join('').replace(/^\uFEFF/, '');
  const bytes = Buffer.concat(head.map((chunk) => (typeof chunk === 'string' ? Buffer.from(chunk) : chunk))).subarray(0, SNIFF_BYTES);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const text = bytes.toString('latin1');
  return text.startsWith('\u00ef\u00bb\u00bf') ? text.slice(3) : text;
}

/**
 * The format of a statement file from its first bytes: XML is camt.052 or camt.054 when its
 * namespace or message element says so, else camt.053 (the camt reader refuses other XML by
 * name), a SWIFT block or :20: and :25: fields are MT940, or MT942 when a floor limit :34F: or
 * date-time indication :13D: (fields only MT942 has) is among them, other text is CSV (which
 * needs a preset). Binary files are refused here.
 */
export function detectFormat(head: string): StatementFormat {
  let start = head.trimStart();
  // SWIFT interfaces frame each message with SOH (0x01) ... ETX (0x03).
  while (start.startsWith('\u0001')) start = start.slice(1).trimStart();
  if (!start) throw new StatementFormatError('the file is empty: expected a camt.053, MT940 or CSV statement');
  if (start.startsWith('%PDF')) throw new StatementFormatError('the file is a PDF: expected a camt.053, MT940 or CSV statement (banks offer these as exports)');
  if (start.startsWith('PK\u0003\u0004')) throw new StatementFormatError('the file is a ZIP archive (or an Excel .xlsx workbook): unpack it, or export CSV');
  if (start.includes('\u0000')) throw new StatementFormatError('the file is binary (or UTF-16 without a byte order mark): expected a camt.053, MT940 or CSV text file');
  if (start.startsWith('<')) return camtFormat(start);
  if (/^(?:\{1:|:20:)/.test(start) || (/^:20:/m.test(head) && /^:25P?:/m.test(head))) return /^:(?:34F|13D):/m.test(head) ? 'mt942' : 'mt940';
  return 'csv';
}

const CAMT_MESSAGES: Record<string, StatementFormat> = { BkToCstmrAcctRpt: 'camt.052', BkToCstmrStmt: 'camt.053', BkToCstmrDbtCdtNtfctn: 'camt.054' };

function camtFormat(xml: string): StatementFormat {
  const namespace = /urn:iso:std:iso:20022:tech:xsd:camt\.(05[234])\./.exec(xml)?.[1];
  if (namespace) return `camt.${namespace}` as StatementFormat;
  const element = /<(?:[\w.-]+:)?(BkToCstmr(?:AcctRpt|Stmt|DbtCdtNtfctn))[\s>]/.exec(xml)?.[1];
  return element ? CAMT_MESSAGES[element]! : 'camt.053';
}

/** The encoding an XML declaration names (UTF-8 when none), as one bankfeed decodes. */
export function xmlEncoding(head: string): TextEncoding {
  const declared = /^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1]?.toLowerCase();
  if (declared === undefined || declared === 'utf-8' || declared === 'utf8' || declared === 'utf-16') return 'utf-8';
  if (['iso-8859-1', 'latin1', 'latin-1', 'windows-1252', 'cp1252', 'us-ascii', 'ascii'].includes(declared)) return 'windows-1252';
  if (['iso-8859-15', 'latin-9', 'latin9'].includes(declared)) return 'iso-8859-15';
  throw new StatementFormatError(`the XML declaration names the encoding "${declared}": expected UTF-8, ISO-8859-1, ISO-8859-15 or Windows-1252`, { location: 'line 1', line: 1 });
}
