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

/**
 * The schema as plain JSON Schema: TypeBox's symbol keys dropped (JSON has no symbols) and every
 * `$id` removed, the root's and those of schemas composed into it (`Type.Object({ inner: Inner })`
 * copies `Inner` with its `$id`), since OpenAI's `parameters` is one anonymous schema. Only schema
 * positions are touched: a property named `$id`, or a `$id` inside `const`, `enum` or `default`, stays.
 *
 * Throws a {@link ConfigurationError} for a schema with references (`Type.Ref`, `Type.Recursive`):
 * with the `$id`s gone they would point nowhere.
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
