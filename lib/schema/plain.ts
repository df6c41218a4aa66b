import type { TSchema } from '@sinclair/typebox';
import { ConfigurationError } from '../errors.js';

/**
 * A JSON Schema as plain data: what goes into `parameters` and `response_format`.
 *
 * @example
 * ```ts
 * const parameters: JsonSchema = { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] };
 * ```
 */
export type JsonSchema = { readonly [key: string]: unknown };

type Schema = Record<string, unknown>;

/** Keywords whose value is a schema. */
const schemaKeywords = [
  'additionalProperties',
  'additionalItems',
  'unevaluatedProperties',
  'unevaluatedItems',
  'items',
  'contains',
  'propertyNames',
  'not',
  'if',
  'then',
  'else',
] as const;
/** Keywords whose value is a list of schemas (`items` too, in its draft-07 tuple form). */
const listKeywords = ['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items'] as const;
/** Keywords whose value maps names to schemas (`dependencies` too, where a value is an object). */
const mapKeywords = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'dependencies'] as const;
/** Keywords that point elsewhere instead of holding the schema. */
const referenceKeywords = ['$ref', '$dynamicRef', '$recursiveRef'] as const;

const jsonTypes: ReadonlySet<unknown> = new Set(['string', 'number', 'integer', 'boolean', 'object', 'array', 'null']);

/** What to use instead of a TypeBox type for JavaScript values that JSON has no form for. */
const jsonInstead: Readonly<Record<string, string>> = {
  Date: "use Type.String({ format: 'date-time' }) for an ISO date, or Type.Integer() for a timestamp",
  Uint8Array: "use Type.String({ contentEncoding: 'base64' }) for bytes as base64, or Type.Array(Type.Integer({ minimum: 0, maximum: 255 }))",
  undefined: 'use Type.Optional(...) to leave the property out, or Type.Null()',
  void: 'use Type.Optional(...) to leave the property out, or Type.Null()',
  bigint: "use Type.String({ pattern: '^-?[0-9]+$' }) for digits of any size, or Type.Integer() if it fits",
  RegExp: "use Type.String({ pattern: '...' }), which JSON Schema checks the same way",
};

/**
 * The schema as plain JSON Schema: TypeBox's symbol keys dropped (JSON has no symbols) and every
 * `$id` removed, the root's and those of schemas composed into it (`Type.Object({ inner: Inner })`
 * copies `Inner` with its `$id`), since OpenAI's `parameters` is one anonymous schema. Only schema
 * positions are touched: a property named `$id`, or a `$id` inside `const`, `enum` or `default`, stays.
 *
 * Throws a {@link ConfigurationError} for a schema with references (`Type.Ref`, `Type.Recursive`):
 * with the `$id`s gone they would point nowhere; and for a type JSON has no form for (TypeBox's
 * `Type.Date`, `Type.Uint8Array`, `Type.Undefined`, ...), saying what to use instead.
 */
export function plainSchema(schema: TSchema): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as Schema;
  strip(copy, '');
  return copy;
}

function strip(schema: unknown, path: string): void {
  if (!isSchema(schema)) return;
  for (const keyword of referenceKeywords) {
    if (keyword in schema) {
      throw new ConfigurationError(
        'schema',
        `The \`schema\` has a reference (${keyword} ${JSON.stringify(schema[keyword])} at ${path === '' ? 'its root' : path}): references are not supported ` +
          "in a function's parameters, which the model sees as one self-contained schema. Use the referenced schema inline: " +
          '`Type.Object({ inner: Inner })` rather than `Type.Object({ inner: Type.Ref(Inner) })`; a recursive type needs a fixed depth written out.',
      );
    }
  }
  const type = schema['type'];
  for (const name of Array.isArray(type) ? type : type === undefined ? [] : [type]) {
    if (jsonTypes.has(name)) continue;
    const where = path === '' ? 'the root' : path;
    const instead = typeof name === 'string' ? jsonInstead[name] : undefined;
    throw new ConfigurationError(
      'schema',
      `The \`schema\` has type ${JSON.stringify(name)} (at ${where}), which JSON cannot carry: answers are JSON, so the schema may only use JSON Schema's types ` +
        `(string, number, integer, boolean, object, array, null). ${instead === undefined ? 'Describe the data the function returns with these types instead' : `For this one, ${instead}`}.`,
    );
  }
  delete schema['$id'];
  for (const keyword of schemaKeywords) strip(schema[keyword], `${path}/${keyword}`);
  for (const keyword of listKeywords) {
    const list = schema[keyword];
    if (Array.isArray(list)) list.forEach((item, i) => strip(item, `${path}/${keyword}/${i}`));
  }
  for (const keyword of mapKeywords) {
    const map = schema[keyword];
    if (!isSchema(map)) continue;
    for (const [name, item] of Object.entries(map)) strip(item, `${path}/${keyword}/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`);
  }
}

function isSchema(value: unknown): value is Schema {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
