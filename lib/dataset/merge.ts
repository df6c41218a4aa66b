import { ConfigurationError } from '../errors.js';
import { ValueDigestSet, valueDigest } from './value-digests.js';
import { inputFile, type InputFile } from './lines.js';
import { checkOutputs, withWriters } from './outputs.js';
import { scanRecords, type SkippedLine } from './records.js';

/**
 * Options of {@link mergeDatasets}.
 *
 * @example
 * ```ts
 * const options: MergeDatasetsOptions = { skipInvalid: true, onSkip: ({ file, line, reason }) => console.warn(`${file}:${line}: ${reason}`) };
 * ```
 */
export interface MergeDatasetsOptions {
  /** Drop every example already written (the same JSON value, key order and spacing ignored). @default true */
  readonly dedupe?: boolean;
  /** Leave out lines that are not JSON objects, reporting each to `onSkip`, instead of failing. @default false */
  readonly skipInvalid?: boolean;
  /** Called for each line left out by `skipInvalid`. */
  readonly onSkip?: (skipped: SkippedLine) => void;
  /** Called as the shards are read, with bytes read over all of them (not while a pipe is read: its size is unknown). */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops the merge; no output is left behind. */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link MergeDatasetsOptions}, merged in one place. */
export const mergeDefaults = { dedupe: true, skipInvalid: false } as const satisfies MergeDatasetsOptions;

/**
 * What was read from one input file and what became of its lines.
 *
 * @example
 * ```ts
 * const { shards } = await mergeDatasets(['a.jsonl', 'b.jsonl'], 'all.jsonl');
 * shards.forEach((shard: ShardCounts) => console.log(shard.file, shard.written, shard.duplicates));
 * ```
 */
export interface ShardCounts {
  readonly file: string;
  /** Example lines read (every line that is not blank). */
  readonly read: number;
  /** Lines written to the output. */
  readonly written: number;
  /** Lines dropped because the same example was already written (from this file or an earlier one). */
  readonly duplicates: number;
  /** Blank lines, which are not examples and are not written. */
  readonly blank: number;
  /** Lines left out because they are not JSON objects (only with `skipInvalid`). */
  readonly skipped: number;
}

/**
 * What {@link mergeDatasets} wrote: totals over every shard, and each shard's own counts.
 *
 * @example
 * ```ts
 * const merged: MergeResult = await mergeDatasets(['a.jsonl', 'b.jsonl'], 'all.jsonl');
 * console.log(`${merged.written} written, ${merged.duplicates} duplicates, ${merged.skipped} skipped`);
 * ```
 */
export interface MergeResult extends Omit<ShardCounts, 'file'> {
  readonly output: string;
  readonly shards: readonly ShardCounts[];
}

/**
 * Concatenates dataset shards (say one file per process or machine that captured examples) into
 * one file, in shard order, keeping the first occurrence of each example and dropping later
 * duplicates within and across shards. Two lines are duplicates when they hold the same JSON
 * value: key order, spacing and number spelling do not count. Memory stays bounded by a 128-bit
 * digest per distinct example (21 to 43 bytes each), never the lines themselves. Lines are
 * written as they were read. A line that is not a JSON object is a {@link DatasetError} with its
 * file and line, unless `skipInvalid` leaves it out (and reports it).
 *
 * @example
 * ```ts
 * import { mergeDatasets } from 'fn-distil';
 *
 * const merged = await mergeDatasets(['host-a.jsonl', 'host-b.jsonl'], 'all.jsonl');
 * console.log(`${merged.written} examples, ${merged.duplicates} duplicates dropped`);
 * ```
 */
export async function mergeDatasets(shards: readonly string[], output: string, options: MergeDatasetsOptions = {}): Promise<MergeResult> {
  if (shards.length === 0) throw new ConfigurationError('shards', 'No dataset file to merge: give at least one shard.');
  const repeated = shards.find((shard, i) => shards.indexOf(shard) !== i);
  if (repeated !== undefined) throw new ConfigurationError('shards', `${repeated} is given twice: give each shard once.`);
  checkOutputs(shards, [{ file: output, option: 'output' }]);
  const inputs = shards.map(inputFile);
  // A pipe has no size: its progress is not reported.
  const total = inputs.reduce((sum, input) => sum + input.size, 0);
  const dedupe = options.dedupe ?? mergeDefaults.dedupe;
  const skipInvalid = options.skipInvalid ?? mergeDefaults.skipInvalid;
  const { onSkip, onProgress, signal } = options;

  const counts = await withWriters([output], async ([writer]) => {
    const seen = new ValueDigestSet();
    const perShard: ShardCounts[] = [];
    let offset = 0;
    for (const [i, shard] of shards.entries()) {
      let written = 0;
      let duplicates = 0;
      const { regular, size } = inputs[i] as InputFile;
      const progress = (bytes: number): void => {
        if (regular) onProgress?.(offset + bytes, total);
      };
      const scanned = await scanRecords(shard, { skipInvalid, onSkip, signal, onProgress: progress }, (record) => {
        if (dedupe && !seen.add(valueDigest(record.value))) {
          duplicates++;
          return undefined;
        }
        written++;
        return writer.write(record.text);
      });
      perShard.push({ file: shard, ...scanned, written, duplicates });
      offset += size;
    }
    return perShard;
  }, signal);
  const sum = (key: Exclude<keyof ShardCounts, 'file'>): number => counts.reduce((total, shard) => total + shard[key], 0);
  return {
    output,
    read: sum('read'),
    written: sum('written'),
    duplicates: sum('duplicates'),
    blank: sum('blank'),
    skipped: sum('skipped'),
    shards: counts,
  };
}
