import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { validRequest, type IsolationOptions } from './isolation.js';
import { fillPath, loadOperations, type JsonSchema, type Operation } from './openapi.js';

/**
 * The adversarial API fuzz: from the OpenAPI document, every parameter and body field of every
 * operation gets boundary values (NUL and other control characters, lone surrogates, very long
 * strings, year 0 and year 9999999, numbers at and past every bound, tampered and foreign
 * cursors, unknown fields) while the rest of the request stays valid and names the owner's real
 * resources, so each value reaches the handler and Postgres, not only the router.
 */
export interface BoundaryFuzzOptions extends Pick<IsolationOptions, 'fixtures' | 'requests'> {
  key: string;
  /** Requests in all, at least: single substitutions first, then seeded pairs of them. */
  minRequests: number;
  seed: number;
  /** Cursors some list handed out, to send to the other lists. */
  foreignCursors: string[];
}

export interface BoundaryFuzzReport {
  requests: number;
  byStatus: Record<number, number>;
  /** Each request answered with a 5xx: operation, what was substituted, and the answer. */
  failures: string[];
}

/** One change to a valid request: which part, and what it now holds. */
interface Substitution {
  where: 'query' | 'path' | 'header' | 'body';
  /** A parameter name, or the JSON path of a body field (nested fields as a list). */
  name: string[];
  value: unknown;
  /** Removes the part instead of setting it. */
  remove?: boolean;
}

const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
const NIL_UUID = '00000000-0000-0000-0000-000000000000';

/** Values at and past what a schema allows, for its type and format. */
export function boundaryValues(schema: JsonSchema, name: string, foreignCursors: string[]): unknown[] {
  const values: unknown[] = [null, '', '\u0000', 'a\u0000b', '%00', '\u0001\u001f\u007f', '\ud800', 'x\udfffy', '\u202e\ufeff', 'ü'.repeat(10_000), [], {}, true, 0, -1, 1.5, 1e300, '1e300', 'NaN'];
  const strings = [schema, ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])].filter((s) => s.type === 'string');
  for (const text of strings) {
    if (text.maxLength !== undefined) values.push('x'.repeat(text.maxLength), 'x'.repeat(text.maxLength + 1));
    if (text.minLength !== undefined && text.minLength > 0) values.push('x'.repeat(text.minLength - 1));
    if (text.format === 'date' || text.format === 'date-time' || /date|from|to|start|until/.test(name)) {
      values.push('0000-01-01', '9999999-01-01', '-000001-01-01', '2026-02-30', '2026-13-01', '0001-01-01', '9999-12-31', '2026-01-01T00:00:00Z', '+275760-09-13T00:00:00.000Z');
    }
    if (text.format === 'uuid') values.push(NIL_UUID, `urn:uuid:${NIL_UUID}`, NIL_UUID.toUpperCase(), `{${NIL_UUID}}`, NIL_UUID.replace(/-/g, ''));
    if (text.format === 'web-url' || text.format === 'uri') values.push('http://', 'https://', 'https://a:99999/', 'https://u:p@a/', 'javascript:alert(1)', 'https://[::1]/', 'https://169.254.169.254/');
    if (text.format === 'email') values.push('a@b', 'a\u0000@b.example', `${'x'.repeat(250)}@b.example`);
  }
  const numbers = [schema, ...(schema.anyOf ?? [])].filter((s) => s.type === 'integer' || s.type === 'number');
  for (const number of numbers) {
    for (const bound of [number.minimum, number.maximum, number.exclusiveMinimum, number.exclusiveMaximum]) {
      if (bound !== undefined) values.push(bound - 1, bound, bound + 1, bound + 0.5);
    }
    values.push(2 ** 53, -(2 ** 63), '1e3', '0x10', '-0');
  }
  if (name === 'cursor') {
    values.push(...foreignCursors, 'garbage', cursorOf(['x']), cursorOf(['x', 'y']), cursorOf(['x', 'y', 'z']), cursorOf(['2026-01-01', 'not-a-uuid']));
    values.push(cursorOf(['9999999-01-01', NIL_UUID]), cursorOf(['0000-01-01T00:00:00.000Z', NIL_UUID]), cursorOf(['1', 1.5, '']), cursorOf(['1', 1e300, '']), cursorOf(['99999999999999999999999', 0, '']));
  }
  return values;
}

/** Every substitution of one boundary value into one part of the operation's request, and unknown parts. */
function substitutions(operation: Operation, options: BoundaryFuzzOptions): Substitution[] {
  const list: Substitution[] = [];
  for (const parameter of operation.parameters) {
    const where = parameter.in;
    for (const value of boundaryValues(parameter.schema, parameter.name, options.foreignCursors)) list.push({ where, name: [parameter.name], value });
    if (!parameter.required) list.push({ where, name: [parameter.name], value: undefined, remove: true });
  }
  list.push({ where: 'query', name: ['unexpected'], value: '1' });
  const visit = (schema: JsonSchema | undefined, path: string[], depth: number) => {
    if (!schema?.properties || depth > 3) return;
    for (const [name, property] of Object.entries(schema.properties)) {
      for (const value of boundaryValues(property, name, options.foreignCursors)) list.push({ where: 'body', name: [...path, name], value });
      list.push({ where: 'body', name: [...path, name], value: undefined, remove: true });
      visit(property, [...path, name], depth + 1);
    }
    list.push({ where: 'body', name: [...path, 'unknown\u0000field'], value: 1 }, { where: 'body', name: [...path, '__proto__'], value: { polluted: true } });
  };
  if (operation.body) visit(operation.body.schema, [], 0);
  return list;
}

function apply(request: ReturnType<typeof validRequest>, operation: Operation, fixtures: Record<string, string>, changes: Substitution[]): InjectOptions {
  const query: Record<string, string | string[]> = { ...request.query };
  const headers: Record<string, string> = { ...request.headers };
  const path = { ...fixtures };
  let body: unknown = request.payload === undefined ? undefined : structuredClone(request.payload);
  const asText = (value: unknown): string | string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));
  for (const change of changes) {
    const [first = ''] = change.name;
    if (change.where === 'query') {
      if (change.remove) delete query[first];
      else query[first] = asText(change.value);
    } else if (change.where === 'header') {
      if (change.remove) delete headers[first];
      else headers[first] = String(asText(change.value)).replace(/[^\t\x20-\x7e]/g, '?');
    } else if (change.where === 'path') {
      path[first] = String(asText(change.value));
    } else {
      if (body === null || typeof body !== 'object') body = {};
      let target = body as Record<string, unknown>;
      for (const part of change.name.slice(0, -1)) {
        if (target[part] === null || typeof target[part] !== 'object' || Array.isArray(target[part])) target[part] = {};
        target = target[part] as Record<string, unknown>;
      }
      const last = change.name.at(-1)!;
      if (change.remove) delete target[last];
      else Object.defineProperty(target, last, { value: change.value, enumerable: true, writable: true, configurable: true });
    }
  }
  return {
    method: request.method,
    url: fillPath(operation.path, path),
    query,
    headers,
    ...(body !== undefined && { payload: JSON.stringify(body), headers: { ...headers, 'content-type': 'application/json' } }),
  };
}

export async function boundaryFuzz(app: FastifyInstance, options: BoundaryFuzzOptions): Promise<BoundaryFuzzReport> {
  const operations = (await loadOperations(app)).filter((operation) => !operation.public);
  const report: BoundaryFuzzReport = { requests: 0, byStatus: {}, failures: [] };
  const send = async (operation: Operation, changes: Substitution[]) => {
    const base = validRequest(operation, options);
    const request = apply(base, operation, options.fixtures, changes);
    request.headers = { ...request.headers, authorization: `Bearer ${options.key}` };
    const response = await app.inject(request);
    report.requests++;
    report.byStatus[response.statusCode] = (report.byStatus[response.statusCode] ?? 0) + 1;
    if (response.statusCode >= 500) {
      const what = changes.map((change) => `${change.where} ${change.name.join('.')}=${change.remove ? '(removed)' : fc.stringify(change.value).slice(0, 60)}`).join(', ');
      report.failures.push(`${operation.id} with ${what}: ${response.statusCode} ${response.body.slice(0, 200)}`);
    }
  };
  const all = operations.map((operation) => ({ operation, changes: substitutions(operation, options) }));
  for (const { operation, changes } of all) for (const change of changes) await send(operation, [change]);
  // Then pairs of substitutions in one request, seeded, until the total is reached.
  const random = fc.sample(fc.tuple(fc.nat(), fc.nat(), fc.nat()), { seed: options.seed, numRuns: Math.max(0, options.minRequests - report.requests) });
  for (const [which, first, second] of random) {
    const { operation, changes } = all[which % all.length]!;
    if (changes.length === 0) continue;
    await send(operation, [changes[first % changes.length]!, changes[second % changes.length]!]);
  }
  return report;
}
