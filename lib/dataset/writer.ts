import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { DatasetError } from '../errors.js';

/** Writes lines to a file in large batches, honouring backpressure, so memory stays constant. */
export interface LineWriter {
  /** Queues one line (without its `\n`); await it only when it returns a promise. */
  write(line: string): Promise<void> | undefined;
  /** Lines written so far. */
  readonly lines: number;
  /** Writes what is queued and puts the file in place. */
  close(): Promise<void>;
  /** Stops and removes the partial file (after an error). */
  abort(): void;
}

const batchChars = 1 << 20;

/**
 * A {@link LineWriter} for `file`. Lines go to `<file>.partial` and the file appears only when
 * `close()` has written everything, so an interrupted command never leaves a torn dataset
 * where a complete one is expected.
 */
export function openLineWriter(file: string): LineWriter {
  const partial = `${file}.partial`;
  let stream: WriteStream;
  try {
    mkdirSync(dirname(file), { recursive: true });
    stream = createWriteStream(partial);
  } catch (cause) {
    throw new DatasetError(file, undefined, `Cannot write ${file}: ${(cause as Error).message}.`, { cause });
  }
  let failure: unknown;
  stream.on('error', (error) => (failure ??= error));
  let buffer = '';
  let lines = 0;
  const check = (): void => {
    if (failure !== undefined) throw new DatasetError(file, undefined, `Cannot write ${file}: ${(failure as Error).message}.`, { cause: failure });
  };
  const flush = (): Promise<void> | undefined => {
    check();
    const ok = stream.write(buffer);
    buffer = '';
    if (ok) return undefined;
    // Remove the listener that lost the race: one left per wait adds up on a large file.
    const settled = new AbortController();
    return Promise.race([once(stream, 'drain', { signal: settled.signal }), once(stream, 'error', { signal: settled.signal })])
      .finally(() => settled.abort())
      .then(check);
  };
  return {
    write(line) {
      buffer += `${line}\n`;
      lines++;
      return buffer.length >= batchChars ? flush() : undefined;
    },
    get lines() {
      return lines;
    },
    async close() {
      if (buffer !== '') await flush();
      stream.end();
      await Promise.race([once(stream, 'finish'), once(stream, 'error')]);
      check();
      renameSync(partial, file);
    },
    abort() {
      stream.destroy();
      rmSync(partial, { force: true });
    },
  };
}
