import type { Static, TSchema } from '@sinclair/typebox';

/**
 * What a wrapped function may return for schema `S`: the schema's static type, or a promise of it.
 *
 * @example
 * ```ts
 * const value: SchemaResult<typeof Multiply> = { a: 1, b: 2, result: 2 };
 * ```
 */
export type SchemaResult<S extends TSchema> = Static<S> | PromiseLike<Static<S>>;

/**
 * What a wrapped call returns for `fn`'s `Result`: the same, except that a thenable which is not
 * a native promise comes back as a native promise of its value (its extra members are not
 * carried over, so the type does not claim them).
 *
 * @example
 * ```ts
 * type Query = PromiseLike<{ a: number; b: number; result: number }> & { cancel(): void };
 * const answer: Returned<Query> = Promise.resolve({ a: 1, b: 2, result: 2 }); // a Promise, no cancel()
 * ```
 */
export type Returned<Result> = Result extends Promise<unknown> ? Result : Result extends PromiseLike<infer T> ? Promise<T> : Result;

/**
 * The function `distil()` returns: callable exactly like the original (same `this`, parameters
 * and return type, sync stays sync; see {@link Returned} for custom thenables), plus the schema,
 * the original and capture control.
 *
 * @example
 * ```ts
 * const multiply: Distilled<typeof Multiply, unknown, [number, number], ReturnType<typeof multiplyImpl>> = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply' });
 * await multiply.flush();
 * ```
 */
export type Distilled<S extends TSchema, This, Args extends unknown[], Result> = ((this: This, ...args: Args) => Returned<Result>) & {
  /** The schema every output is validated against. */
  readonly schema: S;
  /** The function as it was before wrapping. */
  readonly original: (this: This, ...args: Args) => Result;
  /**
   * Resolves when the example of every call made so far is written by the transports: async
   * calls still running are waited for first (one that never settles keeps it waiting).
   */
  flush(): Promise<void>;
  /**
   * Stops recording new calls, waits for the async calls started before it, flushes, then ends
   * the transports given as `transports` (a `logger` is left open).
   */
  close(): Promise<void>;
};
