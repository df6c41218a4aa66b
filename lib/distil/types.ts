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
 * The function `distil()` returns: callable exactly like the original (same `this`, parameters
 * and return type, sync stays sync), plus the schema, the original and capture control.
 *
 * @example
 * ```ts
 * const multiply: Distilled<typeof Multiply, unknown, [number, number], ReturnType<typeof multiplyImpl>> = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply' });
 * await multiply.flush();
 * ```
 */
export type Distilled<S extends TSchema, This, Args extends unknown[], Result> = ((this: This, ...args: Args) => Result) & {
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
