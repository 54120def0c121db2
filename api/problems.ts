import { STATUS_CODES } from 'node:http';
import { Type, type Static } from '@fastify/type-provider-typebox';

/** Problem types are URNs under this prefix, one per kind of problem (README lists them). */
export const PROBLEM_TYPE_PREFIX = 'urn:bankfeed:problem:';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const TYPE_BY_STATUS: Record<number, string> = {
  400: 'bad-request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not-found',
  405: 'method-not-allowed',
  409: 'conflict',
  413: 'payload-too-large',
  414: 'uri-too-long',
  415: 'unsupported-media-type',
  429: 'rate-limited',
  500: 'internal-error',
  503: 'service-unavailable',
};

/** RFC 9457 problem details, as every error response carries them. */
export const Problem = Type.Object(
  {
    type: Type.String({ description: `a URN ${PROBLEM_TYPE_PREFIX}<kind>` }),
    title: Type.String({ description: 'the HTTP status phrase' }),
    status: Type.Integer(),
    detail: Type.String({ description: 'what went wrong with this request, for a person' }),
    instance: Type.String({ description: 'the request path' }),
    requestId: Type.String({ description: 'the X-Request-Id of the request, for support' }),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          location: Type.String({ description: 'where in the request: body/field, query/name, params/name or headers/name' }),
          message: Type.String(),
        }),
        { description: 'validation problems (400)' },
      ),
    ),
  },
  { $id: 'Problem', additionalProperties: true },
);
export type ProblemBody = Static<typeof Problem>;

export interface ProblemOptions {
  /** The kind after PROBLEM_TYPE_PREFIX; defaults to one per status (not-found, conflict, …). */
  type?: string;
  /** Response headers that belong to the problem, e.g. Retry-After or WWW-Authenticate. */
  headers?: Record<string, string>;
  /** Extension members of the problem body. */
  extensions?: Record<string, unknown>;
}

/**
 * An error a route throws to answer with a problem: `throw new HttpProblem(409, 'why')`. The error
 * handler renders it as application/problem+json; its detail goes to the client, so it must not
 * carry secrets or internals.
 */
export class HttpProblem extends Error {
  readonly type: string;
  readonly title: string;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;

  constructor(
    readonly status: number,
    readonly detail: string,
    options: ProblemOptions = {},
  ) {
    super(detail);
    this.name = 'HttpProblem';
    this.type = PROBLEM_TYPE_PREFIX + (options.type ?? TYPE_BY_STATUS[status] ?? 'http-error');
    this.title = STATUS_CODES[status] ?? 'Error';
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

/**
 * 404 for a resource that does not exist *in the caller's tenant*. Ids of other tenants get the
 * very same answer as ids that exist nowhere, so a key learns nothing about other tenants.
 */
export function notFound(resource: string, id: string): HttpProblem {
  return new HttpProblem(404, `There is no ${resource} with id ${id}.`);
}

/** The row, or a 404 for it: `const row = orNotFound(await query, 'connection', id)`. */
export function orNotFound<T>(row: T | undefined | null, resource: string, id: string): T {
  if (row === undefined || row === null) throw notFound(resource, id);
  return row;
}

/** 409: the request is well-formed but the resource's state forbids it (e.g. syncing a disconnected connection). */
export function conflict(detail: string, type = 'conflict'): HttpProblem {
  return new HttpProblem(409, detail, { type });
}
