import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { fillPath, loadOperations, type Operation } from './openapi.js';
import { validValue } from './schema-arbitraries.js';

export interface IsolationOptions {
  /** The API key of the tenant that must see nothing of the owner's. */
  intruderKey: string;
  /** Ids of the owner's resources, by path parameter name (connectionId, accountId, …): every one the document uses needs one. */
  fixtures: Record<string, string>;
  /** A valid request body (or query) per operation ("METHOD /path") where one generated from its schema would not pass validation. */
  requests?: Record<string, { body?: unknown; query?: Record<string, string> }>;
}

export interface IsolationReport {
  /** Operations with path parameters, answered 404 to the intruder. */
  notFound: string[];
  /** GET operations without path parameters, whose answers held none of the owner's ids. */
  noLeak: string[];
  /** Public operations, and other-method operations without path parameters, which the harness does not call. */
  skipped: string[];
}

/**
 * Calls every operation of the app's OpenAPI document as the intruder, with the owner's ids in
 * its path parameters and otherwise valid input (so the request reaches the handler): each must
 * answer 404. GETs without path parameters must not mention any owner id. A path parameter
 * without a fixture fails the check, so a new route cannot slip past it.
 */
export async function expectTenantIsolation(app: FastifyInstance, options: IsolationOptions): Promise<IsolationReport> {
  const operations = await loadOperations(app);
  const missing = operations.flatMap((operation) =>
    operation.public ? [] : pathParameters(operation).filter((name) => !(name in options.fixtures)).map((name) => `${name} (${operation.id})`),
  );
  if (missing.length > 0) throw new Error(`No fixture for the path parameters ${missing.join(', ')}: add the owner's id for each to the isolation test.`);

  const report: IsolationReport = { notFound: [], noLeak: [], skipped: [] };
  const ownerIds = Object.values(options.fixtures);
  for (const operation of operations) {
    const hasIds = pathParameters(operation).length > 0;
    if (operation.public || (!hasIds && operation.method !== 'GET')) {
      report.skipped.push(operation.id);
      continue;
    }
    const request = validRequest(operation, options);
    const response = await app.inject({ ...request, headers: { ...request.headers, authorization: `Bearer ${options.intruderKey}` } });
    if (hasIds) {
      expect(response.statusCode, `${operation.id} with the owner's ids answered the intruder ${response.statusCode}: ${response.body}`).toBe(404);
      report.notFound.push(operation.id);
    } else {
      expect(response.statusCode, `${operation.id}: ${response.body}`).toBeLessThan(400);
      for (const id of ownerIds) expect(response.body, `${operation.id} showed the intruder the owner's ${id}`).not.toContain(id);
      report.noLeak.push(operation.id);
    }
  }
  return report;
}

function pathParameters(operation: Operation): string[] {
  return operation.parameters.filter((parameter) => parameter.in === 'path').map((parameter) => parameter.name);
}

/** A request that passes the operation's validation: the given body and query, else ones generated from its schemas (the same every run). */
export function validRequest(operation: Operation, { fixtures, requests }: Pick<IsolationOptions, 'fixtures' | 'requests'>) {
  const given = requests?.[operation.id];
  const sample = (schema: Parameters<typeof validValue>[0]) => fc.sample(validValue(schema), { seed: 1, numRuns: 1 })[0];
  const required = (where: 'query' | 'header') =>
    Object.fromEntries(
      operation.parameters.filter((parameter) => parameter.in === where && parameter.required).map((parameter) => [parameter.name, String(sample(parameter.schema))]),
    );
  const body = given?.body ?? (operation.body && sample(operation.body.schema));
  return {
    method: operation.method as 'GET',
    url: fillPath(operation.path, fixtures),
    query: given?.query ?? required('query'),
    headers: required('header'),
    ...(body !== undefined && { payload: body as object }),
  };
}
