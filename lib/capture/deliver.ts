import { once } from 'node:events';
import winston from 'winston';
import type { transport as TransportStream } from 'winston';
import type { Batch } from './batch.js';

const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

type LogInfo = { level: string; message: string; [key: symbol]: string };
type Loggable = TransportStream & { log(info: LogInfo, next: () => void): unknown; eol?: unknown; silent?: boolean; isObjectMode?: boolean };

type Writable = NodeJS.WritableStream & {
  writableLength: number;
  readableLength?: number;
  writableNeedDrain?: boolean;
  destroyed?: boolean;
  errored?: Error | null;
  writableEnded?: boolean;
  pending?: boolean;
};

/** The streams inside winston's own File and Stream transports (winston 3.x), read to know what is written. */
type Internals = { _opening?: boolean; _rotate?: boolean; _stream?: Writable; _dest?: Writable };

type Kind = 'file' | 'stream' | 'console' | 'other';

/** A stream writing to a file (`fs.WriteStream`): the one kind of destination a torn line can be cut from. */
export type FileStream = Writable & { readonly path: string | Buffer; readonly bytesWritten: number; readonly start?: number };

function isFileStream(stream: unknown): stream is FileStream {
  const candidate = stream as Partial<FileStream> | undefined;
  return (
    typeof candidate?.bytesWritten === 'number' && (typeof candidate.path === 'string' || Buffer.isBuffer(candidate.path))
  );
}

// winston loads its transport classes lazily, on each read of `winston.transports.X`: read them
// once, here, so a delivery never loads code (late ones could run after a test runner's teardown).
const { File: FileTransport, Stream: StreamTransport, Console: ConsoleTransport } = winston.transports;

/**
 * winston's own File, Stream and Console transports (and subclasses) write `info[MESSAGE] + eol`;
 * others are opaque. Checked by class and, for a second copy of winston, by name.
 */
function kind(transport: TransportStream): Kind {
  const loggable = transport as Loggable;
  if (typeof loggable.eol !== 'string') return 'other';
  const name = transport.constructor.name;
  if (transport instanceof FileTransport || name === 'File') return 'file';
  if (transport instanceof StreamTransport || name === 'Stream') return loggable.isObjectMode === true ? 'other' : 'stream';
  if (transport instanceof ConsoleTransport || name === 'Console') return 'console';
  return 'other';
}

function info(text: string): LogInfo {
  return { level: 'info', message: text, [LEVEL]: 'info', [MESSAGE]: text };
}

/**
 * Hands a batch of lines to `transport` through `log(info, callback)`, one call outstanding at a
 * time, and resolves when the transport has called back for the last one (and, for a Stream
 * transport, when its stream has room again: it calls back at once, ignoring backpressure).
 * Rejects if `log()` throws.
 *
 * Line writers (File, Stream, Console) get many lines joined by their eol in one `log()`: the
 * batching that keeps capture close to raw-stream speed. Any other transport (and an objectMode
 * Stream) gets one `log()` per example, since it may treat each call as one record.
 *
 * The line is set as `info[MESSAGE]` and `log()` is called directly, skipping the transport's
 * format and level (a dataset line must be the example JSON alone) and skipping winston's
 * `_writev`, which reports writes done before `log()` has taken them and loses lines at `end()`
 * (https://github.com/winstonjs/winston-transport/issues/49).
 */
export function deliver(target: TransportStream, batch: Batch): Promise<void> {
  const transport = target as Loggable;
  if (transport.silent === true || batch.count === 0) return Promise.resolve();
  const type = kind(transport);
  const texts =
    type === 'other' ? batch.lines() : [transport.eol === '\n' ? batch.text() : batch.lines().join(transport.eol as string)];
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    const pump = (): void => {
      while (next < texts.length) {
        let calledBack = false;
        let returned = false;
        try {
          transport.log(info(texts[next++] as string), () => {
            if (calledBack) return;
            calledBack = true;
            if (returned) pump();
          });
        } catch (error) {
          reject(error);
          return;
        }
        returned = true;
        if (!calledBack) return;
      }
      resolve();
    };
    pump();
  }).then(() => {
    const stream = (transport as unknown as Internals)._stream;
    if (type !== 'stream' || stream === undefined || stream.writableNeedDrain !== true) return undefined;
    // A stream that dies instead of draining must not hold the delivery forever.
    return Promise.race([once(stream, 'drain'), once(stream, 'close')]).then(() => undefined);
  });
}

/**
 * The file a transport writes to now: a File transport's file stream (`undefined` while it opens
 * one), or the `fs.WriteStream` given to a Stream transport. `undefined` for any other transport.
 */
export function fileStream(target: TransportStream): FileStream | undefined {
  const type = kind(target);
  const { _dest: dest, _stream: stream } = target as unknown as Internals;
  const candidate = type === 'file' ? dest : type === 'stream' ? stream : undefined;
  return isFileStream(candidate) ? candidate : undefined;
}

/** Whether a transport writes its lines to a file: winston's File, or a Stream over an `fs.WriteStream`. */
export function writesFile(target: TransportStream): boolean {
  return kind(target) === 'file' || fileStream(target) !== undefined;
}

/** The line ending a line-writing transport adds, as bytes. */
export function eolOf(target: TransportStream): string {
  const eol = (target as Loggable).eol;
  return typeof eol === 'string' ? eol : '\n';
}

/** Whether a File transport may switch files (rotation by `maxsize`). */
export function rotates(target: TransportStream): boolean {
  const maxsize = (target as { maxsize?: unknown }).maxsize;
  return typeof maxsize === 'number' && maxsize > 0;
}

/**
 * The stream a Stream transport writes to. winston does not listen to its errors, so one there
 * (a full disk under `fs.createWriteStream`) would be thrown as an unhandled 'error' event.
 */
export function ownStream(target: TransportStream): Writable | undefined {
  return kind(target) === 'stream' ? (target as unknown as Internals)._stream : undefined;
}

/** Where a transport stands with what it accepted. */
export type WriteState = 'written' | 'pending' | 'broken';

/**
 * The error that broke a transport's destination, if it is broken. winston's File only
 * debug-logs errors of the file stream it opened (it emits nothing until `end()`), so a full
 * disk would otherwise go unnoticed while every later line is lost. A File's stream closed
 * without an error is normal (rotation, `lazy`); a Stream transport's stream that is destroyed
 * or ended takes nothing more, error or not.
 */
export function brokenBy(target: TransportStream): Error | undefined {
  const type = kind(target);
  const internals = target as unknown as Internals;
  if (type === 'file') {
    // Not `instanceof Error`: an fs error may come from another realm (vm contexts, test runners).
    const error = internals._dest?.errored;
    return error != null && internals._rotate !== true ? error : undefined;
  }
  if (type === 'stream') {
    const stream = internals._stream;
    if (stream === undefined) return undefined;
    if (stream.errored != null) return stream.errored;
    if (stream.destroyed === true || stream.writableEnded === true) return new Error('its stream was closed or ended');
  }
  return undefined;
}

/**
 * Whether a transport has passed everything it accepted on to its destination. File's `log()`
 * calls back once its internal PassThrough took the data, before the file has it, and it has no
 * public flush, so this reads its internal streams; a Stream transport's stream is read for
 * bytes it still buffers. Other transports count as written once they called back.
 */
export function writeState(target: TransportStream): WriteState {
  if (brokenBy(target) !== undefined) return 'broken';
  const type = kind(target);
  const { _opening: opening, _rotate: rotating, _stream: through, _dest: dest } = target as unknown as Internals;
  if (type === 'stream') return through === undefined || through.writableLength === 0 ? 'written' : 'pending';
  if (type !== 'file' || through === undefined) return 'written';
  if (opening === true || rotating === true) return 'pending';
  const passed = through.writableLength === 0 && through.readableLength === 0;
  if (dest === undefined || dest.destroyed === true) return passed ? 'written' : 'pending';
  return passed && dest.writableLength === 0 && dest.pending !== true ? 'written' : 'pending';
}

/**
 * Whether `end()` was called on a transport or a logger. winston builds on readable-stream 3,
 * whose Writable has no `writableEnded`: its state says it.
 */
export function ended(target: object): boolean {
  const stream = target as { writableEnded?: boolean; _writableState?: { ending?: boolean; ended?: boolean } };
  return stream.writableEnded === true || stream._writableState?.ending === true || stream._writableState?.ended === true;
}
