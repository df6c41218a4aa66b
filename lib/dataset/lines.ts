import { createReadStream, fstatSync, statSync, type ReadStream, type Stats } from 'node:fs';
import { constants } from 'node:buffer';
import { StringDecoder } from 'node:string_decoder';
import { ConfigurationError, DatasetError } from '../errors.js';
import { formatNumber } from './numbers.js';
import { byteOrderMark } from './line-rules.js';

/** A run of consecutive lines of a file, as one chunk of it was read. */
export interface LineBatch {
  /** The lines, without their `\n` (or `\r\n`). */
  readonly lines: readonly string[];
  /** 1-based number of `lines[0]` in the file. */
  readonly firstLine: number;
  /** Bytes of the file read so far, for progress displays. */
  readonly bytesRead: number;
  /** True on the first batch of a file that starts with a byte order mark, removed from `lines[0]`. */
  readonly byteOrderMark: boolean;
  /**
   * With `longLines: 'report'`, the indexes in `lines` of lines longer than {@link maxLineBytes}:
   * not read, and empty in `lines`.
   */
  readonly tooLong?: readonly number[];
}

// Measured on a 1 GB file (JSON.parse of every line): 1 MB reads left up to 66 MB of spent
// buffers waiting for the GC; 256 KB reads cut the peak from 125 to 88 MB at the same speed.
const chunkSize = 1 << 18;
// Each chunk is decoded in slices: bigger strings land in V8's large-object space, which only a
// full GC frees; slicing saved another 24 MB and a quarter of the time.
const sliceSize = 1 << 16;

/** Part of a file to read: bytes `start` (a line's first byte) up to `end` (exclusive). */
export interface ByteRange {
  readonly start: number;
  readonly end: number;
}

/** What {@link readLineBatches} does with a line longer than {@link maxLineBytes}. */
export type LongLines = 'throw' | 'report';

/**
 * Streams a file as batches of lines, in constant memory whatever its size (one chunk plus one
 * partial line). Batches keep the per-line cost to a plain loop: an async iteration per line
 * would cost more than the JSON parsing most callers do with it. A final line without `\n` is
 * still a line; a byte order mark at the start of the file is not part of the first line (see
 * line-rules.ts); a missing or unreadable file is a {@link DatasetError}. With a `range`, only
 * those bytes are read and line numbers count from its start.
 *
 * A line longer than {@link maxLineBytes} cannot be held as a string: by default it is a
 * {@link DatasetError} at its line (after the lines before it); with `longLines: 'report'` its
 * bytes are dropped and it comes as an empty line listed in its batch's `tooLong`, so a caller
 * can report it and read on.
 */
export async function* readLineBatches(file: string, range?: ByteRange, longLines: LongLines = 'throw'): AsyncGenerator<LineBatch> {
  const limit = maxLineBytes();
  let decoder = new StringDecoder('utf8');
  let partial = '';
  // Bytes of the line being read, so far; and whether that line is over the limit and dropped.
  let partialBytes = 0;
  let skipping = false;
  let lineNumber = 1;
  let bytesRead = 0;
  let fileStart = range === undefined || range.start === 0;
  // Only the file's first line can carry the mark: checked once, on the first batch.
  const withoutMark = (lines: string[]): boolean => {
    if (!fileStart) return false;
    fileStart = false;
    const first = lines[0] as string;
    if (!first.startsWith(byteOrderMark)) return false;
    lines[0] = first.slice(byteOrderMark.length);
    return true;
  };
  const batch = (lines: string[], tooLong: number[]): LineBatch => {
    const read = { lines, firstLine: lineNumber, bytesRead, byteOrderMark: withoutMark(lines), ...(tooLong.length === 0 ? {} : { tooLong }) };
    lineNumber += lines.length;
    return read;
  };
  // Lines too long among complete ones (over a short test limit, or a long partial line that
  // just ended): cleared and listed, or, by default, the error once the lines before are out.
  function* checked(lines: string[], tooLong: number[]): Generator<LineBatch> {
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.length * 3 <= limit || (line.length <= limit && Buffer.byteLength(line) <= limit)) continue;
      if (longLines === 'throw') {
        if (i > 0) yield batch(lines.slice(0, i), tooLong);
        throw lineTooLong(file, lineNumber, limit);
      }
      lines[i] = '';
      tooLong.push(i);
    }
    yield batch(lines, tooLong);
  }
  if (range !== undefined && range.end <= range.start) return;
  try {
    const stream = openStream(file, range);
    for await (const chunk of stream) {
      for (let at = 0; at < (chunk as Buffer).length; at += sliceSize) {
        let slice = (chunk as Buffer).subarray(at, at + sliceSize);
        bytesRead += slice.length;
        const tooLong: number[] = [];
        if (skipping) {
          const end = slice.indexOf(0x0a);
          if (end === -1) continue;
          // The dropped line ends here: it is the empty first line of what follows.
          skipping = false;
          slice = slice.subarray(end);
          tooLong.push(0);
        } else if (slice.indexOf(0x0a) === -1) {
          // Inside a long line: append without splitting, or each slice would copy all of it again.
          partialBytes += slice.length;
          if (partialBytes > limit) {
            if (longLines === 'throw') throw lineTooLong(file, lineNumber, limit);
            skipping = true;
            partial = '';
            partialBytes = 0;
            decoder = new StringDecoder('utf8');
            continue;
          }
          partial += decoder.write(slice);
          continue;
        }
        const text = partial + decoder.write(slice);
        const lines = text.split('\n');
        partial = lines.pop() as string;
        partialBytes = slice.length - 1 - slice.lastIndexOf(0x0a);
        if (lines.length === 0) continue;
        for (let i = 0; i < lines.length; i++) {
          const line = lines[i] as string;
          if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
        }
        yield* checked(lines, tooLong);
      }
    }
  } catch (cause) {
    if (cause instanceof DatasetError) throw cause;
    throw unreadable(file, cause);
  }
  if (skipping) {
    yield batch([''], [0]);
    return;
  }
  const rest = partial + decoder.end();
  const last = rest.endsWith('\r') ? rest.slice(0, -1) : rest;
  // A file ending in a lone CR (a CRLF cut before its LF) has no further line, like one ending in LF.
  if (last === '') return;
  yield* checked([last], []);
}

// V8 holds strings of at most 2^29 - 24 characters (about 512 MB) on 64-bit machines; a line's
// text is built from the bytes before its newline plus one 64 KB slice, so that much less.
const defaultMaxLineBytes = constants.MAX_STRING_LENGTH - sliceSize;

/**
 * The longest line the dataset reader takes, in bytes: about 512 MB, what a JavaScript string
 * can hold, or less with the environment variable `FN_DISTIL_MAX_LINE_BYTES`.
 */
export function maxLineBytes(): number {
  const given = process.env['FN_DISTIL_MAX_LINE_BYTES'];
  if (given === undefined || given === '') return defaultMaxLineBytes;
  const bytes = Number(given);
  if (!(Number.isSafeInteger(bytes) && bytes >= 1)) {
    throw new ConfigurationError('FN_DISTIL_MAX_LINE_BYTES', `FN_DISTIL_MAX_LINE_BYTES must be a whole number of bytes, 1 or more, got ${JSON.stringify(given)}.`);
  }
  return Math.min(bytes, defaultMaxLineBytes);
}

function lineTooLong(file: string, line: number, limit: number): DatasetError {
  return new DatasetError(
    file,
    line,
    `${file}:${line}: the line is longer than ${formatNumber(limit)} bytes, the most fn-distil reads as one line, so it cannot be read. ` +
      'An example that long is over every model\'s token limit: remove the line, or check that the file has its line breaks.',
  );
}

/**
 * What a dataset path is. A regular file has a size, and can be read twice or in byte ranges. A
 * pipe (`cat data.jsonl | fn-distil ... /dev/stdin`, a FIFO, `<(...)` in bash), a device or a
 * socket has no size and can be read only once, in order: `size` is 0 and `regular` false.
 */
export interface InputFile {
  readonly file: string;
  readonly size: number;
  readonly regular: boolean;
  /** What it is, for messages: `a file`, `a pipe`, `a device` or `a socket`. */
  readonly kind: string;
}

/**
 * Looks at a dataset path without opening it (opening a FIFO waits for a writer), or throws a
 * {@link DatasetError} saying why it cannot be read: missing, a directory, not allowed.
 */
export function inputFile(file: string): InputFile {
  let stats: Stats;
  try {
    stats = isStandardInput(file) ? fstatSync(0) : statSync(file);
  } catch (cause) {
    throw unreadable(file, cause);
  }
  if (stats.isDirectory()) throw new DatasetError(file, undefined, `${file} is a directory, not a JSONL file.`);
  if (stats.isFile()) return { file, size: stats.size, regular: true, kind: 'a file' };
  // A socket is what a pipe from a Node parent process is (child_process uses socket pairs).
  const kind = stats.isFIFO() || stats.isSocket() ? 'a pipe' : 'a device';
  return { file, size: 0, regular: false, kind };
}

/**
 * Refuses a pipe (or any input that is not a regular file) for an operation that must read its
 * input more than once: a pipe gives its data once, so the second read would wait forever.
 * `operation` is what is refused (`Cannot split /dev/stdin`), `why` why it reads twice.
 */
export function requireRegularFile(input: InputFile, operation: string, why: string): void {
  if (input.regular) return;
  throw new DatasetError(
    input.file,
    undefined,
    `${operation}: it is ${input.kind}, not a regular file, and ${why}. Save it to a file first (e.g. \`... > data.jsonl\`) and give that file.`,
  );
}

const standardInput = new Set(['/dev/stdin', '/dev/fd/0', '/proc/self/fd/0']);

/** Whether `file` names this process's standard input. */
function isStandardInput(file: string): boolean {
  return standardInput.has(file);
}

/**
 * The bytes of `file` (or of `range`). Standard input that is not a regular file is read from
 * file descriptor 0, without opening `/dev/stdin`: opening it fails (ENXIO) when it is a socket,
 * as when a Node process spawned this one.
 */
function openStream(file: string, range: ByteRange | undefined): ReadStream {
  if (range === undefined && isStandardInput(file) && !fstatSync(0).isFile()) return createReadStream('', { fd: 0, autoClose: false, highWaterMark: chunkSize });
  return createReadStream(file, { highWaterMark: chunkSize, ...(range === undefined ? {} : { start: range.start, end: range.end - 1 }) });
}

function unreadable(file: string, cause: unknown): DatasetError {
  const code = (cause as NodeJS.ErrnoException | undefined)?.code;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'it is a directory'
          : ((cause as Error | undefined)?.message ?? String(cause));
  return new DatasetError(file, undefined, `Cannot read ${file}: ${reason}. Check the path.`, { cause });
}
