import { ConfigurationError } from '../errors.js';

/**
 * A tokenizer of OpenAI's models, as gpt-tokenizer names it: `o200k_base` for the gpt-4o and
 * gpt-4.1 families, `cl100k_base` for gpt-3.5-turbo.
 *
 * @example
 * ```ts
 * const encoding: TokenEncoding = (await validateDataset(['train.jsonl'])).model.encoding; // 'o200k_base'
 * ```
 */
export type TokenEncoding = 'o200k_base' | 'cl100k_base';

/**
 * What the dataset tools need to know of a target model, as they resolved it from
 * {@link TargetModelOptions}: found in `DatasetReport.model` and `DatasetStats.model`.
 *
 * @example
 * ```ts
 * const { model, encoding, tokenLimit }: TargetModel = (await datasetStats('train.jsonl', { model: 'gpt-3.5-turbo-0125' })).model;
 * console.log(`${model}: ${encoding}, at most ${tokenLimit} tokens per example`); // gpt-3.5-turbo-0125: cl100k_base, at most 16385 ...
 * ```
 */
export interface TargetModel {
  /** The model as given, e.g. `gpt-4o-mini-2024-07-18`. */
  readonly model: string;
  readonly encoding: TokenEncoding;
  /** Most tokens one training example may have; longer ones are truncated by the trainer. */
  readonly tokenLimit: number;
}

/**
 * OpenAI's fine-tunable chat models, with their tokenizer and per-example token limit (from
 * OpenAI's fine-tuning guide). Other models, open-weight ones included, need `encoding` and
 * `tokenLimit` given explicitly.
 */
export const knownModels: Readonly<Record<string, Omit<TargetModel, 'model'>>> = {
  'gpt-4.1-2025-04-14': { encoding: 'o200k_base', tokenLimit: 65_536 },
  'gpt-4.1-mini-2025-04-14': { encoding: 'o200k_base', tokenLimit: 65_536 },
  'gpt-4.1-nano-2025-04-14': { encoding: 'o200k_base', tokenLimit: 65_536 },
  'gpt-4o-2024-08-06': { encoding: 'o200k_base', tokenLimit: 65_536 },
  'gpt-4o-mini-2024-07-18': { encoding: 'o200k_base', tokenLimit: 65_536 },
  'gpt-3.5-turbo-0125': { encoding: 'cl100k_base', tokenLimit: 16_385 },
  'gpt-3.5-turbo-1106': { encoding: 'cl100k_base', tokenLimit: 16_385 },
  'gpt-3.5-turbo-0613': { encoding: 'cl100k_base', tokenLimit: 4_096 },
};

/** The model dataset commands assume when none is given, and the default base model of `jobs`. */
export const defaultModel = 'gpt-4o-mini-2024-07-18';

/**
 * Which model a dataset is for, the options `validateDataset` and `datasetStats` share (and the
 * command line's `--model`, `--encoding` and `--token-limit`): the model picks the tokenizer and
 * the per-example token limit; a model fn-distil does not know needs both `encoding` and
 * `tokenLimit`.
 *
 * @example
 * ```ts
 * const llama: TargetModelOptions = { model: 'llama-3-8b', encoding: 'cl100k_base', tokenLimit: 8192 };
 * const report = await validateDataset(['train.jsonl'], { ...llama, minExamples: 1 });
 * ```
 */
export interface TargetModelOptions {
  /** Model the data is for: picks the tokenizer and the per-example token limit. @default 'gpt-4o-mini-2024-07-18' */
  readonly model?: string | undefined;
  /** Tokenizer for a model fn-distil does not know: `o200k_base` or `cl100k_base`. @default the model's */
  readonly encoding?: string | undefined;
  /** Per-example token limit for a model fn-distil does not know. @default the model's */
  readonly tokenLimit?: number | undefined;
}

/** Defaults of {@link TargetModelOptions}. */
export const targetModelDefaults = { model: defaultModel } as const satisfies TargetModelOptions;

const encodings: readonly TokenEncoding[] = ['o200k_base', 'cl100k_base'];

/**
 * Resolves a model (and the explicit `encoding` / `tokenLimit` overrides) to a tokenizer and a
 * limit. A fine-tuned model (`ft:gpt-4o-mini-2024-07-18:acme::id`) counts as its base model.
 * An unknown model without both overrides is a {@link ConfigurationError} naming the known ones.
 */
export function targetModel(options: TargetModelOptions = {}): TargetModel {
  const { model = targetModelDefaults.model, ...overrides } = options;
  const base = model.startsWith('ft:') ? (model.split(':')[1] ?? model) : model;
  const known = knownModels[base];
  if (overrides.encoding !== undefined && !encodings.includes(overrides.encoding as TokenEncoding)) {
    throw new ConfigurationError('encoding', `\`encoding\` must be one of ${encodings.join(', ')}, got ${JSON.stringify(overrides.encoding)}.`);
  }
  if (overrides.tokenLimit !== undefined && !(Number.isInteger(overrides.tokenLimit) && overrides.tokenLimit > 0)) {
    throw new ConfigurationError('tokenLimit', `\`tokenLimit\` must be a positive whole number, got ${String(overrides.tokenLimit)}.`);
  }
  const encoding = (overrides.encoding as TokenEncoding | undefined) ?? known?.encoding;
  const tokenLimit = overrides.tokenLimit ?? known?.tokenLimit;
  if (encoding === undefined || tokenLimit === undefined) {
    throw new ConfigurationError(
      'model',
      `Unknown model ${JSON.stringify(model)}: its tokenizer and token limit are not known. ` +
        `Use one of ${Object.keys(knownModels).join(', ')}, or give both the encoding (o200k_base or cl100k_base) and the token limit.`,
    );
  }
  return { model, encoding, tokenLimit };
}
