import { Type, type TSchema } from '@sinclair/typebox';
import fc from 'fast-check';
import { plainSchema } from '../../lib/schema/plain';

/** A schema's shape, built twice: with a `$id` on every node that has one, and without any. */
type Shape =
  | { readonly kind: 'integer' | 'string'; readonly id: string | undefined }
  | { readonly kind: 'data'; readonly id: string | undefined; readonly value: unknown }
  | { readonly kind: 'object'; readonly id: string | undefined; readonly properties: ReadonlyArray<readonly [string, Shape]> }
  | { readonly kind: 'array'; readonly id: string | undefined; readonly item: Shape }
  | { readonly kind: 'union' | 'intersect'; readonly id: string | undefined; readonly of: readonly Shape[] };

const id = fc.option(fc.constantFrom('Inner', 'Other', 'https://example.com/x.json', '$id'), { nil: undefined });
// Property names include the keywords themselves: a property called `$id` is data, not a schema's id.
const name = fc.oneof(fc.constantFrom('$id', '$ref', 'properties', 'items', 'anyOf'), fc.string({ maxLength: 6 }));
// Values under `const`/`default` are data: a `$id` there must survive.
const data = fc.oneof(fc.constant({ $id: 'kept' }), fc.jsonValue({ maxDepth: 2 }));

const { shape } = fc.letrec<{ shape: Shape }>((tie) => ({
  shape: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({ kind: fc.constantFrom('integer' as const, 'string' as const), id }),
    fc.record({ kind: fc.constant('data' as const), id, value: data }),
    fc.record({ kind: fc.constant('object' as const), id, properties: fc.uniqueArray(fc.tuple(name, tie('shape')), { maxLength: 4, selector: ([key]) => key }) }),
    fc.record({ kind: fc.constant('array' as const), id, item: tie('shape') }),
    fc.record({ kind: fc.constantFrom('union' as const, 'intersect' as const), id, of: fc.array(tie('shape'), { minLength: 1, maxLength: 3 }) }),
  ),
}));

function build(node: Shape, withIds: boolean): TSchema {
  const options = withIds && node.id !== undefined ? { $id: node.id } : {};
  switch (node.kind) {
    case 'integer':
      return Type.Integer(options);
    case 'string':
      return Type.String(options);
    case 'data':
      return Type.Unknown({ ...options, default: node.value, const: node.value });
    case 'object':
      return Type.Object(Object.fromEntries(node.properties.map(([key, item]) => [key, build(item, withIds)])), options);
    case 'array':
      return Type.Array(build(node.item, withIds), options);
    case 'union':
      return Type.Union(node.of.map((item) => build(item, withIds)), options);
    case 'intersect':
      return Type.Intersect(node.of.map((item) => build(item, withIds)), options);
  }
}

describe('parameters', () => {
  it('are the schema exactly as if built without any $id, however deep the $ids are', () => {
    fc.assert(
      fc.property(shape, (node) => {
        expect(plainSchema(build(node, true))).toEqual(JSON.parse(JSON.stringify(build(node, false))));
      }),
      { numRuns: 300 },
    );
  });
});
