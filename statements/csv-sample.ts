import { isUtf8 } from 'node:buffer';
import type { Chunk } from './input.js';
import { decodeWindows1252, firstInvalidUtf8, type TextEncoding } from './text-decoding.js';

/** The start of a CSV file as text, for detection: complete lines only, in the encoding its bytes show. */
export interface CsvSample {
  text: string;
  /** The encoding for the preset: a byte order mark decides over it when the whole file is read. */
  encoding: TextEncoding;
  /** What the bytes showed, for the findings. */
  encodingEvidence: string;
  /** Whether the sample is the whole file. */
  complete: boolean;
}

/**
 * Decodes the first chunks of a file: a byte order mark (UTF-8, UTF-16 LE/BE) decides; else
 * bytes that are valid UTF-8 are UTF-8, and anything else is the Windows-1252 family (ISO-8859-15
 * when byte 0xA4, its euro sign, appears without any of the bytes 0x80-0x9F that only
 * Windows-1252 uses). When the file goes on, an unfinished last line is left out.
 */
export function csvSample(head: Chunk[], complete: boolean): CsvSample {
  if (head.some((chunk) => typeof chunk === 'string')) {
    const text = head.map((chunk) => (typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'))).join('');
    return { text: completeLines(text.replace(/^\uFEFF/, ''), complete), encoding: 'utf-8', encodingEvidence: 'the file was given as text', complete };
  }
  const bytes = Buffer.concat(head as Uint8Array[]);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return utf16(bytes, 'utf-16le', complete);
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return utf16(bytes, 'utf-16be', complete);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  let body = bom ? bytes.subarray(3) : bytes;
  // A line feed is never part of a multi-byte sequence here, so cutting after the last one cuts no character.
  if (!complete && body.lastIndexOf(0x0a) !== -1) body = body.subarray(0, body.lastIndexOf(0x0a) + 1);
  if (bom) return { text: body.toString('utf8'), encoding: 'utf-8', encodingEvidence: 'a UTF-8 byte order mark', complete };
  if (isUtf8(body)) {
    const evidence = body.some((byte) => byte >= 0x80) ? 'every byte sequence is valid UTF-8' : 'only ASCII characters, read as UTF-8';
    return { text: body.toString('utf8'), encoding: 'utf-8', encodingEvidence: evidence, complete };
  }
  const firstNonUtf8 = describeByte(body, firstInvalidUtf8(body));
  if (body.includes(0xa4) && !body.some((byte) => byte >= 0x80 && byte <= 0x9f)) {
    return { text: new TextDecoder('iso-8859-15').decode(body), encoding: 'iso-8859-15', encodingEvidence: `not UTF-8 (${firstNonUtf8}), with byte 0xA4 (€ in ISO-8859-15) and none of Windows-1252's bytes 0x80-0x9F`, complete };
  }
  return { text: decodeWindows1252(body), encoding: 'windows-1252', encodingEvidence: `not UTF-8 (${firstNonUtf8})`, complete };
}

function utf16(bytes: Buffer, label: 'utf-16le' | 'utf-16be', complete: boolean): CsvSample {
  const text = new TextDecoder(label).decode(bytes.subarray(2), { stream: !complete });
  // The byte order mark decides over the preset's encoding, so the preset says UTF-8.
  return { text: completeLines(text, complete), encoding: 'utf-8', encodingEvidence: `a ${label.toUpperCase()} byte order mark`, complete };
}

function completeLines(text: string, complete: boolean): string {
  const end = text.lastIndexOf('\n');
  return complete || end === -1 ? text : text.slice(0, end + 1);
}

function describeByte(bytes: Uint8Array, at: number): string {
  let line = 1;
  for (let index = 0; index < at; index++) if (bytes[index] === 0x0a) line++;
  return `byte 0x${bytes[at]!.toString(16).toUpperCase().padStart(2, '0')} on line ${line}`;
}
