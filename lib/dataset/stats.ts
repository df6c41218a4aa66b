import { ConfigurationError, DatasetError } from '../errors.js';
import { defaultEpochs } from './epochs.js';
import { inputFile } from './lines.js';
import { targetModel, targetModelDefaults, type TargetModel, type TargetModelOptions } from './models.js';
import { Samples, type Distribution } from './percentiles.js';
import { countExampleTokens, loadTokenCounter } from './tokens.js';
import { readExamples, validateHint } from './read-examples.js';
import { isPromptCompletion, lineError, notAnExample, promptCompletionChat } from './line-rules.js';

/**
 * Options of {@link datasetStats}: the target model's (`model`, `encoding`, `tokenLimit`) and
 * what the training estimate assumes.
 *
 * @example
 * ```ts
 * const options: DatasetStatsOptions = { model: 'gpt-4o-mini-2024-07-18', epochs: 3, pricePerMTok: 3 };
 * ```
 */
export interface DatasetStatsOptions extends TargetModelOptions {
  /** Epochs the job will run, when you set them. @default the number OpenAI picks for this many examples */
  readonly epochs?: number | undefined;
  /** Price of one million training tokens, in dollars: adds `estimatedCost`. @default none: no cost estimate */
  readonly pricePerMTok?: number | undefined;
  /** Called as the file is read, with bytes read so far and the file's size; not for a pipe, whose size is unknown. */
  readonly onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
}

/** Defaults of {@link DatasetStatsOptions}. */
export const statsDefaults = { ...targetModelDefaults } as const satisfies DatasetStatsOptions;

/**
 * What a fine-tuning file holds and what training on it would bill, from {@link datasetStats}.
 *
 * @example
 * ```ts
 * const stats: DatasetStats = await datasetStats('train.jsonl', { pricePerMTok: 3 });
 * console.log(`${stats.examples} examples, ${stats.billingTokens} tokens billed over ${stats.epochs} epochs: $${stats.estimatedCost}`);
 * ```
 */
export interface DatasetStats {
  readonly file: string;
  /** The model tokens were counted for, with its tokenizer and per-example limit. */
  readonly model: TargetModel;
  /** Examples: every line but blank ones, each a chat example (a `messages` list). */
  readonly examples: number;
  /** Messages per example. */
  readonly messages: Distribution;
  /** Tokens per example: messages, declared functions and chat framing. */
  readonly totalTokens: Distribution;
  /** Tokens of the assistant messages per example: what the model learns to write. */
  readonly assistantTokens: Distribution;
  /** Examples over the model's token limit: truncated in training (and billed at the limit). */
  readonly overLimit: number;
  /** Epochs the estimate is for: `epochs` if given, else `defaultEpochs`. */
  readonly epochs: number;
  /** The epochs OpenAI picks by default for this many examples. */
  readonly defaultEpochs: number;
  /** Tokens billed for one epoch: every example's tokens, each capped at the limit. */
  readonly billingTokensPerEpoch: number;
  /** `billingTokensPerEpoch` times `epochs`. */
  readonly billingTokens: number;
  /** The price given, in dollars per million training tokens. */
  readonly pricePerMTok?: number;
  /** `billingTokens` at `pricePerMTok`, in dollars. */
  readonly estimatedCost?: number;
}

/**
 * Counts a chat fine-tuning file's examples, messages and tokens (with the target model's
 * tokenizer, the way OpenAI counts chat tokens), and estimates training: the default epochs,
 * billed tokens and, given a price, the cost. Streams the file in one pass, so a pipe
 * (`/dev/stdin`) works too; a line that is not a JSON object, or not a chat example (no
 * `messages` list, e.g. distil()'s `'raw'` lines), is a {@link DatasetError} with its line
 * number (run `validateDataset` for the rest). TRL's prompt-completion lines are measured as
 * the chat example of their prompt then completion messages.
 *
 * @example
 * ```ts
 * const stats = await datasetStats('train.jsonl', { model: 'gpt-4o-mini-2024-07-18', pricePerMTok: 3 });
 * console.log(stats.totalTokens.p90, stats.epochs, stats.estimatedCost);
 * ```
 */
export async function datasetStats(file: string, options: DatasetStatsOptions = {}): Promise<DatasetStats> {
  const { epochs, pricePerMTok } = options;
  if (epochs !== undefined && !(Number.isInteger(epochs) && epochs >= 1)) throw new ConfigurationError('epochs', `\`epochs\` must be a whole number, 1 or more, got ${String(epochs)}.`);
  if (pricePerMTok !== undefined && !(Number.isFinite(pricePerMTok) && pricePerMTok >= 0)) throw new ConfigurationError('pricePerMTok', `\`pricePerMTok\` must be a price in dollars, 0 or more, got ${String(pricePerMTok)}.`);
  const model = targetModel(options);
  const input = inputFile(file);
  const count = await loadTokenCounter(model.encoding);

  const messages = new Samples();
  const total = new Samples();
  const assistant = new Samples();
  let overLimit = 0;
  let billed = 0;
  let reported = 0;
  for await (const { value, bytesRead, line } of readExamples(file)) {
    // A prompt-completion line counts as its prompt then completion messages, as validate reads it.
    const example = isPromptCompletion(value) ? promptCompletionChat(value) : value;
    // Counting a line without messages would give 3 tokens and 0 messages: numbers about nothing.
    const problem = notAnExample(example);
    if (problem !== undefined) throw lineError(file, line, problem, notAnExampleHint(file));
    const tokens = countExampleTokens(example, count);
    messages.add((example['messages'] as unknown[]).length);
    total.add(tokens.total);
    assistant.add(tokens.assistant);
    if (tokens.total > model.tokenLimit) overLimit++;
    billed += Math.min(tokens.total, model.tokenLimit);
    if (input.regular && bytesRead !== reported) options.onProgress?.((reported = bytesRead), input.size);
  }
  if (total.count === 0) throw new DatasetError(file, undefined, `${file} has no examples: nothing to measure.`);

  const byDefault = defaultEpochs(total.count);
  const used = epochs ?? byDefault;
  return {
    file,
    model,
    examples: total.count,
    messages: messages.distribution(),
    totalTokens: total.distribution(),
    assistantTokens: assistant.distribution(),
    overLimit,
    epochs: used,
    defaultEpochs: byDefault,
    billingTokensPerEpoch: billed,
    billingTokens: billed * used,
    ...(pricePerMTok === undefined ? {} : { pricePerMTok, estimatedCost: (billed * used * pricePerMTok) / 1_000_000 }),
  };
}

/** What to do about a line that is not a chat example: see them all, or convert distil()'s raw lines. */
function notAnExampleHint(file: string): string {
  return `${validateHint(file)} Lines distil() wrote in its 'raw' format become chat examples with \`fn-distil dataset convert ${file} --to json\` (or tools, messages).`;
}
