/** Why a value cannot become part of a JSON line, and where in it. */
export interface Unserializable {
  readonly path: string;
  readonly reason: string;
}

const lossy: ReadonlyArray<[new (...args: never[]) => object, string]> = [
  [Map, 'a Map (JSON would write {})'],
  [Set, 'a Set (JSON would write {})'],
  [WeakMap, 'a WeakMap'],
  [WeakSet, 'a WeakSet'],
  [RegExp, 'a RegExp (JSON would write {})'],
  [Promise, 'a Promise (await it first)'],
];

/**
 * Finds the first part of `value` that JSON cannot carry faithfully: BigInt, functions,
 * symbols, `undefined` array items, non-finite numbers, cycles and objects JSON would silently
 * turn into `{}`. Objects with `toJSON` (such as Date) are trusted to serialize themselves.
 */
export function findUnserializable(value: unknown, path = '', ancestors: object[] = []): Unserializable | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, reason: `${value} (JSON would write null)` };
    case 'bigint':
      return { path, reason: 'a BigInt' };
    case 'function':
      return { path, reason: 'a function' };
    case 'symbol':
      return { path, reason: 'a symbol' };
    case 'undefined':
      return { path, reason: 'undefined' };
  }
  if (value === null) return undefined;
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (ancestors.includes(object)) return { path, reason: 'a circular reference' };
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) {
    for (const [type, reason] of lossy) if (object instanceof type) return { path, reason };
  }
  ancestors.push(object);
  try {
    if (Array.isArray(object)) {
      for (let i = 0; i < object.length; i++) {
        const found = findUnserializable(object[i], `${path}/${i}`, ancestors);
        if (found) return found;
      }
      return undefined;
    }
    for (const key of Object.keys(object)) {
      const item = (object as Record<string, unknown>)[key];
      // JSON leaves out undefined properties, which is what an optional property means.
      if (item === undefined) continue;
      const found = findUnserializable(item, `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, ancestors);
      if (found) return found;
    }
    return undefined;
  } finally {
    ancestors.pop();
  }
}
