/**
 * The shape of a regular expression that compiles with the `u` flag: what a tenant's pattern must
 * not contain for it to run on every imported transaction without catastrophic backtracking.
 *
 * The rules are conservative and simple rather than exact:
 * - no backreference (`\1`, `\k<name>`) and no lookbehind (`(?<=`, `(?<!`); a lookahead is fine
 *   (`R\d{4}(?!\d)`);
 * - star height 1: a repeated part (`*`, `+`, `?`, `{n,m}`, also `{n}` for n > 1) may contain no
 *   repetition of variable count and no alternation (`(a+)+`, `(a|ab)*`, `(\d?)+` are refused;
 *   `(\d{4}-)+` is fine);
 * - the number of ways the pattern can split one piece of text stays small: each variable
 *   repetition counts its spread (max − min + 1, unbounded counts as 100), an alternation the sum
 *   of its branches, a sequence the product of its parts, and the total may be at most 1,000. So
 *   one open-ended repetition (`*`, `+`, `{n,}`) at most, which keeps the work on a text of length n
 *   at about n² steps: two (`.*.*INV`, `\d+\d+x`) took 20 ms on one 140-character line and a second
 *   on 1,000 characters. `INV-(\d+)`, `[A-Z]{1,10}-\d+`, `(?:RE|INV)-?\s?(\d{4,8})` are fine.
 * The source must compile with `u` before it is read here; this reader trusts its syntax.
 */
export interface PatternShape {
  /** The fewest characters a match can have. */
  minLength: number;
  /** The fewest characters capture group 1 can hold, or undefined when there is no capture group. */
  firstGroupMinLength: number | undefined;
}

const MAX_WAYS = 1_000;
const UNBOUNDED_SPREAD = 100;

export class UnsafePattern extends Error {}

/** The pattern's shape, or throws UnsafePattern saying which rule it breaks. */
export function patternShape(source: string): PatternShape {
  const reader = new Reader(source);
  const whole = reader.alternation();
  if (whole.ways > MAX_WAYS) {
    throw new UnsafePattern(`has too many ways to match one text (about ${Math.min(whole.ways, 1e9).toLocaleString('en')}, at most ${MAX_WAYS.toLocaleString('en')}): use fewer open-ended repetitions (*, +, {n,}) or give them upper bounds`);
  }
  return { minLength: whole.minLength, firstGroupMinLength: reader.firstGroupMinLength };
}

interface Part {
  minLength: number;
  ways: number;
  /** Contains a repetition of variable count or an alternation. */
  varies: boolean;
}

const FIXED_CHARACTER: Part = { minLength: 1, ways: 1, varies: false };
const ASSERTION: Part = { minLength: 0, ways: 1, varies: false };

class Reader {
  private position = 0;
  private groups = 0;
  firstGroupMinLength: number | undefined;

  constructor(private readonly source: string) {}

  alternation(): Part {
    const branches = [this.sequence()];
    while (this.source[this.position] === '|') {
      this.position++;
      branches.push(this.sequence());
    }
    if (branches.length === 1) return branches[0]!;
    return {
      minLength: Math.min(...branches.map((branch) => branch.minLength)),
      ways: branches.reduce((sum, branch) => sum + branch.ways, 0),
      varies: true,
    };
  }

  private sequence(): Part {
    const part: Part = { minLength: 0, ways: 1, varies: false };
    while (this.position < this.source.length && this.source[this.position] !== '|' && this.source[this.position] !== ')') {
      const term = this.repeated(this.atom());
      part.minLength += term.minLength;
      part.ways *= term.ways;
      part.varies ||= term.varies;
    }
    return part;
  }

  private repeated(atom: Part): Part {
    const quantifier = this.quantifier();
    if (!quantifier) return atom;
    const { min, max } = quantifier;
    if (atom.varies && max !== 1) {
      throw new UnsafePattern(`repeats a part that itself repeats or has alternatives (near position ${this.position}): nested repetition can take exponential time`);
    }
    const spread = max === Infinity ? UNBOUNDED_SPREAD : max - min + 1;
    return { minLength: atom.minLength * min, ways: atom.ways * spread, varies: atom.varies || spread > 1 };
  }

  private quantifier(): { min: number; max: number } | undefined {
    const character = this.source[this.position];
    let bounds: { min: number; max: number } | undefined;
    if (character === '*') bounds = { min: 0, max: Infinity };
    else if (character === '+') bounds = { min: 1, max: Infinity };
    else if (character === '?') bounds = { min: 0, max: 1 };
    if (bounds) this.position++;
    else if (character === '{') {
      // With the u flag a brace after an atom is always a quantifier: {n}, {n,} or {n,m}.
      const close = this.source.indexOf('}', this.position);
      const [min, max] = this.source.slice(this.position + 1, close).split(',');
      bounds = { min: Number(min), max: max === undefined ? Number(min) : max === '' ? Infinity : Number(max) };
      this.position = close + 1;
    }
    if (bounds && this.source[this.position] === '?') this.position++; // lazy: the same ways, tried in another order
    return bounds;
  }

  private atom(): Part {
    const character = this.source[this.position]!;
    if (character === '(') return this.group();
    if (character === '[') return this.characterClass();
    if (character === '\\') return this.escape();
    this.position += character.codePointAt(0)! > 0xffff ? 2 : 1;
    return character === '^' || character === '$' ? ASSERTION : FIXED_CHARACTER;
  }

  private group(): Part {
    const rest = this.source.slice(this.position, this.position + 4);
    if (rest.startsWith('(?<=') || rest.startsWith('(?<!')) throw new UnsafePattern('uses a lookbehind ((?<= or (?<!), which is not allowed');
    const lookahead = rest.startsWith('(?=') || rest.startsWith('(?!');
    const named = rest.startsWith('(?<');
    const number = named || !rest.startsWith('(?') ? ++this.groups : 0;
    if (named) this.position = this.source.indexOf('>', this.position) + 1;
    else if (lookahead || rest.startsWith('(?:')) this.position += 3;
    else if (rest.startsWith('(?')) this.position = this.source.indexOf(':', this.position) + 1; // a modifier group such as (?i:
    else this.position++;
    const inner = this.alternation();
    this.position++; // ")"
    if (number === 1) this.firstGroupMinLength = inner.minLength;
    return lookahead ? { ...inner, minLength: 0 } : inner;
  }

  private characterClass(): Part {
    this.position++;
    while (this.source[this.position] !== ']') this.position += this.source[this.position] === '\\' ? 2 : 1;
    this.position++;
    return FIXED_CHARACTER;
  }

  private escape(): Part {
    const next = this.source[this.position + 1]!;
    if ((next >= '1' && next <= '9') || next === 'k') throw new UnsafePattern(`uses a backreference (\\${next}), which is not allowed`);
    this.position += 2;
    if (next === 'b' || next === 'B') return ASSERTION;
    if ((next === 'p' || next === 'P' || next === 'u') && this.source[this.position] === '{') this.position = this.source.indexOf('}', this.position) + 1;
    else if (next === 'u') this.position += 4;
    else if (next === 'x') this.position += 2;
    else if (next === 'c') this.position += 1;
    return FIXED_CHARACTER;
  }
}
