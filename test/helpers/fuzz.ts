import fc from 'fast-check';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { expectProblem } from './problem.js';
import { fillPath, loadOperations, type Operation } from './openapi.js';
import { anyJson, hostileString, validValue } from './schema-arbitraries.js';

export interface FuzzOptions {
  /** Most requests authenticate with this key (so they get past authentication into validation and handlers). */
  key: string;
  /** A revoked key, sent now and then. */
  revokedKey: string;
  seed: number;
  /** Requests in all, at least; every operation gets an equal share of at least `perOperation`. */
  minRequests: number;
  perOperation: number;
}

export interface FuzzReport {
  requests: number;
  byStatus: Record<number, number>;
  byOperation: Record<string, number>;
}

/** A request being built: structured, so mutations can aim at one part. */
interface Draft {
  method: string;
  pathValues: Record<string, string>;
  /** Replaces the filled path when a mutation bends the URL itself. */
  url?: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  payload?: string;
}
type Mutation = (draft: Draft, operation: Operation) => Draft;

/** A mutation that names itself in fast-check's counterexamples. */
function mutation(description: string, apply: Mutation): Mutation {
  return Object.assign(apply, { [fc.toStringMethod]: () => description });
}
const short = (value: unknown, length = 80) => fc.stringify(value).slice(0, length);

const ODD_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS', 'HEAD', 'TRACE', 'PROPFIND', 'SEARCH', 'LOCK', 'MKCOL', 'COPY', 'MOVE'];
const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  'application/json; charset=utf-16',
  'application/json;;',
  'application/vnd.api+json',
  '*/*',
  'json',
];
const MALFORMED_JSON = ['{', '{"a":', '[1,2', 'nul', '\ufeff{}', '{"a":1}garbage', '{"a":1,"a":2}', '{"__proto__":{"polluted":true}}', 'NaN', '', '\u0000', '"\ud800"'];

/**
 * Sends seeded, generated malformed requests to every operation of the app's OpenAPI document
 * (so routes added later are covered without touching the fuzz test) and fails on the first
 * answer that is a 5xx, or an error that is not problem+json. Each request starts as a valid one
 * built from the operation's schemas, then has one to three parts broken: wrong types, missing
 * and extra fields, bad ids, huge and unicode strings, bad query values, malformed JSON, wrong
 * content types, bad or missing keys, odd methods, headers and paths.
 */
export async function fuzzApi(app: FastifyInstance, options: FuzzOptions): Promise<FuzzReport> {
  const operations = await loadOperations(app);
  const perOperation = Math.max(options.perOperation, Math.ceil(options.minRequests / operations.length));
  const report: FuzzReport = { requests: 0, byStatus: {}, byOperation: {} };
  for (const [index, operation] of operations.entries()) {
    const requests = fc.tuple(validDraft(operation, options.key), fc.array(fc.oneof(...mutations(operation, options)), { minLength: 1, maxLength: 3 }));
    const seed = options.seed + index;
    const result = await fc.check(
      fc.asyncProperty(requests, async ([draft, broken]) => {
        const request = toInject(broken.reduce((current, mutate) => mutate(current, operation), draft), operation);
        const response = await app.inject(request);
        report.requests++;
        report.byStatus[response.statusCode] = (report.byStatus[response.statusCode] ?? 0) + 1;
        report.byOperation[operation.id] = (report.byOperation[operation.id] ?? 0) + 1;
        const seen = `${request.method} ${String(request.url)} answered ${response.statusCode}`;
        if (response.statusCode >= 500) throw new Error(`${seen}: ${response.body.slice(0, 300)}\nrequest: ${describe(request)}`);
        if (response.statusCode >= 400 && request.method !== 'HEAD') {
          try {
            expectProblem(response, response.statusCode);
          } catch (error) {
            throw new Error(`${seen} without a proper problem: ${(error as Error).message}\nrequest: ${describe(request)}`, { cause: error });
          }
        }
      }),
      { seed, numRuns: perOperation },
    );
    if (result.failed)
      throw new Error(
        `fuzzing ${operation.id} (seed ${seed}, path ${result.counterexamplePath}): ${(result.errorInstance as Error | undefined)?.message}\nmutations: ${fc.stringify(result.counterexample?.[0][1])}`,
      );
  }
  return report;
}

function validDraft(operation: Operation, key: string): fc.Arbitrary<Draft> {
  const parameters = (where: 'path' | 'query' | 'header') => operation.parameters.filter((parameter) => parameter.in === where);
  const textValues = (where: 'path' | 'query' | 'header', all: boolean) =>
    fc.record(
      Object.fromEntries(
        parameters(where).map((parameter) => [parameter.name, validValue(parameter.schema).map((value) => (where === 'header' ? headerSafe(String(value)) : String(value)))]),
      ),
      { requiredKeys: all ? undefined : parameters(where).filter((parameter) => parameter.required).map((parameter) => parameter.name) },
    ) as fc.Arbitrary<Record<string, string>>;
  const body = operation.body;
  return fc
    .record({
      pathValues: textValues('path', true),
      query: textValues('query', false),
      headerValues: textValues('header', false),
      payload: body ? validValue(body.schema).map((value) => JSON.stringify(value)) : fc.constant(undefined),
    })
    .map(({ pathValues, query, headerValues, payload }) => ({
      method: operation.method,
      pathValues,
      query,
      headers: { ...headerValues, authorization: `Bearer ${key}`, ...(payload !== undefined && { 'content-type': body!.contentTypes[0]! }) },
      payload,
    }));
}

function mutations(operation: Operation, { key, revokedKey }: FuzzOptions): fc.Arbitrary<Mutation>[] {
  const withHeader = (name: string, value: string | undefined) =>
    mutation(`header ${name}: ${value === undefined ? '(none)' : short(value)}`, (draft) => {
      const headers = { ...draft.headers };
      if (value === undefined) delete headers[name];
      else headers[name] = value;
      return { ...draft, headers };
    });
  const names = (where: string) => operation.parameters.filter((parameter) => parameter.in === where).map((parameter) => parameter.name);
  const list: fc.Arbitrary<Mutation>[] = [
    // Authentication
    fc.constantFrom(
      withHeader('authorization', undefined),
      withHeader('authorization', 'Basic dXNlcjpwYXNz'),
      withHeader('authorization', 'Bearer '),
      withHeader('authorization', `Bearer ${revokedKey}`),
      withHeader('authorization', `bearer   ${key}`),
      withHeader('authorization', `Bearer ${key}x`),
      withHeader('authorization', `Bearer ${key} ${key}`),
    ),
    hostileString.map((value) => withHeader('authorization', `Bearer ${headerSafe(value)}`)),
    // Content types, with or without a body; malformed JSON
    fc.constantFrom(...CONTENT_TYPES).map((type) => withHeader('content-type', type)),
    fc.constantFrom(...MALFORMED_JSON).map((payload) => jsonBody(payload)),
    // Methods
    fc.constantFrom(...ODD_METHODS).map((method) => mutation(`method ${method}`, (draft) => ({ ...draft, method }))),
    // Headers
    fc
      .tuple(fc.constantFrom('x-request-id', 'accept', 'accept-encoding', 'x-forwarded-for', 'origin', 'range', 'if-none-match', 'x-namespace', 'psu-ip-address'), hostileString)
      .map(([name, value]) => withHeader(name, headerSafe(value))),
    // The path itself
    fc
      .constantFrom<[string, (path: string) => string]>(
        ['trailing slash', (path) => `${path}/`],
        ['upper case', (path) => path.toUpperCase()],
        ['extra segments', (path) => `${path}/extra/segment`],
        ['double slash', (path) => `/${path}`],
        ['bad escape', (path) => `${path}%zz`],
        ['matrix parameter', (path) => `${path};jsessionid=1`],
        ['dot-dot segment', (path) => path.replace(/\/[^/]*$/, '/%2e%2e')],
      )
      .map(([name, bend]) => mutation(`path: ${name}`, (draft, op) => ({ ...draft, url: bend(draft.url ?? fillPath(op.path, draft.pathValues)) }))),
    // The query string
    fc
      .tuple(fc.constantFrom(...names('query'), 'unexpected', 'limit', 'cursor'), fc.oneof(hostileString, fc.array(hostileString, { minLength: 2, maxLength: 3 })))
      .map(([name, value]) => mutation(`query ${name}=${short(value)}`, (draft) => ({ ...draft, query: { ...draft.query, [name]: value } }))),
  ];
  if (names('path').length > 0)
    list.push(
      fc
        .tuple(fc.constantFrom(...names('path')), hostileString)
        .map(([name, value]) => mutation(`path parameter ${name}=${short(value)}`, (draft) => ({ ...draft, pathValues: { ...draft.pathValues, [name]: value } }))),
    );
  const required = operation.parameters.filter((parameter) => parameter.required && parameter.in !== 'path');
  if (required.length > 0)
    list.push(
      fc.constantFrom(...required).map((parameter) =>
        mutation(`without required ${parameter.in} ${parameter.name}`, (draft) => {
          const { [parameter.name]: _dropped, ...rest } = parameter.in === 'query' ? draft.query : draft.headers;
          return parameter.in === 'query' ? { ...draft, query: rest } : { ...draft, headers: rest as Record<string, string> };
        }),
      ),
    );
  list.push(...bodyMutations(operation));
  return list;
}

function jsonBody(payload: string): Mutation {
  return mutation(`JSON body ${short(payload)}`, (draft) => ({ ...draft, payload, headers: { ...draft.headers, 'content-type': 'application/json' } }));
}

function bodyMutations(operation: Operation): fc.Arbitrary<Mutation>[] {
  const editObject = (description: string, edit: (body: Record<string, unknown>) => void) =>
    mutation(`body: ${description}`, (draft) => {
      const body = parseObject(draft.payload);
      edit(body);
      return jsonBody(JSON.stringify(body))(draft, operation);
    });
  const properties = Object.keys(operation.body?.schema.properties ?? {});
  const list: fc.Arbitrary<Mutation>[] = [
    anyJson.map((value) => jsonBody(JSON.stringify(value) ?? 'null')),
    fc.constantFrom(
      jsonBody(`{"a":${'['.repeat(5000)}${']'.repeat(5000)}}`),
      jsonBody(JSON.stringify({ big: 'x'.repeat(1_100_000) })),
      jsonBody(JSON.stringify(Array.from({ length: 10_000 }, (_, i) => i))),
    ),
    fc.tuple(hostileString, anyJson).map(([name, value]) => editObject(`extra field ${short(name)}=${short(value)}`, (body) => void (body[name] = value))),
  ];
  if (properties.length > 0) {
    list.push(fc.tuple(fc.constantFrom(...properties), anyJson).map(([name, value]) => editObject(`${name}=${short(value)}`, (body) => void (body[name] = value))));
    list.push(fc.constantFrom(...properties).map((name) => editObject(`without ${name}`, (body) => void delete body[name])));
  }
  return list;
}

/** The payload's top-level object to edit; an empty one for anything else (even JSON nested too deep to write back). */
function parseObject(payload: string | undefined): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(payload ?? '');
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      JSON.stringify(value);
      return { ...value };
    }
  } catch {
    // not JSON, or too deep: start from an empty object
  }
  return {};
}

function toInject(draft: Draft, operation: Operation): InjectOptions {
  return {
    method: draft.method as InjectOptions['method'],
    url: draft.url ?? fillPath(operation.path, draft.pathValues),
    query: draft.query,
    headers: draft.headers,
    ...(draft.payload !== undefined && { payload: draft.payload }),
  };
}

function describe(request: InjectOptions): string {
  return short({ method: request.method, url: request.url, query: request.query, headers: request.headers, payload: request.payload }, 600);
}

/** What can travel in an HTTP header: other characters are replaced, as a client library would refuse them. */
function headerSafe(value: string): string {
  return value.replace(/[^\t\x20-\x7e]/g, '?');
}
