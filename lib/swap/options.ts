import type OpenAI from 'openai';
import { ConfigurationError } from '../errors.js';
import { checkKnownKeys } from '../distil/known-keys.js';
import { checkPromptOptions, promptOptionKeys, type DistilOptions } from '../distil/options.js';
import { checkServerName } from '../servers/index.js';
import type { ServerName } from '../servers/types.js';

/**
 * Prompt options shared with `distil()`: the same values give the same prompt.
 *
 * @example
 * ```ts
 * const prompt: PromptOptions = { name: 'three_digit_multiply', format: 'tools' };
 * const multiply = distil(multiplyImpl, Multiply, { ...prompt, transports: [new winston.transports.File({ filename: 'math_finetunes.jsonl' })] });
 * // Later, the plain function served with the prompt the model was trained on:
 * const fast = swap(multiplyImpl, Multiply, { ...prompt, model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123' });
 * ```
 */
export type PromptOptions = Pick<DistilOptions, 'name' | 'description' | 'includeSource' | 'format' | 'toolName' | 'toolDescription'>;

/**
 * How a swapped function routes calls: `'model'` (all to the model), `'shadow'` (the original
 * answers, the model runs alongside and is compared) or `'canary'` (`ratio` of calls to the model).
 *
 * @example
 * ```ts
 * const mode: SwapMode = 'shadow';
 * ```
 */
export type SwapMode = 'model' | 'shadow' | 'canary';

/**
 * One shadow comparison, as `onCompare` receives it.
 *
 * @example
 * ```ts
 * const disagreements: SwapComparison[] = [];
 * const shadow = swap(multiply, {
 *   model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123',
 *   mode: 'shadow',
 *   onCompare: (comparison) => {
 *     if (!comparison.exact) disagreements.push(comparison);
 *   },
 * });
 * await shadow(133, 539); // the original's answer
 * await shadow.flush(); // the comparison is done
 * for (const { args, original, model, error } of disagreements) console.warn(args, original, model ?? error?.message);
 * ```
 */
export interface SwapComparison {
  /** The arguments of the call, as the caller passed them (all of them, not only the declared ones a dataset line records). */
  readonly args: readonly unknown[];
  /** What the original function returned (and the caller got). */
  readonly original: unknown;
  /** The model's validated answer, if it gave one. */
  readonly model?: unknown;
  /** Why the model gave no valid answer, if it did not. */
  readonly error?: Error;
  /** Whether the two are deeply equal. */
  readonly exact: boolean;
  /** For object outputs, each top-level field and whether it matched. */
  readonly fields: Readonly<Record<string, boolean>>;
}

/**
 * Options of `swap()`. `model` is required; the prompt options default to those the function
 * was distilled with.
 *
 * @example
 * ```ts
 * const options: SwapOptions = { model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123', mode: 'canary', ratio: 0.05, fallback: true };
 * ```
 */
export interface SwapOptions extends PromptOptions {
  /** The fine-tuned model, e.g. `ft:gpt-4o-mini-2024-07-18:acme::abc123`, or any model the server serves. */
  readonly model: string;
  /**
   * The server that hosts the model. Its profile decides what each request carries so that
   * this server honours it (the output constraint, the tool choice, the token limit's field) and
   * where its answer is read; a format it cannot serve is refused when wrapping. See
   * docs/open-weight.md for each server's profile and the flags to start it with.
   * @default `'openai'` when requests go to api.openai.com (the client's default) or Azure
   * OpenAI, else `'generic'`: `json_schema`, `tool_choice: "required"`, calls read from `content` too
   */
  readonly server?: ServerName;
  /**
   * The OpenAI client to call it with; point `baseURL` at any OpenAI-compatible server.
   * @default `new OpenAI()` from the environment (`OPENAI_API_KEY`, `OPENAI_BASE_URL`), created on the first call
   */
  readonly client?: OpenAI;
  /** @default 'model' */
  readonly mode?: SwapMode;
  /**
   * Share of calls sent to the model in `'canary'` mode, 0 to 1.
   * @default 0.1
   */
  readonly ratio?: number;
  /**
   * Times a call is re-asked after an invalid answer, with the errors sent back to the model.
   * HTTP failures follow the client's own retry settings instead.
   * @default 2
   */
  readonly maxRetries?: number;
  /**
   * Answer with the original function when the model gives no valid answer.
   * @default false (throw a SwapError)
   */
  readonly fallback?: boolean;
  /**
   * Time each attempt may take, from the request to the reply's last byte, in milliseconds (the
   * client's own timeout stops at the headers, so a server that stalls after them is cut here).
   * A call makes at most the client's `maxRetries` + 1 attempts, with the backoff between them.
   * @default the client's, for the headers only
   */
  readonly timeoutMs?: number;
  /** Aborts requests in flight; an aborted call throws a SwapError and never falls back. */
  readonly signal?: AbortSignal;
  /**
   * Declare the function by name only, without its parameter schema (for `'json'`: ask for a
   * JSON object instead of the schema). A fine-tuned model has learned the schema; this saves
   * prompt tokens. Answers are still validated against the schema.
   * @default false
   */
  readonly omitSchema?: boolean;
  /**
   * Sampling temperature sent with each request: a function should answer the same way each
   * time (Ollama, for one, samples at its model's own temperature when none is sent).
   * @default 0
   */
  readonly temperature?: number;
  /**
   * Most tokens of one answer, sent as the field the server reads (`max_completion_tokens` for
   * OpenAI, `max_tokens` elsewhere). An answer cut off by it is a `'length'` failure, never
   * re-asked: without a limit an open model that misses its format writes until its context
   * is full.
   * @default 1024
   */
  readonly maxTokens?: number;
  /**
   * For a function from `distil()`: calls answered by the original (shadow, canary, fallback)
   * keep being recorded to its dataset.
   * @default true
   */
  readonly capture?: boolean;
  /**
   * Receives each shadow comparison: one per call the original answered (a call whose original
   * threw has nothing to compare). Called once the model request has finished, whether it gave
   * a valid answer or not; `flush()` waits for a promise it returns. Its errors never reach the
   * caller: the first one is a process warning (`FN_DISTIL_ON_COMPARE`).
   */
  readonly onCompare?: (comparison: SwapComparison) => void;
}

/** The defaults of {@link SwapOptions}, merged in one place. */
export const swapDefaults = {
  mode: 'model',
  ratio: 0.1,
  maxRetries: 2,
  fallback: false,
  omitSchema: false,
  temperature: 0,
  maxTokens: 1024,
  capture: true,
} as const satisfies Partial<SwapOptions>;

const modes: readonly SwapMode[] = ['model', 'shadow', 'canary'];

/** Every key of {@link SwapOptions}: anything else is a misspelling. */
const swapOptionKeys: Readonly<Record<keyof SwapOptions, true>> = {
  model: true,
  client: true,
  mode: true,
  ratio: true,
  maxRetries: true,
  fallback: true,
  timeoutMs: true,
  signal: true,
  omitSchema: true,
  temperature: true,
  maxTokens: true,
  server: true,
  capture: true,
  onCompare: true,
  ...promptOptionKeys,
};

/** Checks swap options when wrapping. */
export function checkSwapOptions(options: SwapOptions): void {
  const { model, mode, ratio, maxRetries, timeoutMs, onCompare, client, signal, temperature, maxTokens, server } = options ?? ({} as SwapOptions);
  if (typeof model !== 'string' || model === '') {
    throw new ConfigurationError('model', '`model` is required: the fine-tuned model to call, e.g. "ft:gpt-4o-mini-2024-07-18:acme::abc123".');
  }
  checkKnownKeys(options, swapOptionKeys, 'swap()');
  checkPromptOptions(options);
  if (mode !== undefined && !modes.includes(mode)) {
    throw new ConfigurationError('mode', `\`mode\` must be one of 'model', 'shadow', 'canary', got ${JSON.stringify(mode)}.`);
  }
  if (ratio !== undefined && !(typeof ratio === 'number' && ratio >= 0 && ratio <= 1)) {
    throw new ConfigurationError('ratio', `\`ratio\` must be a number from 0 to 1, got ${String(ratio)}.`);
  }
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new ConfigurationError('maxRetries', `\`maxRetries\` must be a whole number, 0 or more, got ${String(maxRetries)}.`);
  }
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) {
    throw new ConfigurationError('timeoutMs', `\`timeoutMs\` must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  }
  checkTemperature(temperature);
  checkMaxTokens(maxTokens);
  checkServerName(server);
  if (onCompare !== undefined && typeof onCompare !== 'function') {
    throw new ConfigurationError('onCompare', '`onCompare` must be a function.');
  }
  if (client !== undefined && typeof (client as { chat?: { completions?: { create?: unknown } } }).chat?.completions?.create !== 'function') {
    throw new ConfigurationError('client', '`client` must be an OpenAI client (new OpenAI({ baseURL, apiKey })).');
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) {
    throw new ConfigurationError('signal', '`signal` must be an AbortSignal.');
  }
}

/** Checks `maxTokens` (swap's and evaluate's) when wrapping. */
export function checkMaxTokens(maxTokens: unknown): void {
  if (maxTokens !== undefined && !(Number.isInteger(maxTokens) && (maxTokens as number) >= 1)) {
    throw new ConfigurationError('maxTokens', `\`maxTokens\` must be a whole number, 1 or more, got ${String(maxTokens)}.`);
  }
}

/** Checks `temperature` (swap's and evaluate's) when wrapping: 0 to 2, as OpenAI's API takes it. */
export function checkTemperature(temperature: unknown): void {
  if (temperature !== undefined && !(typeof temperature === 'number' && Number.isFinite(temperature) && temperature >= 0 && temperature <= 2)) {
    throw new ConfigurationError('temperature', `\`temperature\` must be a number from 0 to 2, got ${String(temperature)}.`);
  }
}
