/** Why a value cannot become part of a JSON line, where in it, and what to use instead. */
export interface Unserializable {
  readonly path: string;
  readonly reason: string;
  /** What to do, as an instruction: "use null instead". */
  readonly fix: string;
}

const lossy: ReadonlyArray<[new (...args: never[]) => object, string, string]> = [
  [Map, 'a Map (JSON would write {})', 'use a plain object instead (Object.fromEntries(map))'],
  [Set, 'a Set (JSON would write {})', 'use an array instead ([...set])'],
  [WeakMap, 'a WeakMap', 'use a plain object instead'],
  [WeakSet, 'a WeakSet', 'use an array instead'],
  [RegExp, 'a RegExp (JSON would write {})', 'use its source string instead (regexp.source)'],
  [Promise, 'a Promise', 'await it first and use the value it resolves to'],
  [Error, 'an Error (JSON would write {} and lose its message)', 'pass the parts you need, e.g. { name: error.name, message: error.message }'],
  [ArrayBuffer, 'an ArrayBuffer (JSON would write {})', 'use an array of its bytes instead (Array.from(new Uint8Array(buffer))), or a base64 string'],
  [SharedArrayBuffer, 'a SharedArrayBuffer (JSON would write {})', 'use an array of its bytes instead (Array.from(new Uint8Array(buffer))), or a base64 string'],
  [DataView, 'a DataView (JSON would write {})', 'use an array of its bytes instead (Array.from(new Uint8Array(view.buffer, view.byteOffset, view.byteLength)))'],
];

/** Boxed primitives: JSON writes the value inside, so they lose nothing. */
const boxed: ReadonlyArray<new (...args: never[]) => object> = [String, Number, Boolean];

/**
 * Finds the first part of `value` that JSON cannot carry faithfully: BigInt, functions,
 * symbols, `undefined` array items, non-finite numbers, cycles, and objects JSON would silently
 * turn into `{}` or an object of numbered keys: Map, Set, RegExp, Error, typed arrays and buffers,
 * and class instances with no own enumerable property (their data is in private fields or
 * behind getters). Objects with `toJSON` (such as Date and Buffer) are trusted to serialize
 * themselves. Only objects whose prototype is not Object's or Array's pay for the class checks.
 */
export function findUnserializable(value: unknown, path = '', ancestors: object[] = []): Unserializable | undefined {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : { path, reason: `${value} (JSON would write null)`, fix: 'use null or a string instead' };
    case 'bigint':
      return { path, reason: 'a BigInt', fix: 'use a string (String(value)) or, if it fits, a number instead' };
    case 'function':
      return { path, reason: 'a function', fix: 'pass and return data only: leave the function out, or use its name as a string' };
    case 'symbol':
      return { path, reason: 'a symbol', fix: 'use a string instead (symbol.description)' };
    case 'undefined':
      return { path, reason: 'undefined', fix: 'use null instead' };
  }
  if (value === null) return undefined;
  const object = value as object;
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return undefined;
  if (ancestors.includes(object)) {
    return { path, reason: 'a circular reference', fix: 'break the cycle, or give the object a toJSON() method that returns plain data' };
  }
  const prototype: unknown = Object.getPrototypeOf(object);
  if (prototype !== Object.prototype && prototype !== Array.prototype && prototype !== null) {
    const problem = classProblem(object, path);
    if (problem !== undefined) return problem;
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

/** Why an instance of a class (not a plain object or array) would lose data in JSON, if it would. */
function classProblem(object: object, path: string): Unserializable | undefined {
  for (const [type, reason, fix] of lossy) if (object instanceof type) return { path, reason, fix };
  if (ArrayBuffer.isView(object)) {
    return { path, reason: `${article(object.constructor.name)} (JSON would write an object of numbered keys)`, fix: 'use an array instead (Array.from(value)), or a base64 string' };
  }
  if (Array.isArray(object) || boxed.some((type) => object instanceof type)) return undefined;
  for (const key in object) if (Object.hasOwn(object, key)) return undefined;
  const name = typeof object.constructor === 'function' && object.constructor.name !== '' ? object.constructor.name : 'class instance';
  return {
    path,
    reason: `${article(name)} with no own enumerable properties (JSON would write {}; its data is likely in private fields or behind getters)`,
    fix: 'give the class a toJSON() method that returns its data, or pass a plain object',
  };
}

function article(name: string): string {
  // 'a Uint8Array': a leading U is said "you" in the names met here.
  return `${/^[AEIO]/i.test(name) ? 'an' : 'a'} ${name}`;
}
