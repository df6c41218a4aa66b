import { ConfigurationError, DatasetError } from '../errors.js';
import { inputFile, readLineBatches, requireRegularFile } from './lines.js';
import { besideInput, checkOutputs, defaultOutput, withWriters } from './outputs.js';
import { seededRandom, selectionSampler } from './random.js';
import { isBlank } from './line-rules.js';
import { plural } from './numbers.js';
import { scanRecords, throwIfStopped } from './records.js';

/**
 * Options of {@link splitDataset}.
 *
 * @example
 * ```ts
 * const options: SplitDatasetOptions = { validation: 0.2, seed: 7, validationOutput: 'holdout.jsonl' };
 * ```
 */
export interface SplitDatasetOptions {
  /** Share of the examples that go to the validation file, between 0 and 1 exclusive. @default 0.1 */
  readonly validation?: number;
  /** Seed of the selection: the same file and seed always give the same two files. @default 0 */
  readonly seed?: number;
  /** Training file. @default `<input name>.train.jsonl` next to the input */
  readonly trainOutput?: string;
  /** Validation file. @default `<input name>.val.jsonl` next to the input */
  readonly validationOutput?: string;
  /** Called as the file is read (twice: once to count, once to split). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops the split; no output is left behind. */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link SplitDatasetOptions}, merged in one place. */
export const splitDefaults = { validation: 0.1, seed: 0 } as const satisfies SplitDatasetOptions;

/**
 * One file a split wrote.
 *
 * @example
 * ```ts
 * const { validation }: SplitResult = await splitDataset('data.jsonl');
 * const holdout: SplitOutput = validation; // { file: 'data.val.jsonl', examples: 10 }
 * ```
 */
export interface SplitOutput {
  readonly file: string;
  /** Examples (lines) written to it. */
  readonly examples: number;
}

/**
 * What {@link splitDataset} wrote.
 *
 * @example
 * ```ts
 * const result: SplitResult = await splitDataset('data.jsonl', { seed: 7 });
 * console.log(`${result.train.examples} + ${result.validation.examples} of ${result.examples}, seed ${result.seed}`);
 * ```
 */
export interface SplitResult {
  readonly file: string;
  /** Examples read: every line that is not blank. */
  readonly examples: number;
  /** Blank lines, which are not examples and were not written. */
  readonly blank: number;
  readonly seed: number;
  readonly train: SplitOutput;
  readonly validation: SplitOutput;
}

/**
 * Splits a JSONL dataset into a training and a validation file, in constant memory. A first pass
 * checks every line is a JSON object and counts the `n` examples; a second pass picks exactly
 * `round(n × validation)` of them for validation by seeded selection sampling (each line is
 * picked with probability `still needed / lines left`), so the sizes are exact, each file keeps
 * the input's order, and the same input and seed give byte-identical files. Lines are written
 * as they were read. Throws a {@link DatasetError} for a missing file, a pipe (which cannot be
 * read twice: save it to a file first), a line that is not a JSON object (with its line
 * number), or when either file would be empty.
 *
 * @example
 * ```ts
 * import { splitDataset } from 'fn-distil';
 *
 * const { train, validation } = await splitDataset('math_finetunes.jsonl', { validation: 0.1, seed: 7 });
 * console.log(`${train.examples} in ${train.file}, ${validation.examples} in ${validation.file}`);
 * ```
 */
export async function splitDataset(file: string, options: SplitDatasetOptions = {}): Promise<SplitResult> {
  const validation = options.validation ?? splitDefaults.validation;
  const seed = options.seed ?? splitDefaults.seed;
  if (typeof validation !== 'number' || !(validation > 0 && validation < 1)) {
    throw new ConfigurationError('validation', `\`validation\` must be a share between 0 and 1 (exclusive), e.g. 0.1; got ${String(validation)}.`);
  }
  if (!Number.isSafeInteger(seed)) throw new ConfigurationError('seed', `\`seed\` must be an integer, got ${String(seed)}.`);
  const input = inputFile(file);
  // Checked before anything is opened: opening a FIFO waits for a writer, and the second pass
  // would wait for one forever.
  requireRegularFile(input, `Cannot split ${file}`, 'split reads its input twice (once to count the examples, once to write them)');
  const trainFile = options.trainOutput ?? defaultOutput(input, besideInput(file, 'train'), 'trainOutput', '--train-output');
  const validationFile = options.validationOutput ?? defaultOutput(input, besideInput(file, 'val'), 'validationOutput', '--val-output');
  checkOutputs([file], [
    { file: trainFile, option: 'trainOutput' },
    { file: validationFile, option: 'validationOutput' },
  ]);

  const { size } = input;
  const { signal, onProgress } = options;
  const counts = await scanRecords(file, { signal, canSkip: false, onProgress: (bytes) => onProgress?.(bytes, 2 * size) }, () => undefined);
  // A line appended while the first pass read would be counted and then picked consistently,
  // so the size at the start is the file this split is of: any change is refused.
  if (inputFile(file).size !== size) throw changed(file);
  const n = counts.read;
  const k = Math.round(n * validation);
  if (n === 0) throw new DatasetError(file, undefined, `${file} has no examples to split.`);
  if (k === 0 || k === n) {
    const empty = k === 0 ? 'validation' : 'training';
    throw new DatasetError(
      file,
      undefined,
      `A validation share of ${validation} of ${plural(n, 'example')} leaves the ${empty} file empty. ${k === 0 ? 'Raise' : 'Lower'} the share, or add examples.`,
    );
  }

  const pick = selectionSampler(n, k, seededRandom(seed));
  const written = await withWriters([trainFile, validationFile], async ([train, val]) => {
    let index = 0;
    for await (const batch of readLineBatches(file)) {
      throwIfStopped(signal, file);
      for (const text of batch.lines) {
        if (isBlank(text)) continue;
        if (index++ === n) throw changed(file);
        const pending = (pick() ? val : train).write(text);
        if (pending !== undefined) await pending;
      }
      onProgress?.(size + batch.bytesRead, 2 * size);
    }
    throwIfStopped(signal, file);
    if (index !== n || inputFile(file).size !== size) throw changed(file);
    return { train: train.lines, validation: val.lines };
  }, signal);
  return {
    file,
    examples: n,
    blank: counts.blank,
    seed,
    train: { file: trainFile, examples: written.train },
    validation: { file: validationFile, examples: written.validation },
  };
}

function changed(file: string): DatasetError {
  return new DatasetError(file, undefined, `${file} changed while it was being split: nothing was written. Split a file no process is writing to.`);
}
