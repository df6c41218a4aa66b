import { createWriteStream, mkdirSync, renameSync, rmSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { DatasetError } from '../errors.js';

/**
 * Writes lines to a file in large batches, honouring backpressure, so memory stays constant.
 * The file appears in two steps, so that several files can appear together (see `withWriters`):
 * `finish()` writes everything to `<file>.partial`, `commit()` renames it into place.
 */
export interface LineWriter {
  /** Queues one line (without its `\n`); await it only when it returns a promise. */
  write(line: string): Promise<void> | undefined;
  /** Lines written so far. */
  readonly lines: number;
  /** Writes what is queued and closes the partial file; a failure is a {@link DatasetError}. */
  finish(): Promise<void>;
  /** Puts the finished file in place (a rename); a failure is a {@link DatasetError}. */
  commit(): void;
  /** Stops and removes what this writer left on disk: the partial file, or the file once committed. */
  abort(): void;
}

const batchChars = 1 << 20;

/**
 * A {@link LineWriter} for `file`. Lines go to `<file>.partial` and the file appears only when
 * everything is written, so an interrupted command never leaves a torn dataset where a complete
 * one is expected.
 */
export function openLineWriter(file: string): LineWriter {
  const partial = `${file}.partial`;
  const cannotWrite = (cause: unknown): DatasetError => new DatasetError(file, undefined, `Cannot write ${file}: ${(cause as Error).message}.`, { cause });
  let stream: WriteStream;
  try {
    mkdirSync(dirname(file), { recursive: true });
    stream = createWriteStream(partial);
  } catch (cause) {
    throw cannotWrite(cause);
  }
  let failure: unknown;
  stream.on('error', (error) => (failure ??= error));
  let buffer = '';
  let lines = 0;
  let committed = false;
  let aborted = false;
  const check = (): void => {
    // A destroyed stream neither takes writes nor says so: waiting for 'drain' would never end.
    if (aborted) throw new DatasetError(file, undefined, `Stopped writing ${file}: the partial file was removed.`);
    if (failure !== undefined) throw cannotWrite(failure);
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
      .then(check, check);
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
    async finish() {
      check();
      if (buffer !== '') await flush();
      stream.end();
      // `finished` removes its listeners when it settles; its rejection is the stream error the
      // listener above has recorded, which `check` turns into a DatasetError.
      await finished(stream).catch(() => undefined);
      check();
    },
    commit() {
      try {
        renameSync(partial, file);
      } catch (cause) {
        throw cannotWrite(cause);
      }
      committed = true;
    },
    abort() {
      aborted = true;
      const written = committed ? file : partial;
      // Still opening (a stop right at the start): the file would appear after this removal.
      if (stream.pending) stream.once('close', () => rmSync(written, { force: true }));
      stream.destroy();
      rmSync(written, { force: true });
    },
  };
}
