import { StatementFormatError } from './errors.js';

/** What `parseStatementFile` reads: a stream of byte or text chunks (a Node stream, a fetch body), or a whole file. */
export type StatementInput = AsyncIterable<Uint8Array | string> | Uint8Array | string;
export type Chunk = Uint8Array | string;

/** Later stages buffer at most a few chunks, so no chunk may be a whole big file. */
const MAX_CHUNK = 64 * 1024;

/** The input as chunks of at most 64 KiB. */
export async function* boundedChunks(input: StatementInput): AsyncGenerator<Chunk> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    yield* split(input);
    return;
  }
  if (typeof input !== 'object' || input === null || !(Symbol.asyncIterator in input)) {
    throw new StatementFormatError(`the input is ${describe(input)}: expected bytes, text or an async iterable of them`);
  }
  for await (const chunk of input) {
    if (typeof chunk !== 'string' && !(chunk instanceof Uint8Array)) {
      throw new StatementFormatError(`the input stream gave ${describe(chunk)}: expected chunks of bytes or text`);
    }
    yield* split(chunk);
  }
}

function* split(chunk: Chunk): Generator<Chunk> {
  for (let start = 0; start < chunk.length; start += MAX_CHUNK) {
    yield typeof chunk === 'string' ? chunk.slice(start, start + MAX_CHUNK) : chunk.subarray(start, start + MAX_CHUNK);
  }
}

function describe(value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'an array' : `a value of type ${typeof value}`;
}

/**
 * Reads chunks until `size` bytes or characters have arrived (or the input ends), for format
 * detection; `all` then replays them before the rest, so nothing is read twice. `close` releases
 * the input (a file stream, say) whether or not `all` was read to its end.
 */
export async function peekChunks(source: AsyncIterable<Chunk>, size: number): Promise<{ head: Chunk[]; all: AsyncIterable<Chunk>; close(): Promise<void> }> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Chunk[] = [];
  let length = 0;
  let done = false;
  while (length < size) {
    const next = await iterator.next();
    if (next.done) {
      done = true;
      break;
    }
    head.push(next.value);
    length += next.value.length;
  }
  async function* all(): AsyncGenerator<Chunk> {
    yield* head;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return {
    head,
    all: all(),
    async close() {
      await iterator.return?.();
    },
  };
}
