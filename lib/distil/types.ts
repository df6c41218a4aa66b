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
  /** Resolves when every example captured so far is written by the transports. */
  flush(): Promise<void>;
  /** Flushes, then ends the transports given as `transports` (a `logger` is left open). */
  close(): Promise<void>;
};
