import Table from 'cli-table3';
import { SingleBar } from 'cli-progress';

// One wording of numbers for the library's messages and the CLI's.
export { formatNumber, plural } from '../dataset/numbers.js';

/** Writes a value as pretty JSON on stdout, for `--json`. */
export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** What a list command prints: the items as JSON with `--json`, else `none` for an empty list or `print(items)`. */
export function printList<T>(items: readonly T[], json: boolean | undefined, none: string, print: (items: readonly T[]) => void): void {
  if (json === true) printJson(items);
  else if (items.length === 0) process.stdout.write(`${none}\n`);
  else print(items);
}

/** A plain text table (no colours, so it reads the same in a terminal, a pipe or a CI log). */
export function renderTable(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): string {
  const table = new Table({ head: [...head], style: { head: [], border: [] } });
  for (const row of rows) table.push(row.map(String));
  return table.toString();
}

/** Prints a table on stdout. */
export function printTable(head: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number>>): void {
  process.stdout.write(`${renderTable(head, rows)}\n`);
}

/** A progress display on stderr, shown only in a terminal so pipes and logs stay clean. */
export interface Progress {
  update(value: number, total?: number): void;
  stop(): void;
}

/**
 * A progress bar for `label` (bytes uploaded, bytes validated, seconds waited), or a no-op when
 * stderr is not a terminal.
 */
export function progress(label: string, total: number, unit = ''): Progress {
  if (process.stderr.isTTY !== true) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar({
    stream: process.stderr,
    format: `${label} [{bar}] {percentage}% {value}/{total}${unit === '' ? '' : ` ${unit}`}`,
    hideCursor: true,
    clearOnComplete: true,
  });
  bar.start(total, 0);
  return {
    update: (value, newTotal) => {
      if (newTotal !== undefined) bar.setTotal(newTotal);
      bar.update(value);
    },
    stop: () => bar.stop(),
  };
}

/** One line of status on stderr, replaced by the next status and cleared before other output. */
export interface StatusLine {
  show(text: string): void;
  /** Removes the line, if shown: call it before printing anything else. */
  clear(): void;
}

const clearLine = '\r\x1b[2K';

/**
 * A status line (a job's status while nothing else is printed), or a no-op unless stdout and
 * stderr are both a terminal: the line is on stderr and must be cleared before a line on stdout,
 * which only works when both end up on the same screen. Pipes and logs get nothing extra.
 */
export function statusLine(): StatusLine {
  if (process.stdout.isTTY !== true || process.stderr.isTTY !== true) return { show: () => undefined, clear: () => undefined };
  let shown = false;
  return {
    show: (text) => {
      // A line wider than the terminal wraps, and only its last row would be cleared.
      const width = process.stderr.columns;
      process.stderr.write(`${clearLine}${width !== undefined && width > 1 && text.length >= width ? text.slice(0, width - 1) : text}`);
      shown = true;
    },
    clear: () => {
      if (shown) process.stderr.write(clearLine);
      shown = false;
    },
  };
}

/** What reports bytes read or sent to a {@link byteProgress} display. */
export interface ByteProgress {
  /** An `onProgress` callback: bytes done so far, out of `total`. */
  readonly update: (bytes: number, total: number) => void;
  readonly stop: () => void;
}

/**
 * A progress bar of bytes read or sent (a file being validated, transformed or uploaded), in
 * megabytes. It starts at the first report, which brings the total, so every library function's
 * `onProgress(bytes, total)` can feed it as it is.
 */
export function byteProgress(label: string): ByteProgress {
  let bar: Progress | undefined;
  const megabytes = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  return {
    update: (bytes, total) => {
      bar ??= progress(label, megabytes(total), 'MB');
      bar.update(megabytes(bytes), megabytes(total));
    },
    stop: () => bar?.stop(),
  };
}
