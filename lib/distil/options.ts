import { resolve } from 'node:path';
import winston from 'winston';
import type { Logger, transport as Transport } from 'winston';
import { ConfigurationError, type CaptureError } from '../errors.js';
import { exampleFormats } from '../formats/index.js';
import type { ChatExample, ExampleFormat, RawExample } from '../formats/types.js';
import { checkKnownKeys } from './known-keys.js';

/**
 * The example a format writes, as the `redact` hook receives it: `RawExample` for `'raw'`,
 * `ChatExample` for the others, and either for a format not known until run time.
 *
 * @example
 * ```ts
 * const scrub = (example: ExampleOf<'tools'>): ExampleOf<'tools'> => ({ ...example, messages: example.messages.slice(1) });
 * ```
 */
export type ExampleOf<F extends ExampleFormat> = F extends 'raw' ? RawExample : ChatExample;

/**
 * Options of `distil()`. Every one is optional: without `transports` or `logger`, examples go to
 * `<name>.jsonl` in the working directory.
 *
 * @example
 * ```ts
 * const options: DistilOptions = {
 *   name: 'three_digit_multiply',
 *   format: 'tools',
 *   sampleRate: 0.25,
 *   transports: [new winston.transports.File({ filename: 'math_finetunes.jsonl' })],
 * };
 * ```
 */
export interface DistilOptions<F extends ExampleFormat = ExampleFormat> {
  /**
   * The function's name in the prompt: `Return <name>(133, 539)`.
   * @default the function's own `name`
   */
  readonly name?: string;
  /** Text added to the system prompt after the signature, saying what the function does. */
  readonly description?: string;
  /**
   * Put the function's whole source in the system prompt instead of its signature. Refused for a
   * bound or built-in function, whose source JavaScript does not show.
   * @default false
   */
  readonly includeSource?: boolean;
  /**
   * Shape of each line: `'messages'`, `'tools'`, `'json'` or `'raw'` (see docs/formats.md).
   * @default 'json'
   */
  readonly format?: F;
  /**
   * Name of the function/tool the answer is a call to (`^[a-zA-Z0-9_-]{1,64}$`).
   * @default the schema's `$id`, else its `title`
   */
  readonly toolName?: string;
  /**
   * Description of that function/tool.
   * @default the schema's `description`, else "Correctly extracted `<toolName>` with all the required parameters with correct types"
   */
  readonly toolDescription?: string;
  /**
   * Share of calls recorded, from 0 (none; the output is still validated) to 1 (all).
   * @default 1
   */
  readonly sampleRate?: number;
  /**
   * Called with each example before it is written: return it (changed or not) to write it,
   * or `undefined` to drop it. If it throws, or returns an example that is not a valid line of
   * its format (the checks of `fn-distil dataset validate`; for `'raw'`, its five keys) or whose
   * answer no longer matches the schema, the example is dropped and reported to `onError`.
   * Its type follows `format`: a hook for chat lines (`(example: ChatExample) => ...`) fits the
   * chat formats (and the default, `'json'`) and is a type error with `format: 'raw'`.
   */
  readonly redact?: (example: ExampleOf<F>) => ExampleOf<F> | undefined;
  /**
   * winston transports the lines are written to. They belong to the wrapper: `close()` ends them.
   * @default with no `logger` either, a File transport writing `<name>.jsonl` in the working
   * directory (`name`, else the function's name), created when wrapping
   */
  readonly transports?: readonly Transport[];
  /**
   * A winston logger whose transports the lines are written to (its format is not applied:
   * a line is the example JSON alone). It stays yours: `close()` flushes but does not end it.
   */
  readonly logger?: Logger;
  /**
   * Receives every example that could not be captured. Capture errors never reach the caller.
   * @default one process warning per wrapper, on the first error
   */
  readonly onError?: (error: CaptureError) => void;
  /**
   * Bytes of examples held in memory while transports are slower than the caller; beyond it
   * they are parked in a temporary file, so memory stays bounded and nothing is dropped.
   * @default 16 MiB
   */
  readonly maxBufferedBytes?: number;
}

/** A default given as what it is made from: the function's name, as in the prompt. */
type Defaults = { readonly [K in keyof DistilOptions]?: DistilOptions[K] | ((name: string) => NonNullable<DistilOptions[K]>) };

/** The defaults of {@link DistilOptions}, merged in one place. */
export const distilDefaults = {
  includeSource: false,
  format: 'json',
  sampleRate: 1,
  maxBufferedBytes: 16 * 1024 * 1024,
  /** Used when neither `transports` nor `logger` is given. */
  transports: (name: string): readonly Transport[] => [new winston.transports.File({ filename: defaultFile(name) })],
} as const satisfies Defaults;

/**
 * `<name>.jsonl` in the working directory, resolved now so a later `process.chdir()` does not move
 * it. Characters a file name cannot hold on some system (`/`, `\`, `:`, ...) become `_`.
 */
export function defaultFile(name: string): string {
  return resolve(`${name.replace(/[/\\:*?"<>|\u0000-\u001f]/g, '_')}.jsonl`);
}

/** `options` with their destination: the given `transports` or `logger`, else the default file. */
export function withDestination(options: DistilOptions, name: string): DistilOptions {
  if (options.transports !== undefined || options.logger !== undefined) return options;
  return { ...options, transports: distilDefaults.transports(name) };
}

/** Bytes per transport write: large enough to amortize winston's per-write cost. */
export const batchBytes = 256 * 1024;

/** The options that shape the prompt, which `distil()` and `swap()` both take. */
export const promptOptionKeys = {
  name: true,
  description: true,
  includeSource: true,
  format: true,
  toolName: true,
  toolDescription: true,
} as const satisfies Partial<Record<keyof DistilOptions, true>>;

/** Every key of {@link DistilOptions}: anything else is a misspelling. */
const distilOptionKeys: Readonly<Record<keyof DistilOptions, true>> = {
  ...promptOptionKeys,
  sampleRate: true,
  redact: true,
  transports: true,
  logger: true,
  onError: true,
  maxBufferedBytes: true,
};

/** Checks the options that shape the prompt, which `distil()` and `swap()` both take, when wrapping. */
export function checkPromptOptions(options: Pick<DistilOptions, 'format' | 'name' | 'description' | 'includeSource'>): void {
  const { format, name, description, includeSource } = options;
  if (format !== undefined && !exampleFormats.includes(format)) {
    throw new ConfigurationError('format', `\`format\` must be one of ${exampleFormats.map((f) => `'${f}'`).join(', ')}, got ${JSON.stringify(format)}.`);
  }
  if (name !== undefined && (typeof name !== 'string' || name.trim() === '' || /[\r\n]/.test(name))) {
    throw new ConfigurationError('name', `\`name\` must be a non-empty single-line string, got ${JSON.stringify(name)}.`);
  }
  if (description !== undefined && typeof description !== 'string') {
    throw new ConfigurationError('description', `\`description\` must be a string, got ${typeof description}.`);
  }
  if (includeSource !== undefined && typeof includeSource !== 'boolean') {
    throw new ConfigurationError('includeSource', `\`includeSource\` must be true or false, got ${typeof includeSource}.`);
  }
}

/** Checks the options when wrapping, so no bad option surfaces at the first call. */
export function checkOptions(options: DistilOptions): void {
  const { sampleRate, maxBufferedBytes, redact, onError, transports, logger } = options;
  checkKnownKeys(options, distilOptionKeys, 'distil()');
  checkPromptOptions(options);
  if (sampleRate !== undefined && !(typeof sampleRate === 'number' && sampleRate >= 0 && sampleRate <= 1)) {
    throw new ConfigurationError('sampleRate', `\`sampleRate\` must be a number from 0 to 1, got ${String(sampleRate)}.`);
  }
  if (maxBufferedBytes !== undefined && !(Number.isSafeInteger(maxBufferedBytes) && maxBufferedBytes > 0)) {
    throw new ConfigurationError('maxBufferedBytes', `\`maxBufferedBytes\` must be a positive integer, got ${String(maxBufferedBytes)}.`);
  }
  for (const [key, value] of [['redact', redact], ['onError', onError]] as const) {
    if (value !== undefined && typeof value !== 'function') {
      throw new ConfigurationError(key, `\`${key}\` must be a function, got ${typeof value}.`);
    }
  }
  if (transports !== undefined && logger !== undefined) {
    throw new ConfigurationError('transports', 'Pass either `transports` or `logger`, not both: add the transports to the logger instead.');
  }
  if (transports !== undefined) {
    if (!Array.isArray(transports) || transports.length === 0) {
      throw new ConfigurationError('transports', '`transports` must be a non-empty array of winston transports.');
    }
    transports.forEach((transport: unknown, i) => {
      if (typeof (transport as { log?: unknown } | null)?.log !== 'function') {
        throw new ConfigurationError('transports', `\`transports\` item ${i} is not a winston transport: it has no log() method.`);
      }
      if (typeof (transport as { maxsize?: unknown }).maxsize === 'number') {
        // Measured: 2,000 lines into File({ maxsize: 50_000 }) left 1,025 on disk after close().
        throw new ConfigurationError(
          'transports',
          `\`transports\` item ${i} is a File transport with \`maxsize\`: winston's rotation loses lines when the transport is ended, so fn-distil does not accept it yet. Write one file per run, or rotate the file outside the process.`,
        );
      }
    });
  }
  if (logger !== undefined && !Array.isArray((logger as { transports?: unknown }).transports)) {
    throw new ConfigurationError('logger', '`logger` must be a winston logger (from winston.createLogger()).');
  }
}
