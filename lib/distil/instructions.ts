import type { TSchema } from '@sinclair/typebox';
import type { Sink } from '../capture/sink.js';
import { ConfigurationError } from '../errors.js';
import { createSink, wrap } from './distil.js';
import { checkOptions, type DistilOptions } from './options.js';
import { reporter } from './prepare.js';
import type { Distilled, SchemaResult } from './types.js';

/**
 * A shared setup for many functions, as in instructor's `Instructions`: the defaults apply to
 * every function it wraps, and all of them write through one set of transports.
 *
 * @example
 * ```ts
 * const instructions = createInstructions({ transports: [new winston.transports.File({ filename: 'finetunes.jsonl' })] });
 * const multiply = instructions.distil(multiplyImpl, Multiply, { name: 'three_digit_multiply' });
 * await instructions.close();
 * ```
 */
export interface Instructions {
  /** `distil()` with these defaults; per-function options override them. */
  distil<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>>(
    fn: (this: This, ...args: Args) => Result,
    schema: S,
    options?: DistilOptions,
  ): Distilled<S, This, Args, Result>;
  /** Flushes every function wrapped by these instructions. */
  flush(): Promise<void>;
  /** Flushes, then ends every transport they own. */
  close(): Promise<void>;
}

/**
 * Creates {@link Instructions}: defaults shared by every function wrapped through it, with one
 * shared destination (the defaults' `transports` or `logger`).
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
export function createInstructions(defaults: DistilOptions = {}): Instructions {
  const hasDestination = defaults.transports !== undefined || defaults.logger !== undefined;
  checkOptions(hasDestination ? defaults : { ...defaults, transports: [{ log() {} } as never] });
  const sinks: Sink[] = [];
  let shared: Sink | undefined;

  return {
    distil(fn, schema, options = {}) {
      const own = options.transports !== undefined || options.logger !== undefined;
      const merged: DistilOptions = own
        ? { ...withoutDestination(defaults), ...options }
        : { ...defaults, ...options };
      if (!own && !hasDestination) {
        throw new ConfigurationError('transports', 'Neither these instructions nor this function say where examples go: pass `transports` or `logger`.');
      }
      checkOptions(merged);
      const report = reporter(merged.name ?? fn.name, merged.onError);
      let sink: Sink;
      if (own) {
        sink = createSink(merged, report);
        sinks.push(sink);
      } else {
        shared ??= createSink(defaults, reporter('fn-distil instructions', defaults.onError));
        if (!sinks.includes(shared)) sinks.push(shared);
        sink = shared;
      }
      // Closing one function must not end transports the others share: only instructions.close() does.
      return wrap(fn, schema, merged, sink, report, own ? undefined : () => sink.flush());
    },
    async flush() {
      await Promise.all(sinks.map((sink) => sink.flush()));
    },
    async close() {
      await Promise.all(sinks.map((sink) => sink.close()));
    },
  };
}

function withoutDestination(options: DistilOptions): DistilOptions {
  const { transports: _transports, logger: _logger, ...rest } = options;
  return rest;
}
