import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifySchema } from 'fastify';
import fp from 'fastify-plugin';
import { Problem, PROBLEM_CONTENT_TYPE } from '../problems.js';
import { publicRoutes } from './auth.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The media types of a body the route reads as a stream of bytes (a file): no schema validates it, the document describes it. */
    fileBody?: string[];
  }
}

/** Tags of the OpenAPI document, in the order /docs shows them; give every route one of these. */
const TAGS = [
  { name: 'tenant', description: 'The tenant an API key belongs to' },
  { name: 'matching', description: "Matching transactions to the ledger's parties: the tenant's rules, the ledger's confirmations" },
  { name: 'operations', description: 'Liveness, readiness and metrics (no API key)' },
  { name: 'codec', description: 'Temporal codec endpoint for the Temporal UI and CLI (loopback or CODEC_TOKEN)' },
];

const problemResponse = (description: string) => ({
  description,
  content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: 'Problem#' } } },
});

/**
 * The OpenAPI 3.1 document of every route, built from the routes' own schemas, at /docs/json;
 * Swagger UI at /docs. Routes are documented with the bearer scheme unless they are public, and
 * with the problem+json answers every route can give.
 */
export const openApiPlugin = fp(
  async (app) => {
    app.addSchema(Problem);
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'bankfeed API',
          version: '1',
          description: 'Open-banking bank feeds for a ledger. Errors are RFC 9457 problem details (application/problem+json).',
        },
        components: {
          securitySchemes: { apiKey: { type: 'http', scheme: 'bearer', description: 'An API key from `npm run tenant -- create <name>`' } },
        },
        security: [{ apiKey: [] }],
        tags: TAGS,
      },
      // Shared schemas (app.addSchema) appear under their $id in components.schemas.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
      transform: ({ schema, url, route }) => {
        const documented: FastifySchema & Record<string, unknown> = {
          ...schema,
          response: { '4xx': problemResponse('A problem with the request'), '5xx': problemResponse('A problem on the server side'), ...(schema?.response as object | undefined) },
        };
        if (route.config?.public) documented.security = [];
        if (route.config?.fileBody) Object.assign(documented, { body: { type: 'string', format: 'binary' }, consumes: route.config.fileBody });
        return { schema: documented, url };
      },
    });
    await app.register(async (docs) => {
      publicRoutes(docs);
      await docs.register(swaggerUi, { routePrefix: '/docs' });
    });
  },
  { name: 'openapi' },
);
