import AjvCompiler from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler, FastifyServerOptions } from 'fastify';
import { isStorableDate, isStorableDateTime, unstorableTextAt } from './storable.js';

type SchemaController = NonNullable<FastifyServerOptions['schemaController']>;
type ValidatorFactory = NonNullable<NonNullable<SchemaController['compilersFactory']>['buildValidator']>;
type Validator = ((data: unknown, context?: unknown) => boolean) & { errors?: unknown[] | null; schemaEnv?: unknown };

// ajv-formats' uuid also accepts a `urn:uuid:` prefix, which Postgres refuses: a 500 in the making
// for every id a client sends. Here `format: 'uuid'` means the canonical form only.
export const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * `format: 'web-url'`: an absolute http(s) URL as WHATWG parsers read it, with a host, a port in
 * range and no credentials: "http://", "https://" and port 99999 pass ajv-formats' `uri`.
 */
export function isWebUrl(text: string): boolean {
  if (!/^https?:\/\//i.test(text) || !URL.canParse(text)) return false;
  const url = new URL(text);
  return url.hostname !== '' && url.username === '' && url.password === '';
}

/** Refuses text Postgres cannot store (NUL, lone surrogates) anywhere in the value, then runs the schema. */
function refusingUnstorableText(validate: Validator): Validator {
  const checked: Validator = (data, context) => {
    const at = unstorableTextAt(data);
    if (at !== undefined) {
      checked.errors = [{ instancePath: at === '/' ? '' : at, schemaPath: '#', keyword: 'storable', params: {}, message: 'must not contain NUL characters or unpaired surrogates' }];
      return false;
    }
    const valid = validate(data, context);
    checked.errors = validate.errors;
    return valid;
  };
  // Fastify hands Ajv the request as parent data (for coercing a whole part) only when it sees this.
  checked.schemaEnv = validate.schemaEnv;
  return checked;
}

function buildValidator(externalSchemas: Record<string, object>): FastifySchemaCompiler<unknown> {
  const fromPool = AjvCompiler();
  // The pool's compilers take a route's schema definition, whatever their declared type says.
  const compiler = (coerceTypes: 'array' | false) =>
    fromPool(externalSchemas, {
      customOptions: { coerceTypes, useDefaults: true, removeAdditional: false, allErrors: false },
      onCreate: (ajv) => {
        ajv.addFormat('uuid', CANONICAL_UUID);
        ajv.addFormat('date', isStorableDate);
        ajv.addFormat('date-time', isStorableDateTime);
        ajv.addFormat('web-url', isWebUrl);
      },
    }) as unknown as (route: unknown) => Validator;
  const [text, json] = [compiler('array'), compiler(false)];
  return ((route: { httpPart?: string }) => refusingUnstorableText((route.httpPart === 'body' ? json : text)(route))) as unknown as FastifySchemaCompiler<unknown>;
}

/**
 * Request validation: AJV as Fastify sets it up (with ajv-formats), but
 * - unknown fields are refused where a schema says additionalProperties: false, not dropped;
 * - JSON bodies keep their types: 7 is not the string "7", ["x"] not "x" (query strings,
 *   path parameters and headers are text, so they still convert to their schema's types);
 * - text Postgres cannot store and dates it cannot hold (year 0, year 9999999) are a 400.
 */
export const schemaController: SchemaController = {
  compilersFactory: { buildValidator: buildValidator as unknown as ValidatorFactory },
};
