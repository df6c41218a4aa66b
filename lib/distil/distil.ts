import type { TSchema } from '@sinclair/typebox';
import { Sink } from '../capture/sink.js';
import { OutputValidationError } from '../errors.js';
import { exampleBuilders } from '../formats/index.js';
import type { ExampleFormat } from '../formats/types.js';
import { serializeCall, type SerializedCall, type UnserializableCall } from '../prompt/call.js';
import { compileValidator } from '../validation/validator.js';
import { batchBytes, checkOptions, distilDefaults, withDestination, type DistilOptions } from './options.js';
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
 * await multiply.close(); // every example is on disk
 *
 * const square = distil(function square(x: number) { return { a: x, b: x, result: x * x }; }, Multiply); // no options: writes square.jsonl
 * ```
 */
export function distil<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>, F extends ExampleFormat = 'messages'>(
  fn: (this: This, ...args: Args) => Result,
  schema: S,
  given: DistilOptions<F> = {},
): Distilled<S, This, Args, Result> {
  // The hook's parameter type follows `format` for the caller; the recorder builds the shape that format writes.
  const options = given as DistilOptions;
  checkOptions(options);
  const report = reporter(options.name ?? fn.name, options.onError);
  return wrap(fn, schema, options, (name) => createSink(withDestination(options, name), report), report);
}

/** A sink for the destination in `options` (`transports` it owns, or a `logger` it borrows). */
export function createSink(options: DistilOptions, report: Report): Sink {
  const { transports, logger } = options;
  return new Sink({
    transports: transports !== undefined ? () => transports : () => logger?.transports ?? [],
    owned: transports !== undefined,
    maxBufferedBytes: options.maxBufferedBytes ?? distilDefaults.maxBufferedBytes,
    batchBytes,
    report,
  });
}

/**
 * The wrapper itself (shared by `createInstructions`). Its sink is made by `sinkFor`, given the
 * function's name, once the function and schema are known good: a bad schema creates no file.
 * `close` defaults to closing that sink.
 */
export function wrap<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>>(
  fn: (this: This, ...args: Args) => Result,
  schema: S,
  options: DistilOptions,
  sinkFor: (name: string) => Sink,
  report: Report,
  closeWith?: (sink: Sink) => Promise<void>,
): Distilled<S, This, Args, Result> {
  const { spec, signature } = prepare(fn, schema, options);
  const validator = compileValidator<S>(spec.parameters);
  const { check, issues } = validator;
  const sink = sinkFor(spec.name);
  const close = closeWith === undefined ? () => sink.close() : () => closeWith(sink);
  const record = createRecorder(spec, exampleBuilders[spec.format], options.redact, sink, report);
  const rate = options.sampleRate ?? distilDefaults.sampleRate;

  const settle = (call: SerializedCall | UnserializableCall | undefined, output: unknown): unknown => {
    if (!check(output)) throw new OutputValidationError(spec.name, spec.toolName, issues(), output);
    if (call !== undefined) record(call, output);
    return output;
  };

  function distilled(this: This, ...args: Args): Result {
    // Decide and serialize before the call: a function may change its arguments in place.
    const call = rate === 1 || (rate > 0 && Math.random() < rate) ? serializeCall(spec, signature, args) : undefined;
    const result = fn.apply(this, args);
    if (isThenable(result)) return Promise.resolve(result).then((output) => settle(call, output)) as unknown as Result;
    return settle(call, result) as Result;
  }

  return Object.defineProperties(distilled, {
    name: { value: fn.name },
    length: { value: fn.length },
    schema: { value: schema, enumerable: true },
    original: { value: fn, enumerable: true },
    flush: { value: () => sink.flush(), enumerable: true },
    close: { value: close, enumerable: true },
    [internals]: { value: { spec, signature, validator, options } satisfies DistilInternals },
  }) as unknown as Distilled<S, This, Args, Result>;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
