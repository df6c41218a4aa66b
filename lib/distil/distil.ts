import type { TSchema } from '@sinclair/typebox';
import { ended } from '../capture/deliver.js';
import { closedMessage, Sink } from '../capture/sink.js';
import { OutputValidationError } from '../errors.js';
import { exampleBuilders } from '../formats/index.js';
import type { ExampleFormat } from '../formats/types.js';
import { serializeCall, type SerializedCall, type UnserializableCall } from '../prompt/call.js';
import { compileValidator } from '../validation/validator.js';
import { batchBytes, checkOptions, distilDefaults, withDestination, type DistilOptions } from './options.js';
import { Calls } from './calls.js';
import { internals, type DistilInternals } from './internals.js';
import { prepare, reporter } from './prepare.js';
import { createRecorder, type Report } from './recorder.js';
import type { Distilled, SchemaResult } from './types.js';

/**
 * Wraps `fn` so that every call still returns exactly what `fn` returns and also becomes one
 * fine-tuning example, written through winston transports. The output is validated against
 * `schema` (compiled once); an invalid output throws {@link OutputValidationError} and writes
 * nothing. Capture problems never reach the caller: they go to `onError`. Without `transports`
 * or `logger`, examples go to `<name>.jsonl` in the working directory.
 *
 * @example
 * ```ts
 * import { Type } from '@sinclair/typebox';
 * import winston from 'winston';
 * import { distil } from 'fn-distil';
 *
 * const Multiply = Type.Object(
 *   { a: Type.Integer(), b: Type.Integer(), result: Type.Integer() },
 *   { $id: 'Multiply', description: 'The product of two integers' },
 * );
 * const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
 *   name: 'three_digit_multiply',
 *   transports: [new winston.transports.File({ filename: 'math_finetunes.jsonl' })],
 * });
 * multiply(133, 539); // { a: 133, b: 539, result: 71687 }
 * await multiply.close(); // every example is on disk, async calls in flight included
 *
 * const square = distil(function square(x: number) { return { a: x, b: x, result: x * x }; }, Multiply); // no options: writes square.jsonl
 * ```
 */
export function distil<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>, F extends ExampleFormat = 'json'>(
  fn: (this: This, ...args: Args) => Result,
  schema: S,
  given: DistilOptions<F> = {},
): Distilled<S, This, Args, Result> {
  // The hook's parameter type follows `format` for the caller; the recorder builds the shape that format writes.
  const options = given as DistilOptions;
  checkOptions(options);
  const report = reporter(options.name ?? fn.name, options.onError);
  return wrap(fn, schema, options, { sinkFor: (name) => ({ sink: createSink(withDestination(options, name), report), owner: 0 }), report });
}

/**
 * A sink for the destination in `options` (`transports` it owns, or a `logger` it borrows);
 * `shared` for one several functions write into, each registered with `addOwner`.
 */
export function createSink(options: DistilOptions, report: Report, shared = false): Sink {
  const { transports, logger } = options;
  return new Sink({
    transports: transports !== undefined ? () => transports : () => logger?.transports ?? [],
    owned: transports !== undefined,
    maxBufferedBytes: options.maxBufferedBytes ?? distilDefaults.maxBufferedBytes,
    batchBytes,
    report,
    shared,
    ...(logger !== undefined && transports === undefined ? { ended: () => ended(logger) } : {}),
  });
}

/** What `wrap` is given besides the function, schema and options. */
export interface WrapSetup {
  /**
   * Gives the wrapper's sink, and its owner number there (0 unless the sink is shared), given
   * the function's name, once the function and schema are known good: a bad schema creates no file.
   */
  readonly sinkFor: (name: string) => { readonly sink: Sink; readonly owner: number };
  readonly report: Report;
  /** Its calls in flight; `createInstructions` passes its own, to wait on them too. */
  readonly calls?: Calls;
  /** The sink is shared with other wrappers: `close()` only flushes it, since ending it is its owner's job. */
  readonly shared?: boolean;
}

/** Marks a sampled call that started after `close()` began: it is reported, not recorded. */
const afterClose = Symbol('afterClose');

/**
 * The wrapper itself (shared by `createInstructions`). `flush()` and `close()` first wait for
 * the async calls started before them, so their examples are written too.
 */
export function wrap<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>>(
  fn: (this: This, ...args: Args) => Result,
  schema: S,
  options: DistilOptions,
  setup: WrapSetup,
): Distilled<S, This, Args, Result> {
  const { report, calls = new Calls(), shared = false } = setup;
  const { spec, signature } = prepare(fn, schema, options);
  const validator = compileValidator<S>(spec.parameters);
  const { check, issues } = validator;
  const { sink, owner } = setup.sinkFor(spec.name);
  const record = createRecorder(spec, exampleBuilders[spec.format], options.redact, validator, sink, owner, report);
  const rate = options.sampleRate ?? distilDefaults.sampleRate;

  const flush = (): Promise<void> => calls.settled().then(() => sink.flush());
  let closing: Promise<void> | undefined;
  const close = shared
    ? flush
    : (): Promise<void> => {
        if (closing === undefined) {
          calls.stop();
          closing = calls.settled().then(() => sink.close());
        }
        return closing;
      };

  const settle = (call: SerializedCall | UnserializableCall | typeof afterClose | undefined, output: unknown): unknown => {
    if (!check(output)) throw new OutputValidationError(spec.name, spec.toolName, issues(), output);
    if (call === afterClose) report('closed', 1, closedMessage);
    else if (call !== undefined) record(call, output);
    return output;
  };

  function distilled(this: This, ...args: Args): Result {
    // Decide and serialize before the call: a function may change its arguments in place.
    const call = rate === 1 || (rate > 0 && Math.random() < rate) ? (calls.open ? serializeCall(spec, signature, args) : afterClose) : undefined;
    const result = fn.apply(this, args);
    if (isThenable(result)) {
      const settled = Promise.resolve(result).then((output) => settle(call, output));
      if (call !== undefined) calls.track(settled);
      return settled as unknown as Result;
    }
    return settle(call, result) as Result;
  }

  return Object.defineProperties(distilled, {
    name: { value: fn.name },
    length: { value: fn.length },
    schema: { value: schema, enumerable: true },
    original: { value: fn, enumerable: true },
    flush: { value: flush, enumerable: true },
    close: { value: close, enumerable: true },
    [internals]: { value: { spec, signature, validator, options } satisfies DistilInternals },
  }) as unknown as Distilled<S, This, Args, Result>;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
