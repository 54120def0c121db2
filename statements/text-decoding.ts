import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';
import { StatementFormatError } from './errors.js';
import type { Chunk } from './input.js';

/** Text encodings of statement files that bankfeed reads. ISO-8859-1 is read as Windows-1252, as browsers do (it is a superset in practice). */
export type TextEncoding = 'utf-8' | 'windows-1252' | 'iso-8859-1' | 'iso-8859-15';
export const TEXT_ENCODINGS: readonly TextEncoding[] = ['utf-8', 'windows-1252', 'iso-8859-1', 'iso-8859-15'];

/**
 * An encoding, or "auto": UTF-8 when the first non-ASCII bytes of the file are UTF-8, else
 * Windows-1252. One rule for the whole file, decided at its first non-ASCII character, so that a
 * file is never read half in one encoding and half in another.
 */
export type Decoding = TextEncoding | 'auto';

/**
 * Decodes byte chunks to text (text chunks pass through). A byte order mark decides over
 * `decoding` (UTF-8, UTF-16 LE/BE) and is dropped. Bytes that are not valid in the encoding
 * raise a StatementFormatError naming the line; `hint` says what to do about it.
 */
export async function* decodeText(chunks: AsyncIterable<Chunk>, decoding: Decoding, hint: string): AsyncGenerator<string> {
  const decoder = new ChunkDecoder(decoding, hint);
  for await (const chunk of chunks) {
    const text = decoder.decode(chunk);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

type Mode = 'sniffing' | 'undecided' | 'utf-8' | 'single-byte' | 'utf-16le' | 'utf-16be';

class ChunkDecoder {
  private mode: Mode = 'sniffing';
  private pending: Uint8Array = new Uint8Array(0);
  private readonly utf8 = new TextDecoder('utf-8');
  private singleByte: { decode(bytes: Uint8Array): string };
  private utf16?: TextDecoder;
  private newlines = 0;
  private started = false;

  constructor(
    private readonly decoding: Decoding,
    private readonly hint: string,
  ) {
    this.singleByte = decoding === 'iso-8859-15' ? new TextDecoder(decoding) : { decode: decodeWindows1252 };
  }

  decode(chunk: Chunk): string {
    if (typeof chunk === 'string') return this.counted(this.started ? chunk : chunk.replace(/^\uFEFF/, ''));
    this.pending = concat(this.pending, chunk);
    return this.counted(this.decodePending(false));
  }

  end(): string {
    return this.counted(this.decodePending(true));
  }

  private decodePending(final: boolean): string {
    if (this.mode === 'sniffing') {
      if (this.pending.length < 3 && !final) return '';
      this.sniff();
    }
    const bytes = this.pending;
    switch (this.mode) {
      case 'single-byte':
        this.pending = new Uint8Array(0);
        return this.singleByte.decode(bytes);
      case 'utf-16le':
      case 'utf-16be':
        this.pending = new Uint8Array(0);
        try {
          return this.utf16!.decode(bytes, { stream: !final });
        } catch {
          throw this.error(`not valid ${this.mode.toUpperCase()} text (an unpaired surrogate or an odd number of bytes)`);
        }
      default: {
        const complete = final ? bytes.length : completeUtf8Length(bytes);
        this.pending = bytes.slice(complete);
        return this.decodeUtf8(bytes.subarray(0, complete));
      }
    }
  }

  private sniff(): void {
    const [a, b, c] = this.pending;
    if (a === 0xef && b === 0xbb && c === 0xbf) {
      this.mode = 'utf-8';
      this.pending = this.pending.subarray(3);
    } else if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff)) {
      this.mode = a === 0xff ? 'utf-16le' : 'utf-16be';
      this.utf16 = new TextDecoder(this.mode, { fatal: true });
      this.pending = this.pending.subarray(2);
    } else {
      this.mode = this.decoding === 'auto' ? 'undecided' : this.decoding === 'utf-8' ? 'utf-8' : 'single-byte';
    }
  }

  private decodeUtf8(bytes: Uint8Array): string {
    if (this.mode === 'undecided') {
      const firstNonAscii = bytes.findIndex((byte) => byte >= 0x80);
      if (firstNonAscii === -1) return this.utf8.decode(bytes);
      this.mode = firstInvalidUtf8(bytes) === firstNonAscii ? 'single-byte' : 'utf-8';
      if (this.mode === 'single-byte') {
        const all = concat(bytes, this.pending);
        this.pending = new Uint8Array(0);
        return this.singleByte.decode(all);
      }
    }
    if (isUtf8(bytes)) return this.utf8.decode(bytes);
    const invalid = firstInvalidUtf8(bytes);
    const before = this.utf8.decode(bytes.subarray(0, invalid));
    this.counted(before);
    const byte = bytes[invalid]!.toString(16).toUpperCase().padStart(2, '0');
    const why = this.decoding === 'auto' ? ' after UTF-8 text earlier in the file: the file mixes encodings' : `: expected UTF-8 text; ${this.hint}`;
    throw this.error(`byte 0x${byte} is not valid UTF-8${why}`);
  }

  private counted(text: string): string {
    if (text) this.started = true;
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) this.newlines++;
    return text;
  }

  private error(detail: string): StatementFormatError {
    return new StatementFormatError(detail, { location: `line ${this.newlines + 1}`, line: this.newlines + 1 });
  }
}

// Windows-1252 differs from ISO-8859-1 in 0x80-0x9F only. Node's TextDecoder('windows-1252') reads
// those as C1 controls (it treats the label as Latin-1), which turns "€" into U+0080.
const WINDOWS_1252_C1 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008DŽ\u008F\u0090‘’“”•–—˜™š›œ\u009DžŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString('latin1')
    .replace(/[\u0080-\u009F]/g, (character) => WINDOWS_1252_C1[character.charCodeAt(0) - 0x80]!);
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

/** The length of the longest prefix that does not end inside a multi-byte UTF-8 sequence. */
function completeUtf8Length(bytes: Uint8Array): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back]!;
    if (byte < 0x80) return bytes.length;
    if (byte >= 0xc0) {
      const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : 2;
      return back < length ? bytes.length - back : bytes.length;
    }
  }
  return bytes.length;
}

/** Index of the first byte that does not start a well-formed UTF-8 sequence (Unicode table 3-7), or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let at = 0;
  while (at < bytes.length) {
    const lead = bytes[at]!;
    if (lead < 0x80) {
      at++;
      continue;
    }
    const [length, low, high] =
      lead >= 0xc2 && lead <= 0xdf ? [2, 0x80, 0xbf]
      : lead === 0xe0 ? [3, 0xa0, 0xbf]
      : lead === 0xed ? [3, 0x80, 0x9f]
      : lead >= 0xe1 && lead <= 0xef ? [3, 0x80, 0xbf]
      : lead === 0xf0 ? [4, 0x90, 0xbf]
      : lead >= 0xf1 && lead <= 0xf3 ? [4, 0x80, 0xbf]
      : lead === 0xf4 ? [4, 0x80, 0x8f]
      : [0, 0, 0];
    if (length === 0 || at + length > bytes.length) return at;
    const second = bytes[at + 1]!;
    if (second < low || second > high) return at;
    for (let next = at + 2; next < at + length; next++) if (bytes[next]! < 0x80 || bytes[next]! > 0xbf) return at;
    at += length;
  }
  return -1;
}
