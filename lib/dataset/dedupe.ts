import { mergeDatasets, type MergeDatasetsOptions, type ShardCounts } from './merge.js';
import { inputFile } from './lines.js';
import { besideInput, defaultOutput } from './outputs.js';

/**
 * Options of {@link dedupeDataset}.
 *
 * @example
 * ```ts
 * const options: DedupeDatasetOptions = { output: 'unique.jsonl', skipInvalid: true };
 * ```
 */
export interface DedupeDatasetOptions extends Omit<MergeDatasetsOptions, 'dedupe'> {
  /** The deduplicated file. @default `<input name>.deduped.jsonl` next to the input */
  readonly output?: string;
}

/**
 * What {@link dedupeDataset} wrote.
 *
 * @example
 * ```ts
 * const result: DedupeResult = await dedupeDataset('data.jsonl');
 * console.log(`${result.read} read, ${result.written} written to ${result.output}`);
 * ```
 */
export interface DedupeResult extends ShardCounts {
  readonly output: string;
}

/**
 * Writes a copy of a JSONL dataset without repeated examples, keeping the first occurrence of
 * each, in the input's order, in constant memory but for a 128-bit digest per distinct example
 * (21 to 43 bytes). Two lines are duplicates when they hold the same JSON value: key order,
 * spacing and number spelling do not count. A line that is not a JSON object is a
 * {@link DatasetError} with its line number, unless `skipInvalid` leaves it out (and reports it).
 *
 * @example
 * ```ts
 * import { dedupeDataset } from 'fn-distil';
 *
 * const { written, duplicates, output } = await dedupeDataset('math_finetunes.jsonl');
 * console.log(`${written} examples in ${output}, ${duplicates} duplicates dropped`);
 * ```
 */
export async function dedupeDataset(file: string, options: DedupeDatasetOptions = {}): Promise<DedupeResult> {
  const { output = defaultOutput(inputFile(file), besideInput(file, 'deduped'), 'output', '-o'), ...rest } = options;
  const merged = await mergeDatasets([file], output, rest);
  return { ...(merged.shards[0] as ShardCounts), output };
}
