import { Type } from '@fastify/type-provider-typebox';
import type { RouteOptions } from 'fastify';

interface ObjectSchema {
  type?: unknown;
  additionalProperties?: unknown;
  minProperties?: number;
}

const isObjectSchema = (schema: unknown): schema is ObjectSchema => typeof schema === 'object' && schema !== null && (schema as ObjectSchema).type === 'object';

/**
 * Closes the request schemas of every API route as it is registered: a query parameter or body
 * field the route does not know is a 400 (a typo such as `?form=` must not silently list
 * everything), and a PATCH must carry at least one field. Public routes are left open: the bank's
 * callback carries whatever parameters the bank adds.
 */
export function closeRequestSchemas(route: RouteOptions) {
  if (route.config?.public === true || !route.url.startsWith('/v1/')) return;
  const schema = (route.schema ??= {});
  schema.querystring ??= Type.Object({});
  for (const part of [schema.querystring, schema.body]) {
    if (isObjectSchema(part)) part.additionalProperties ??= false;
  }
  if ([route.method].flat().includes('PATCH') && isObjectSchema(schema.body)) schema.body.minProperties ??= 1;
}
