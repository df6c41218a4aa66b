import type { TSchema } from '@sinclair/typebox';
import type { Sink } from '../capture/sink.js';
import { createSink, wrap } from './distil.js';
import type { ExampleFormat } from '../formats/types.js';
import { checkOptions, distilDefaults, withDestination, type DistilOptions, type ExampleOf } from './options.js';
import { Calls } from './calls.js';
import { reporter } from './prepare.js';
import type { Distilled, SchemaResult } from './types.js';

/**
 * A shared setup for many functions, as in instructor's `Instructions`: the defaults apply to
 * every function it wraps, and all of them write through one set of transports. `D` is the
 * defaults' `format` (a function's own `format` overrides it) and `R` whether the defaults have a
 * `redact` hook: a function whose format has the other shape (chat or raw) must then bring its own.
 *
 * @example
 * ```ts
 * const instructions: Instructions<'tools'> = createInstructions({ format: 'tools', transports: [new winston.transports.File({ filename: 'finetunes.jsonl' })] });
 * const multiply = instructions.distil(multiplyImpl, Multiply, { name: 'three_digit_multiply' });
 * await instructions.close();
 * ```
 */
export interface Instructions<D extends ExampleFormat = 'json', R extends boolean = false> {
  /** `distil()` with these defaults; per-function options override them. `redact` is typed by the function's format, as in `distil()`. */
  distil<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>, F extends ExampleFormat = D>(
    fn: (this: This, ...args: Args) => Result,
    schema: S,
    options?: DistilOptions<F> & InheritedRedact<F, D, R>,
  ): Distilled<S, This, Args, Result>;
  /** Waits for the async calls in flight of every function wrapped by these instructions, then flushes them all. */
  flush(): Promise<void>;
  /** Stops recording new calls, waits for the calls in flight, flushes, then ends every transport they own. */
  close(): Promise<void>;
}

/**
 * With the defaults' `redact` (typed for format `D`'s example) and a function of format `F`:
 * nothing more is asked if that hook takes `F`'s example; otherwise the function gives its own.
 */
type InheritedRedact<F extends ExampleFormat, D extends ExampleFormat, R extends boolean> = [R] extends [false]
  ? unknown
  : [ExampleOf<F>] extends [ExampleOf<D>]
    ? unknown
    : { readonly redact: NonNullable<DistilOptions<F>['redact']> };

/**
 * Creates {@link Instructions}: defaults shared by every function wrapped through it, with one
 * shared destination (the defaults' `transports` or `logger`). A function given its own
 * `transports` or `logger` writes there; with a destination nowhere, each function writes its
 * own `<name>.jsonl` in the working directory, as `distil()` does. On the shared destination, a
 * function's own `onError` and `maxBufferedBytes` still apply to its own examples.
 *
 * @example
 * ```ts
 * const instructions = createInstructions({
 *   format: 'tools',
 *   transports: [new winston.transports.File({ filename: 'finetunes.jsonl' })],
 * });
 * const multiply = instructions.distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply);
 * multiply(133, 539);
 * await instructions.close();
 * ```
 */
export function createInstructions<D extends ExampleFormat = 'json'>(
  defaults: DistilOptions<D> & { readonly redact: NonNullable<DistilOptions<D>['redact']> },
): Instructions<D, true>;
export function createInstructions<D extends ExampleFormat = 'json'>(defaults?: DistilOptions<D> & { readonly redact?: undefined }): Instructions<D>;
export function createInstructions(defaults: DistilOptions = {}): Instructions<ExampleFormat, boolean> {
  checkOptions(defaults);
  const hasDestination = defaults.transports !== undefined || defaults.logger !== undefined;
  const sinks: Sink[] = [];
  const inFlight: Calls[] = [];
  let shared: Sink | undefined;
  let closed = false;

  const distilWith = <S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>>(
    fn: (this: This, ...args: Args) => Result,
    schema: S,
    options: DistilOptions = {},
  ): Distilled<S, This, Args, Result> => {
    const own = options.transports !== undefined || options.logger !== undefined;
    const merged: DistilOptions = own
      ? { ...withoutDestination(defaults), ...options }
      : { ...defaults, ...options };
    checkOptions(merged);
    const report = reporter(merged.name ?? fn.name, merged.onError);
    const calls = new Calls();
    // Wrapped once close() has begun: its calls are reported as closed, by its own onError.
    if (closed) calls.stop();
    inFlight.push(calls);
    if (own || !hasDestination) {
      // Its own destination, or (with none anywhere) its own default file, as distil() would write.
      return wrap(fn, schema, merged, {
        sinkFor: (name) => {
          const sink = createSink(withDestination(merged, name), report);
          sinks.push(sink);
          return { sink, owner: 0 };
        },
        report,
        calls,
      });
    }
    // Closing one function must not end transports the others share: only instructions.close() does.
    // The shared sink knows each line's function: its reports and buffer limit are that function's.
    return wrap(fn, schema, merged, {
      sinkFor: () => {
        shared ??= createSink(defaults, reporter('fn-distil instructions', defaults.onError), true);
        if (!sinks.includes(shared)) sinks.push(shared);
        const maxBufferedBytes = merged.maxBufferedBytes ?? distilDefaults.maxBufferedBytes;
        return { sink: shared, owner: shared.addOwner({ report, maxBufferedBytes }) };
      },
      report,
      calls,
      shared: true,
    });
  };

  return {
    // The hook's parameter type follows `format` for the caller; the recorder builds the shape that format writes.
    distil: distilWith as Instructions<ExampleFormat, boolean>['distil'],
    async flush() {
      await Promise.all(inFlight.map((calls) => calls.settled()));
      await Promise.all(sinks.map((sink) => sink.flush()));
    },
    async close() {
      closed = true;
      for (const calls of inFlight) calls.stop();
      await Promise.all(inFlight.map((calls) => calls.settled()));
      await Promise.all(sinks.map((sink) => sink.close()));
    },
  };
}

function withoutDestination(options: DistilOptions): DistilOptions {
  const { transports: _transports, logger: _logger, ...rest } = options;
  return rest;
}
