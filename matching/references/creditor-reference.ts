import { mod97 } from '../../domain/iban.js';
import type { FoundReference } from './kinds.js';

/**
 * ISO 11649 RF creditor references: "RF", two check digits and up to 21 letters or digits, in
 * electronic form (RF18539007547034) or printed in blocks of four (RF18 5390 0754 7034, the last
 * block may be shorter). Valid when the reference with its first four characters moved to the end,
 * letters as 10..35, is 1 mod 97 (ISO 11649:2009 6.2; the same ISO 7064 MOD 97-10 as the IBAN).
 */
export function findCreditorReferences(text: string, found: FoundReference[]): void {
  RF_START.lastIndex = 0;
  for (let start = RF_START.exec(text); start; start = RF_START.exec(text)) {
    const blocks = blocksAfter(text, RF_START.lastIndex);
    // Words of the text may follow a printed reference ("RF18 5390 0754 7034 DANK"): the longest valid run of blocks wins.
    for (let count = blocks.length; count > 0; count--) {
      const reference = `RF${start[1]}${blocks.slice(0, count).map((block) => block.text).join('')}`.toUpperCase();
      if (mod97(reference.slice(4) + reference.slice(0, 4)) === 1) {
        found.push({ at: start.index, kind: 'creditor_reference', value: reference });
        RF_START.lastIndex = blocks[count - 1]!.end;
        break;
      }
    }
  }
}

const MAX_BODY = 21;
const RF_START = /(?<![\p{L}\p{N}])RF(\d{2})/giu;
// Sticky, read at the end of the check digits: the electronic form's body, or one printed block after a space.
const ELECTRONIC_BODY = /[A-Za-z0-9]{1,21}(?![\p{L}\p{N}])/uy;
const PRINTED_BLOCK = / ([A-Z0-9]{1,4})(?![\p{L}\p{N}])/uy;

const DIGIT = /\d/;

/**
 * The possible bodies' parts after the check digits: the electronic form's one body, or the
 * printed blocks (four characters each but the last; upper case, as printed; no word of
 * letters after digits).
 */
function blocksAfter(text: string, from: number): { text: string; end: number }[] {
  ELECTRONIC_BODY.lastIndex = from;
  const body = ELECTRONIC_BODY.exec(text);
  if (body) return [{ text: body[0], end: ELECTRONIC_BODY.lastIndex }];
  const blocks: { text: string; end: number }[] = [];
  PRINTED_BLOCK.lastIndex = from;
  for (let block = PRINTED_BLOCK.exec(text); block && blocks.length * 4 + block[1]!.length <= MAX_BODY; block = PRINTED_BLOCK.exec(text)) {
    // After blocks with digits, a block of letters only is a word ("RF18 5390 0754 7034 KID 123" would pass the check by chance).
    if (!DIGIT.test(block[1]!) && blocks.some((earlier) => DIGIT.test(earlier.text))) break;
    blocks.push({ text: block[1]!, end: PRINTED_BLOCK.lastIndex });
    if (block[1]!.length < 4) break;
  }
  return blocks;
}
