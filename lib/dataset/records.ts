import { DatasetError } from '../errors.js';
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
  /** Empty or whitespace-only lines, which are not examples and are not written. */
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
      throw new DatasetError(
        file,
        line,
        `${file}:${line}: ${reason}. Fix or remove the line${options.canSkip === false ? '' : ', or leave bad lines out with --skip-invalid (`skipInvalid: true` in code)'}.`,
      );
    }
    counts.skipped++;
    options.onSkip?.({ file, line, reason });
  };
}

/**
 * Reads every example line of `file` as a JSON object and hands it to `visit`, in order, in
 * constant memory. Blank lines are counted and passed over; a line that is not a JSON object is
 * a {@link DatasetError} at `file:line` (or, with `skipInvalid`, counted and reported). `visit`
 * may reject a line too, through the {@link Reject} it is given, and may return a promise
 * (a writer's backpressure), which is awaited before the next line.
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
      const text = withoutBom(lines[i] as string);
      if (isBlank(text)) {
        counts.blank++;
        continue;
      }
      counts.read++;
      const line = firstLine + i;
      const value = parseObject(text);
      if (typeof value === 'string') {
        reject(line, value);
        continue;
      }
      const pending = visit({ text, value, line }, reject);
      if (pending !== undefined) await pending;
    }
    options.onProgress?.(batch.bytesRead);
  }
  throwIfStopped(options.signal, file);
  return counts;
}

/** A line's JSON object, or why it is not one. */
export function parseObject(text: string): Readonly<Record<string, unknown>> | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `the line is not valid JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return `the line is JSON but not an object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`;
  }
  return value as Readonly<Record<string, unknown>>;
}

/**
 * The line without a leading byte order mark, which some Windows editors write at the start of
 * a file: it is not JSON, and copied into the middle of a merged file it would break the line.
 */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Empty or only whitespace: not an example. */
export function isBlank(text: string): boolean {
  return text.length === 0 || text.trim().length === 0;
}

/** Throws if `signal` was aborted (an interrupted command), naming what was being read. */
export function throwIfStopped(signal: AbortSignal | undefined, file: string): void {
  if (signal?.aborted !== true) return;
  const reason: unknown = signal.reason;
  if (reason instanceof DatasetError) throw reason;
  throw new DatasetError(file, undefined, `Stopped while reading ${file}: nothing was written.`, { cause: reason });
}
