import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { ProblemBody } from '../../api/problems.js';

/**
 * Asserts that a response is an RFC 9457 problem with `status` (and, given one, type kind), in
 * bankfeed's shape, with no stack trace; returns the problem.
 */
export function expectProblem(response: LightMyRequestResponse, status: number, kind?: string): ProblemBody {
  expect(response.statusCode, response.body).toBe(status);
  expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
  const problem = response.json<ProblemBody>();
  expect(problem).toMatchObject({
    type: expect.stringMatching(kind ? `^urn:bankfeed:problem:${kind}$` : '^urn:bankfeed:problem:[a-z-]+$'),
    title: expect.any(String),
    status,
    detail: expect.any(String),
    instance: expect.stringMatching(/^\//),
    requestId: response.headers['x-request-id'],
  });
  expect(response.body).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);
  return problem;
}
