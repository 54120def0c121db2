import type { FastifyInstance } from 'fastify';

/** The part of JSON Schema the routes' TypeBox schemas use. */
export interface JsonSchema {
  type?: string;
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
  patternProperties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  default?: unknown;
}

export interface Parameter {
  in: 'path' | 'query' | 'header';
  name: string;
  required: boolean;
  schema: JsonSchema;
}

/** One operation of the OpenAPI document, $refs resolved. */
export interface Operation {
  method: string;
  /** The OpenAPI path, with `{name}` placeholders. */
  path: string;
  /** "METHOD /path": how harness reports and overrides name it. */
  id: string;
  /** Answered without an API key (its security is []). */
  public: boolean;
  parameters: Parameter[];
  body?: { required: boolean; contentTypes: string[]; schema: JsonSchema };
}

interface Document {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, unknown> };
}
interface RawOperation {
  security?: unknown[];
  parameters?: Parameter[];
  requestBody?: { required?: boolean; content: Record<string, { schema: JsonSchema }> };
}

/** Every operation of the app's OpenAPI document (/docs/json): what the fuzz and isolation harnesses cover. */
export async function loadOperations(app: FastifyInstance): Promise<Operation[]> {
  const document = resolveRefs((await app.inject({ method: 'GET', url: '/docs/json' })).json()) as Document;
  return Object.entries(document.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]): Operation => {
      const contentTypes = Object.keys(operation.requestBody?.content ?? {});
      return {
        method: method.toUpperCase(),
        path,
        id: `${method.toUpperCase()} ${path}`,
        public: Array.isArray(operation.security) && operation.security.length === 0,
        parameters: operation.parameters ?? [],
        body: operation.requestBody && {
          required: operation.requestBody.required ?? false,
          contentTypes,
          schema: operation.requestBody.content[contentTypes[0]!]!.schema,
        },
      };
    }),
  );
}

/**
 * The operation's URL for these path parameter values, percent-encoded as a client sends them;
 * text that is not Unicode (a lone surrogate, which encodeURIComponent throws on) as its UTF-8
 * replacement bytes.
 */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(Buffer.from(values[name] ?? '', 'utf8').toString()));
}

function resolveRefs(document: { components?: { schemas?: Record<string, unknown> } }): unknown {
  const schemas = document.components?.schemas ?? {};
  const resolve = (value: unknown, depth: number): unknown => {
    if (depth > 50) throw new Error('the OpenAPI document nests $refs deeper than 50 levels');
    if (Array.isArray(value)) return value.map((item) => resolve(item, depth + 1));
    if (!value || typeof value !== 'object') return value;
    const ref = (value as { $ref?: unknown }).$ref;
    if (typeof ref === 'string') {
      const name = /^#\/components\/schemas\/(.+)$/.exec(ref)?.[1];
      if (!name || !(name in schemas)) throw new Error(`cannot resolve ${ref} in the OpenAPI document`);
      return resolve(schemas[name], depth + 1);
    }
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, depth + 1)]));
  };
  return resolve(document, 0);
}
