/**
 * Deterministic randomness: everything the Demo Bank invents is a pure function of its seed and
 * of what is being invented (an account's day, a fault's n-th decision), so the same seed gives
 * the same bank on every machine and every run.
 */

/** A 32-bit hash of the parts (FNV-1a over their UTF-16 code units, then an avalanche step). */
export function hash32(...parts: (string | number)[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    const text = `${part}\u0000`;
    for (let i = 0; i < text.length; i++) {
      h ^= text.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A stream of uniform numbers in [0, 1) from a 32-bit state (the mulberry32 generator). */
export class Random {
  private state: number;

  constructor(...seedParts: (string | number)[]) {
    this.state = hash32(...seedParts);
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

/** A short, stable, opaque id: `length` characters of 0-9A-Z derived from the parts. */
export function stableId(length: number, ...parts: (string | number)[]): string {
  const random = new Random(...parts);
  let id = '';
  while (id.length < length) id += ID_CHARS[Math.floor(random.next() * ID_CHARS.length)];
  return id;
}

const ID_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';
