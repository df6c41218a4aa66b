import { DatasetError } from '../errors.js';
import { isBlank, lineError, parseExampleLine } from './line-rules.js';
import { readLineBatches } from './lines.js';

/**
 * A line left out of an output because it is not usable, reported instead of dropped silently.
 *
 * @example
 * ```ts
 * await dedupeDataset('data.jsonl', { skipInvalid: true, onSkip: (skipped: SkippedLine) => console.warn(`${skipped.file}:${skipped.line}: ${skipped.reason}`) });
 * ```
 */
export interface SkippedLine {
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
  /** Why it was left out, e.g. `the line is not valid JSON (Unexpected end of JSON input)`. */
  readonly reason: string;
}

/** One example line: its text as read and its parsed value. */
export interface DatasetRecord {
  readonly text: string;
  readonly value: Readonly<Record<string, unknown>>;
  /** 1-based line number. */
  readonly line: number;
}

/** How a scan treats bad lines and reports its progress. */
export interface ScanOptions {
  /** Leave out bad lines (reporting each to `onSkip`) instead of failing at the first. */
  readonly skipInvalid?: boolean | undefined;
  readonly onSkip?: ((skipped: SkippedLine) => void) | undefined;
  /** Bytes of this file read so far. */
  readonly onProgress?: ((bytesRead: number) => void) | undefined;
  /** Stops the scan at the next batch of lines. */
  readonly signal?: AbortSignal | undefined;
  /** Whether the operation offers `skipInvalid`, so the error may suggest it. @default true */
  readonly canSkip?: boolean | undefined;
}

/** What a scan read from one file. */
export interface ScanCounts {
  /** Example lines read: every line but blank ones, including skipped ones. */
  read: number;
  /** Blank lines (empty or only spaces, tabs and CRs), which are not examples and are not written. */
  blank: number;
  /** Bad lines left out (only with `skipInvalid`). */
  skipped: number;
}

/** Decides what happens to a bad line: a {@link DatasetError} at `file:line`, or a reported skip. */
export type Reject = (line: number, reason: string) => void;

/** A {@link Reject} for `file`: throws unless `skipInvalid`, then counts and reports the line. */
export function rejecter(file: string, counts: ScanCounts, options: ScanOptions): Reject {
  return (line, reason) => {
    if (options.skipInvalid !== true) {
      throw lineError(file, line, reason, `Fix or remove the line${options.canSkip === false ? '' : ', or leave bad lines out with --skip-invalid (`skipInvalid: true` in code)'}.`);
    }
    counts.skipped++;
    options.onSkip?.({ file, line, reason });
  };
}

/**
 * Reads every example line of `file` as a JSON object and hands it to `visit`, in order, in
 * constant memory, by the rules of line-rules.ts. Blank lines are counted and passed over; a
 * line that is not a JSON object is a {@link DatasetError} at `file:line` (or, with
 * `skipInvalid`, counted and reported). `visit` may reject a line too, through the
 * {@link Reject} it is given, and may return a promise (a writer's backpressure), which is
 * awaited before the next line.
 */
export async function scanRecords(
  file: string,
  options: ScanOptions,
  visit: (record: DatasetRecord, reject: Reject) => Promise<void> | undefined,
): Promise<ScanCounts> {
  const counts: ScanCounts = { read: 0, blank: 0, skipped: 0 };
  const reject = rejecter(file, counts, options);
  for await (const batch of readLineBatches(file)) {
    throwIfStopped(options.signal, file);
    const { lines, firstLine } = batch;
    for (let i = 0; i < lines.length; i++) {
      const text = lines[i] as string;
      if (isBlank(text)) {
        counts.blank++;
        continue;
      }
      counts.read++;
      const line = firstLine + i;
      const parsed = parseExampleLine(text);
      if ('problem' in parsed) {
        reject(line, parsed.problem);
        continue;
      }
      const pending = visit({ text, value: parsed.value, line }, reject);
      if (pending !== undefined) await pending;
    }
    options.onProgress?.(batch.bytesRead);
  }
  throwIfStopped(options.signal, file);
  return counts;
}

/** Throws if `signal` was aborted (an interrupted command), naming what was being read. */
export function throwIfStopped(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted !== true) return;
  const reason: unknown = signal.reason;
  if (reason instanceof DatasetError) throw reason;
  throw new DatasetError(file, undefined, `Stopped while reading ${file}: nothing was written.`, { cause: reason });
}
