import { describe, expect, test } from 'vitest';
import { StatementFormatError } from '../../statements/errors.js';
import { decodeText, firstInvalidUtf8, type Decoding } from '../../statements/text-decoding.js';

async function decode(chunks: (Uint8Array | string)[], decoding: Decoding): Promise<string> {
  let text = '';
  for await (const part of decodeText((async function* () { yield* chunks; })(), decoding, 'choose another encoding')) text += part;
  return text;
}

/** Every way to cut the bytes in two. */
const cuts = (bytes: Buffer) => Array.from({ length: bytes.length + 1 }, (_, at) => [bytes.subarray(0, at), bytes.subarray(at)]);

describe('decoding statement text', () => {
  test('UTF-8 split anywhere, even inside a character, decodes whole; a BOM is dropped', async () => {
    const bytes = Buffer.from('\uFEFFGrüße € 𝄞\n', 'utf8');
    for (const chunks of cuts(bytes)) expect(await decode(chunks, 'utf-8')).toBe('Grüße € 𝄞\n');
  });

  test('Windows-1252 maps 0x80-0x9F to the characters it defines there (Node reads them as C1 controls)', async () => {
    expect(await decode([Buffer.from([0x80, 0x84, 0x93, 0x94, 0x9f, 0xe4, 0x81])], 'windows-1252')).toBe('€„“”Ÿä\u0081');
    expect(await decode([Buffer.from([0x80, 0xe4])], 'iso-8859-1')).toBe('€ä');
    expect(await decode([Buffer.from([0xa4, 0xe4])], 'iso-8859-15')).toBe('€ä');
  });

  test('a byte order mark decides over the named encoding', async () => {
    expect(await decode([Buffer.from([0xef, 0xbb, 0xbf, 0xc3, 0xa4])], 'windows-1252')).toBe('ä');
    expect(await decode([Buffer.from([0xff, 0xfe, 0xe4, 0x00])], 'utf-8')).toBe('ä');
    expect(await decode([Buffer.from([0xfe, 0xff, 0x00, 0xe4])], 'utf-8')).toBe('ä');
  });

  test('auto: UTF-8 when the first non-ASCII bytes are UTF-8, else Windows-1252, wherever the chunks are cut', async () => {
    const utf8 = Buffer.from('plain ASCII line\nMüller\n', 'utf8');
    const latin = Buffer.from('plain ASCII line\nMüller\n', 'latin1');
    for (const chunks of cuts(utf8)) expect(await decode(chunks, 'auto')).toBe('plain ASCII line\nMüller\n');
    for (const chunks of cuts(latin)) expect(await decode(chunks, 'auto')).toBe('plain ASCII line\nMüller\n');
    expect(await decode([Buffer.from([0x41, 0xe4])], 'auto')).toBe('Aä');
  });

  test('invalid UTF-8 is refused with the line it is on and the hint', async () => {
    const bytes = Buffer.concat([Buffer.from('one\ntwo\nthree '), Buffer.from([0xe4, 0x0a])]);
    for (const chunks of [[bytes], cuts(bytes)[9]!]) {
      const error = await decode(chunks, 'utf-8').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StatementFormatError);
      expect(error).toMatchObject({ line: 3, message: 'line 3: byte 0xE4 is not valid UTF-8: expected UTF-8 text; choose another encoding' });
    }
  });

  test('a truncated multi-byte character at the end is refused', async () => {
    await expect(decode([Buffer.from([0x41, 0xe2, 0x82])], 'utf-8')).rejects.toThrow(/byte 0xE2 is not valid UTF-8/);
  });

  test('invalid UTF-16 is refused', async () => {
    await expect(decode([Buffer.from([0xff, 0xfe, 0x00, 0xd8, 0x41, 0x00])], 'utf-8')).rejects.toThrow(/not valid UTF-16LE text/);
  });

  test('firstInvalidUtf8 follows the Unicode well-formedness table', () => {
    expect(firstInvalidUtf8(Buffer.from('aä€𝄞'))).toBe(-1);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0xc0, 0x80]))).toBe(1); // overlong
    expect(firstInvalidUtf8(Buffer.from([0xed, 0xa0, 0x80]))).toBe(0); // surrogate
    expect(firstInvalidUtf8(Buffer.from([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    expect(firstInvalidUtf8(Buffer.from([0xe2, 0x28, 0xa1]))).toBe(0);
    expect(firstInvalidUtf8(Buffer.from([0x61, 0x80]))).toBe(1);
  });
});
