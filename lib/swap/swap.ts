import type { Static, TSchema } from '@sinclair/typebox';
import { internalsOf } from '../distil/internals.js';
import { prepare } from '../distil/prepare.js';
import { promptOptionKeys } from '../distil/options.js';
import type { Distilled, SchemaResult } from '../distil/types.js';
import { ConfigurationError, isAnswerFailure, OutputValidationError, SwapError, type SwapAttempt } from '../errors.js';
import { serializeCall } from '../prompt/call.js';
import { compileValidator } from '../validation/validator.js';
import { ask, type AskContext } from './ask.js';
import { lazyClient } from './client.js';
import { checkServed, environmentBaseURL, resolveServer } from '../servers/index.js';
import { promptMessages } from './request.js';
import { compareOutputs } from './compare.js';
import { checkSwapOptions, swapDefaults, type PromptOptions, type SwapOptions } from './options.js';
import { StatsCollector, type SwapStats } from './stats.js';

/**
 * A function whose calls go to a fine-tuned model: the original's parameters, a promise of the
 * schema's type, plus `stats()` and `flush()`.
 *
 * @example
 * ```ts
 * const fast: Swapped<typeof Multiply, unknown, [number, number]> = swap(multiply, { model: 'ft:...' });
 * ```
 */
export type Swapped<S extends TSchema, This, Args extends unknown[]> = ((this: This, ...args: Args) => Promise<Static<S>>) & {
  /** The schema every answer is validated against. */
  readonly schema: S;
  /** The function the model replaces, as given to swap(). */
  readonly original: (this: This, ...args: Args) => unknown;
  /** Counts, agreement, latency and tokens so far. */
  stats(): SwapStats;
  /**
   * Resolves when every shadow model request in flight has finished and its comparison reached
   * `onCompare`, also for calls whose original threw.
   */
  flush(): Promise<void>;
};

const promptKeys = Object.keys(promptOptionKeys) as Array<keyof typeof promptOptionKeys>;

/**
 * Routes a function's calls to its fine-tuned model, with the prompt it was trained on; every
 * answer is validated against the same schema, re-asked with the errors when invalid, and never
 * reaches the caller unvalidated. Modes `'shadow'` and `'canary'` compare before you switch.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { swap } from 'fn-distil';
 *
 * const fast = swap(multiply, { model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123', client: new OpenAI() });
 * const r = await fast(133, 539); // Static<typeof Multiply>, from the model
 *
 * const plain = swap(multiplyImpl, Multiply, { model: 'ft:...', name: 'three_digit_multiply', fallback: true });
 * ```
 *
 * A function from `distil()` brings its schema: give it no other (a `ConfigurationError` when
 * wrapping, and a type error). To serve it with another schema, swap `multiply.original`.
 */
export function swap<S extends TSchema, This, Args extends unknown[], Result>(
  fn: Distilled<S, This, Args, Result>,
  options: SwapOptions,
): Swapped<S, This, Args>;
export function swap<S extends TSchema, This, Args extends unknown[], Result extends SchemaResult<S>>(
  fn: ((this: This, ...args: Args) => Result) & { readonly schema?: never },
  schema: S,
  options: SwapOptions,
): Swapped<S, This, Args>;
export function swap(
  fn: (...args: unknown[]) => unknown,
  schemaOrOptions: TSchema | SwapOptions,
  maybeOptions?: SwapOptions,
): Swapped<TSchema, unknown, unknown[]> {
  const inherited = internalsOf(fn);
  if (maybeOptions === undefined && inherited === undefined) {
    throw new ConfigurationError('schema', 'swap(fn, options) takes a function from distil(); for a plain function pass its schema: swap(fn, schema, options).');
  }
  if (maybeOptions !== undefined && inherited !== undefined) {
    // Serving it with another schema than the one it was distilled with would validate the
    // answers against one schema while the prompt and the dataset carry the other.
    throw new ConfigurationError(
      'schema',
      `${inherited.spec.name} comes from distil(), which gives it its schema and prompt options: pass swap(fn, options) to serve it as it was distilled, or swap(fn.original, schema, options) to serve the plain function with another schema (and its prompt options again).`,
    );
  }
  const options = (maybeOptions ?? schemaOrOptions) as SwapOptions;
  const schema = (maybeOptions === undefined ? (fn as unknown as { schema: TSchema }).schema : schemaOrOptions) as TSchema;
  checkSwapOptions(options);

  const source = inherited !== undefined ? (fn as unknown as { original: (...args: unknown[]) => unknown }).original : fn;
  const overrides = promptKeys.some((key) => options[key] !== undefined);
  const { spec, signature } =
    inherited !== undefined && !overrides
      ? inherited
      : prepare(source, schema, { ...inherited?.options, ...pick(options) });
  if (spec.format === 'raw') {
    throw new ConfigurationError('format', "Format `'raw'` has no chat prompt to serve: pass `format: 'messages' | 'tools' | 'json'`, the format the model was trained on.");
  }
  const server = resolveServer(options.server, options.client?.baseURL ?? environmentBaseURL());
  checkServed(spec.format, server);
  const validator = inherited?.validator ?? compileValidator(spec.parameters);
  const capture = options.capture ?? swapDefaults.capture;
  const original = inherited !== undefined && !capture ? source : fn;
  const mode = options.mode ?? swapDefaults.mode;
  const ratio = options.ratio ?? swapDefaults.ratio;
  const fallback = options.fallback ?? swapDefaults.fallback;
  const context: AskContext = {
    spec,
    validator,
    client: lazyClient(options.client),
    model: options.model,
    server,
    omitSchema: options.omitSchema ?? swapDefaults.omitSchema,
    temperature: options.temperature ?? swapDefaults.temperature,
    maxTokens: options.maxTokens ?? swapDefaults.maxTokens,
    maxRetries: options.maxRetries ?? swapDefaults.maxRetries,
    timeoutMs: options.timeoutMs,
    signal: options.signal,
    rejections: new Set(),
  };
  const stats = new StatsCollector();
  const shadows = new Set<Promise<void>>();

  const viaOriginal = async (self: unknown, args: unknown[]): Promise<unknown> => {
    const start = performance.now();
    try {
      const output: unknown = await original.apply(self, args);
      if (!validator.check(output)) throw new OutputValidationError(spec.name, spec.toolName, validator.issues(), output);
      return output;
    } finally {
      stats.original.add(performance.now() - start);
    }
  };

  /** One model request with re-asks; counts it, and resolves to the answer or the failures. */
  const askModel = async (args: unknown[]): Promise<{ ok: true; value: unknown } | { ok: false; failures: readonly SwapAttempt[] }> => {
    stats.modelCalls++;
    const call = serializeCall(spec, signature, args);
    if ('problem' in call) {
      stats.modelErrors++;
      return { ok: false, failures: [call.cause === undefined ? { kind: 'arguments', message: call.problem } : { kind: 'arguments', message: call.problem, cause: call.cause }] };
    }
    const start = performance.now();
    let asked: Awaited<ReturnType<typeof ask>>;
    try {
      asked = await ask(context, promptMessages(spec, call.user));
    } catch (error) {
      // No request was made (e.g. no client could be created): the caller or onCompare gets it.
      stats.modelErrors++;
      throw error;
    }
    stats.model.add(performance.now() - start);
    const invalid = asked.failures.filter((failure) => isAnswerFailure(failure.kind)).length;
    stats.answers += asked.answers;
    stats.invalidAnswers += invalid;
    // Every request after the first was a re-ask; a request that failed over HTTP was sent too.
    const requests = asked.answers + (asked.failures.length > invalid ? 1 : 0);
    stats.retries += Math.max(0, requests - 1);
    stats.promptTokens += asked.promptTokens;
    stats.completionTokens += asked.completionTokens;
    if (!asked.ok) stats.modelErrors++;
    return asked.ok ? { ok: true, value: asked.value } : { ok: false, failures: asked.failures };
  };

  const viaModel = async (self: unknown, args: unknown[]): Promise<unknown> => {
    const result = await askModel(args);
    if (result.ok) {
      stats.modelAnswered++;
      return result.value;
    }
    const aborted = result.failures.some((failure) => failure.kind === 'aborted');
    if (fallback && !aborted) {
      stats.fallbacks++;
      return viaOriginal(self, args);
    }
    throw new SwapError(spec.name, context.model, result.failures);
  };

  let warned = false;
  /** A shadow request that could not even be made must not vanish when nobody listens. */
  const warnOnce = (error: unknown): void => {
    if (warned || options.onCompare !== undefined) return;
    warned = true;
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(
      `Shadow requests of ${spec.name} to ${context.model} fail: ${reason} The original keeps answering every call; stats().modelErrors counts the failures, and \`onCompare\` receives each one.`,
      { type: 'FnDistilWarning', code: 'FN_DISTIL_SHADOW' },
    );
  };

  let onCompareWarned = false;
  /** onCompare is the user's code: its errors never reach the caller, but must not vanish either. */
  const onCompareFailed = (error: unknown): void => {
    if (onCompareWarned) return;
    onCompareWarned = true;
    const reason = (error instanceof Error ? error.message : String(error)).replace(/\.+$/, '');
    process.emitWarning(
      `onCompare of ${spec.name} threw: ${reason}. The callers were answered and stats() counts every comparison; fix onCompare (this warning is given once, for its first error).`,
      { type: 'FnDistilWarning', code: 'FN_DISTIL_ON_COMPARE' },
    );
  };

  const shadow = (self: unknown, args: unknown[]): Promise<unknown> => {
    const modelRun = askModel(args).catch((error: unknown) => {
      warnOnce(error);
      return { ok: false as const, error: error instanceof Error ? error : new Error(String(error)) };
    });
    const answer = viaOriginal(self, args);
    const comparison = answer.then(
      async (output) => {
        const result = await modelRun;
        const compared = result.ok ? compareOutputs(output, result.value) : { exact: false, fields: {} };
        if (result.ok) stats.compared(compared.exact, compared.fields);
        try {
          // Awaited, so that flush() also waits for an onCompare that returns a promise.
          await options.onCompare?.({
            args: [...args],
            original: output,
            ...(result.ok ? { model: result.value } : { error: 'error' in result ? result.error : new SwapError(spec.name, context.model, result.failures) }),
            ...compared,
          });
        } catch (error) {
          onCompareFailed(error);
        }
      },
      // The caller gets the original's own error and there is nothing to compare, but the model
      // request still runs to its end, counted in stats(): flush() waits for it.
      async () => void (await modelRun),
    );
    // Only an original output JSON cannot carry (compared as JSON) could still fail here.
    const tracked = comparison.catch(() => undefined).finally(() => shadows.delete(tracked));
    shadows.add(tracked);
    return answer;
  };

  async function swapped(this: unknown, ...args: unknown[]): Promise<unknown> {
    stats.calls++;
    try {
      if (mode === 'shadow') return await shadow(this, args);
      if (mode === 'canary' && !(Math.random() < ratio)) return await viaOriginal(this, args);
      return await viaModel(this, args);
    } catch (error) {
      stats.errors++;
      throw error;
    }
  }

  return Object.defineProperties(swapped, {
    name: { value: source.name },
    length: { value: source.length },
    schema: { value: schema, enumerable: true },
    original: { value: fn, enumerable: true },
    stats: { value: () => stats.snapshot(), enumerable: true },
    flush: {
      value: async () => {
        while (shadows.size > 0) await Promise.all([...shadows]);
      },
      enumerable: true,
    },
  }) as unknown as Swapped<TSchema, unknown, unknown[]>;
}

function pick(options: SwapOptions): PromptOptions {
  const picked: Record<string, unknown> = {};
  for (const key of promptKeys) if (options[key] !== undefined) picked[key] = options[key];
  return picked as PromptOptions;
}
