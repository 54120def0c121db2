import fc from 'fast-check';
import type { JsonSchema } from './openapi.js';

const FORMATS: Record<string, fc.Arbitrary<string>> = {
  uuid: fc.uuid(),
  'date-time': fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString()),
  date: fc.date({ min: new Date('1970-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10)),
  'web-url': fc.webUrl(),
  email: fc.emailAddress(),
  ipv4: fc.ipV4(),
  ipv6: fc.ipV6(),
};

/** Strings that go wrong in many places: empty, huge, control characters, non-ASCII, injection-ish, numbers and ids that are almost right. */
export const hostileString = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'null',
    'undefined',
    'NaN',
    '-1',
    '0',
    '1e309',
    '0x10',
    '9007199254740993',
    'true',
    '[]',
    '{}',
    "' OR 1=1 --",
    '../../etc/passwd',
    '%00',
    '%zz',
    '\u202e\u0644\u0627',
    '🏦💶',
    'Zürich, Ærø',
    'urn:uuid:00000000-0000-4000-8000-000000000000',
    '00000000-0000-4000-8000-00000000000',
    '00000000000040008000000000000000',
    '{00000000-0000-4000-8000-000000000000}',
    'x'.repeat(10_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 400 }),
);

/** JSON values of every type, for "wrong type" mutations. */
export const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  hostileString,
  fc.constantFrom(0, -1, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, true, false, null),
  fc.constantFrom([], {}, [null], { '': '' }, JSON.parse('{"__proto__":{"admin":true}}'), { constructor: { prototype: {} } }),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Values that satisfy `schema` (best effort for the subset of JSON Schema the routes use), edge cases included. */
export function validValue(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((alternative) => validValue({ ...schema, anyOf: undefined, oneOf: undefined, ...alternative })));
  switch (schema.type) {
    case 'string':
      return validString(schema);
    case 'integer':
      return fc.integer({ min: Math.max(lowerBound(schema), Number.MIN_SAFE_INTEGER), max: Math.min(upperBound(schema), Number.MAX_SAFE_INTEGER) });
    case 'number':
      return fc.double({ min: lowerBound(schema), max: upperBound(schema), noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return fc.array(validValue(schema.items ?? {}), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 5, 5) });
    case 'object':
      return validObject(schema);
    default:
      return anyJson;
  }
}

function validString(schema: JsonSchema): fc.Arbitrary<string> {
  const formatted = schema.format && FORMATS[schema.format];
  if (formatted) return formatted;
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern), { maxLength: schema.maxLength });
  const minLength = schema.minLength ?? 0;
  const maxLength = Math.min(schema.maxLength ?? 60, Math.max(minLength, 60));
  return fc.oneof(
    fc.string({ minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength }),
    // The longest the schema allows (capped), where off-by-one bugs live.
    fc.constant('ü'.repeat(Math.max(minLength, Math.min(schema.maxLength ?? 2000, 2000)))),
  );
}

function validObject(schema: JsonSchema): fc.Arbitrary<unknown> {
  const properties = schema.properties ?? {};
  if (Object.keys(properties).length === 0 && schema.patternProperties) {
    const [, valueSchema] = Object.entries(schema.patternProperties)[0]!;
    return fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), validValue(valueSchema), { maxKeys: 4 });
  }
  return fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, property]) => [name, validValue(property)])),
    { requiredKeys: schema.required ?? [] },
  );
}

const lowerBound = (schema: JsonSchema) => schema.minimum ?? (schema.exclusiveMinimum === undefined ? -1e9 : schema.exclusiveMinimum + 1);
const upperBound = (schema: JsonSchema) => schema.maximum ?? (schema.exclusiveMaximum === undefined ? 1e9 : schema.exclusiveMaximum - 1);
