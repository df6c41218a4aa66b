import type { TSchema } from '@sinclair/typebox';

/**
 * A JSON Schema as plain data: what goes into `parameters` and `response_format`.
 *
 * @example
 * ```ts
 * const parameters: JsonSchema = { type: 'object', required: ['result'], properties: { result: { type: 'integer' } } };
 * ```
 */
export type JsonSchema = { readonly [key: string]: unknown };

/**
 * The schema as plain JSON Schema: TypeBox's symbol keys dropped (JSON has no symbols) and the
 * root `$id` removed, since OpenAI's `parameters` is an anonymous schema.
 */
export function plainSchema(schema: TSchema): JsonSchema {
  const copy = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  delete copy['$id'];
  return copy;
}
