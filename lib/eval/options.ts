import type OpenAI from 'openai';
import { ConfigurationError } from '../errors.js';
import { checkServerName } from '../servers/index.js';
import type { ServerName } from '../servers/types.js';
import { checkMaxTokens, checkTemperature, swapDefaults } from '../swap/options.js';

/**
 * Options of `evaluateModel()`. `dataset` and `model` are required.
 *
 * @example
 * ```ts
 * const options: EvaluateOptions = { dataset: 'val.jsonl', model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123', concurrency: 8 };
 * ```
 */
export interface EvaluateOptions {
  /** Held-out examples (chat JSONL, e.g. the validation file of `dataset split`). */
  readonly dataset: string;
  /** The model to evaluate, as the server names it. */
  readonly model: string;
  /**
   * The OpenAI client; point `baseURL` at any OpenAI-compatible server.
   * @default `new OpenAI()` from the environment
   */
  readonly client?: OpenAI;
  /**
   * The server that hosts the model, as `swap()`'s `server`: what each request carries and
   * where the answer is read. A dataset in a format the server cannot serve is refused before
   * anything is asked.
   * @default `'openai'` for api.openai.com and Azure OpenAI, else `'generic'`
   */
  readonly server?: ServerName;
  /**
   * Requests in flight at once.
   * @default 4
   */
  readonly concurrency?: number;
  /**
   * Re-asks after an invalid answer, with the errors sent back, as `swap()`'s `maxRetries`.
   * @default 0 (the invalid-answer rate is then the model's own)
   */
  readonly reasks?: number;
  /** Sampling temperature sent with each request, as `swap()`'s. @default 0 */
  readonly temperature?: number;
  /** Most tokens of one answer, as `swap()`'s `maxTokens`. @default 1024 */
  readonly maxTokens?: number;
  /** Declare functions by name only, as `swap()`'s `omitSchema`. @default false */
  readonly omitSchema?: boolean;
  /** Time each attempt may take, to the reply's last byte, as `swap()`'s `timeoutMs`. @default the client's, for the headers only */
  readonly timeoutMs?: number;
  /**
   * Where each example's result is appended as soon as it is known. A later run with the same
   * file, dataset line and model reuses the result instead of asking again, so an interrupted
   * run resumes without paying twice.
   * @default `<dataset>.eval-results.jsonl` beside the dataset (a dataset read from standard input needs one given)
   */
  readonly resultsFile?: string;
  /** Ignore (and replace) results already in `resultsFile`. @default false */
  readonly fresh?: boolean;
  /** Evaluate only the first `limit` examples. @default all */
  readonly limit?: number;
  /** Stops the run: requests in flight are aborted, results so far are kept. */
  readonly signal?: AbortSignal;
  /** Called after each example with the number done (resumed ones included) and the total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The defaults of {@link EvaluateOptions}, merged in one place. */
export const evaluateDefaults = {
  concurrency: 4,
  reasks: 0,
  omitSchema: false,
  // The same as swap()'s: eval measures what swap() will get.
  temperature: swapDefaults.temperature,
  maxTokens: swapDefaults.maxTokens,
  fresh: false,
} as const satisfies Partial<EvaluateOptions>;

/** The results file used when none is given. */
export function defaultResultsFile(dataset: string): string {
  return `${dataset.replace(/\.jsonl$/i, '')}.eval-results.jsonl`;
}

/** Checks evaluate options before anything is read or sent. */
export function checkEvaluateOptions(options: EvaluateOptions): void {
  const { dataset, model, concurrency, reasks, limit, timeoutMs, maxTokens, server, temperature } = options;
  if (typeof dataset !== 'string' || dataset === '') throw new ConfigurationError('dataset', '`dataset` is required: the JSONL file of held-out examples.');
  if (typeof model !== 'string' || model === '') throw new ConfigurationError('model', '`model` is required: the fine-tuned model to evaluate, e.g. "ft:gpt-4o-mini-2024-07-18:acme::abc123".');
  if (concurrency !== undefined && !(Number.isInteger(concurrency) && concurrency >= 1)) {
    throw new ConfigurationError('concurrency', `\`concurrency\` must be a whole number, 1 or more, got ${String(concurrency)}.`);
  }
  if (reasks !== undefined && !(Number.isInteger(reasks) && reasks >= 0)) throw new ConfigurationError('reasks', `\`reasks\` must be a whole number, 0 or more, got ${String(reasks)}.`);
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 1)) throw new ConfigurationError('limit', `\`limit\` must be a whole number, 1 or more, got ${String(limit)}.`);
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && timeoutMs > 0)) throw new ConfigurationError('timeoutMs', `\`timeoutMs\` must be a positive number of milliseconds, got ${String(timeoutMs)}.`);
  checkTemperature(temperature);
  checkMaxTokens(maxTokens);
  checkServerName(server);
}
