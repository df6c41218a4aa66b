import type { transport as TransportStream } from 'winston';

const LEVEL = Symbol.for('level');
const MESSAGE = Symbol.for('message');

type LogInfo = { level: string; message: string; [key: symbol]: string };
type Loggable = TransportStream & { log(info: LogInfo, next: () => void): unknown; eol?: unknown; silent?: boolean };

function info(text: string): LogInfo {
  return { level: 'info', message: text, [LEVEL]: 'info', [MESSAGE]: text };
}

/**
 * winston's own File, Stream and Console transports write `info[MESSAGE] + eol`, so many lines
 * joined by their eol make one write: the batching that keeps capture close to raw-stream speed.
 * Any other transport gets one `log()` per example, since it may treat each call as one record.
 */
function lineSeparator(transport: Loggable): string | undefined {
  const name = transport.constructor.name;
  return (name === 'File' || name === 'Stream' || name === 'Console') && typeof transport.eol === 'string'
    ? transport.eol
    : undefined;
}

/**
 * Hands `lines` to `transport` through `log(info, callback)`, one call outstanding at a time,
 * and resolves when the transport has called back for the last one.
 *
 * The line is set as `info[MESSAGE]` and `log()` is called directly, skipping the transport's
 * format and level (a dataset line must be the example JSON alone) and skipping winston's
 * `_writev`, which reports writes done before `log()` has taken them and loses lines at `end()`
 * (https://github.com/winstonjs/winston-transport/issues/49).
 */
export function deliver(target: TransportStream, lines: readonly string[]): Promise<void> {
  const transport = target as Loggable;
  if (transport.silent === true || lines.length === 0) return Promise.resolve();
  const separator = lineSeparator(transport);
  const texts = separator === undefined ? lines : [lines.join(separator)];
  return new Promise((resolve) => {
    let next = 0;
    const pump = (): void => {
      while (next < texts.length) {
        let calledBack = false;
        let returned = false;
        transport.log(info(texts[next++] as string), () => {
          if (calledBack) return;
          calledBack = true;
          if (returned) pump();
        });
        returned = true;
        if (!calledBack) return;
      }
      resolve();
    };
    pump();
  });
}

type Internals = {
  _opening?: boolean;
  _stream?: { writableLength: number; readableLength: number };
  _dest?: { writableLength: number; pending?: boolean; destroyed?: boolean; errored?: Error | null };
};

/** Where a transport stands with what it accepted. */
export type WriteState = 'written' | 'pending' | 'broken';

/**
 * The error that broke a File transport's destination, if it is broken. winston's File only
 * debug-logs errors of the file stream it opened (it emits nothing until `end()`), so a full
 * disk would otherwise go unnoticed while every later line is lost.
 */
export function brokenBy(target: TransportStream): Error | undefined {
  const dest = (target as unknown as Internals)._dest;
  if (dest?.destroyed !== true) return undefined;
  return dest.errored ?? new Error('its file stream was closed before the examples were written');
}

/**
 * Whether a File transport has passed everything it accepted to the file. Its `log()` calls
 * back once its internal PassThrough took the data, before the file has it, and it has no
 * public flush, so this reads its internal streams (winston 3.x `_opening`, `_stream`, `_dest`).
 * Transports without them count as written once they called back.
 */
export function writeState(target: TransportStream): WriteState {
  const { _opening: opening, _stream: through, _dest: dest } = target as unknown as Internals;
  if (through === undefined) return 'written';
  if (opening === true) return 'pending';
  if (dest === undefined) return through.writableLength === 0 && through.readableLength === 0 ? 'written' : 'pending';
  if (dest.destroyed === true) return 'broken';
  return through.writableLength === 0 && through.readableLength === 0 && dest.writableLength === 0 && dest.pending !== true
    ? 'written'
    : 'pending';
}
