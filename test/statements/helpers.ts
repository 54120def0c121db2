import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { parseStatementFile, StatementFormatError, type ParseStatementOptions, type StatementEntry, type StatementEvent, type StatementInput } from '../../statements/index.js';

export function fixture(name: string): Buffer {
  return readFileSync(new URL(`../fixtures/statements/${name}`, import.meta.url));
}

export async function parseAll(input: StatementInput, options?: ParseStatementOptions): Promise<StatementEvent[]> {
  const events: StatementEvent[] = [];
  for await (const event of parseStatementFile(input, options)) events.push(event);
  return events;
}

export function entriesOf(events: StatementEvent[]): StatementEntry[] {
  return events.flatMap((event) => (event.kind === 'entry' ? [event.entry] : []));
}

/** The input as a stream of `size`-byte chunks, to cross every boundary a parser may hold back at. */
export async function* inChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += size) yield bytes.subarray(start, start + size);
}

/** The StatementFormatError that parsing `input` raises; fails the test when it parses or throws anything else. */
export async function formatError(input: StatementInput, options?: ParseStatementOptions): Promise<StatementFormatError> {
  try {
    await parseAll(input, options);
  } catch (error) {
    expect(error).toBeInstanceOf(StatementFormatError);
    return error as StatementFormatError;
  }
  throw new Error('expected a StatementFormatError, but the input parsed');
}
