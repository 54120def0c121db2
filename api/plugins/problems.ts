import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type {} from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import { isTemporalUnavailable } from '../../temporal/unavailable.js';
import { HttpProblem, PROBLEM_CONTENT_TYPE } from '../problems.js';

const PARTS: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };

/**
 * Every error becomes an RFC 9457 problem: thrown HttpProblems as they are, schema validation
 * as 400 with the failing locations, Fastify's own client errors (malformed JSON, 413, 415 …)
 * with their status, an unreachable Temporal as 503, and anything else as a bare 500 whose
 * details go to the log only. Unknown routes answer 404, known paths with another method 405.
 */
export const problemsPlugin = fp(
  async (app) => {
    // Fastify answers a wrong method with 404; a shadow router of every route tells 405 apart.
    const routes = FindMyWay();
    const methods = new Set<HTTPMethod>();
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat() as HTTPMethod[]) {
        routes.on(method, route.url, () => {});
        methods.add(method);
      }
    });

    app.setErrorHandler((error, request, reply) => sendProblem(request, reply, toProblem(error, request)));

    // 404s are rate limited too: scanning for routes costs a scanner its budget.
    app.setNotFoundHandler({ preHandler: app.rateLimit() }, (request) => {
      const path = request.url.split('?', 1)[0]!;
      const allowed = [...methods].filter((method) => routes.find(method, path) !== null).sort();
      if (allowed.length > 0)
        throw new HttpProblem(405, `${request.method} is not allowed on ${path}; it answers ${allowed.join(', ')}.`, {
          headers: { allow: allowed.join(', ') },
        });
      throw new HttpProblem(404, `There is no route ${request.method} ${path}.`);
    });
  },
  { name: 'problems', dependencies: ['@fastify/rate-limit'] },
);

/** Fastify's `frameworkErrors` option: errors before routing (a malformed URL) answered as problems too. */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id);
  sendProblem(request, reply, toProblem(error, request));
}

function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: HttpProblem) {
  const { type, title, status, detail, extensions } = problem;
  const body = { type, title, status, detail, instance: request.url.split('?', 1)[0], requestId: request.id, ...extensions };
  // A string, so no route's response schema reshapes it.
  return reply.code(status).headers(problem.headers).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(body));
}

function toProblem(error: unknown, request: FastifyRequest): HttpProblem {
  if (error instanceof HttpProblem) return error;
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation) return validationProblem(fastifyError as FastifyError);
  if (isTemporalUnavailable(error))
    return new HttpProblem(503, 'Temporal cannot be reached right now; try again shortly.', { headers: { 'retry-after': '5' } });
  const status = fastifyError.statusCode ?? 500;
  // Fastify's and its plugins' 4xx errors describe the client's request; nothing internal.
  if (status >= 400 && status < 500) return new HttpProblem(status, fastifyError.message ?? 'The request is not valid.');
  request.log.error({ err: error }, 'request failed');
  return new HttpProblem(500, 'Something went wrong on our side. Please quote the request id if you report it.');
}

function validationProblem(error: FastifyError): HttpProblem {
  const part = PARTS[error.validationContext ?? ''] ?? 'request';
  const errors = error.validation!.map((issue) => {
    const params = issue.params as { missingProperty?: string; additionalProperty?: string };
    const field = params.missingProperty ?? params.additionalProperty;
    return {
      location: `${part}${issue.instancePath}${field === undefined ? '' : `/${field}`}`,
      message:
        issue.keyword === 'required' ? 'is required' : issue.keyword === 'additionalProperties' ? 'is not allowed' : (issue.message ?? 'is not valid'),
    };
  });
  const first = errors[0]!;
  return new HttpProblem(400, `The request's ${part} is not valid: ${first.location} ${first.message}.`, {
    type: 'validation-failed',
    extensions: { errors },
  });
}
