import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type ValidatorFactory = NonNullable<NonNullable<SchemaController['compilersFactory']>['buildValidator']>;

// ajv-formats' uuid also accepts a `urn:uuid:` prefix, which Postgres refuses: a 500 in the making
// for every id a client sends. Here `format: 'uuid'` means the canonical form only.
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function buildValidator(externalSchemas: Record<string, object>): FastifySchemaCompiler<unknown> {
  const fromPool = AjvCompiler();
  // The pool's compilers take a route's schema definition, whatever their declared type says.
  const compiler = (coerceTypes: 'array' | false) =>
    fromPool(externalSchemas, {
      customOptions: { coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false },
      onCreate: (ajv) => ajv.addFormat('uuid', CANONICAL_UUID),
    }) as unknown as FastifySchemaCompiler<unknown>;
  const [text, json] = [compiler('array'), compiler(false)];
  return (route) => (route.httpPart === 'body' ? json : text)(route);
}

/**
 * Request validation: AJV as Fastify sets it up (with ajv-formats), but
 * - unknown fields are refused where a schema says additionalProperties: false, not dropped;
 * - JSON bodies keep their types: 7 is not the string "7", ["x"] not "x" (query strings,
 *   path parameters and headers are text, so they still convert to their schema's types).
 */
export const schemaController: SchemaController = {
  compilersFactory: { buildValidator: buildValidator as unknown as ValidatorFactory },
};
