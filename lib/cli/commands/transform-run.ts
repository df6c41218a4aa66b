import { DatasetError } from '../../errors.js';
import type { SkippedLine } from '../../dataset/records.js';
import { escapeControls } from '../../dataset/values.js';
import { exitCodes } from '../exit-codes.js';
import { byteProgress, plural } from '../output.js';

/** What every transform command gets: a stop signal, a progress callback, a skip reporter. */
export interface TransformRun {
  /** Aborted on SIGINT, SIGTERM or SIGHUP, so the command removes its partial files before exiting. */
  readonly signal: AbortSignal;
  readonly onProgress: (bytesRead: number, totalBytes: number) => void;
  readonly onSkip: (skipped: SkippedLine) => void;
}

/** Skipped lines printed one by one; past this, only their number. */
const shownSkips = 20;

/** Signals that stop a transform cleanly: Ctrl-C, `kill`, and a closed terminal. */
const stopSignals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
type StopSignal = (typeof stopSignals)[number];

/** How long a stopped command may take to stop cleanly before it is ended anyway. */
const stopGraceMs = 1_000;

/**
 * Runs a transform with Ctrl-C handled (the library then removes its partial files: an
 * interrupted command leaves nothing half-written), a progress bar in a terminal, and every
 * skipped line reported on stderr (the first {@link shownSkips}, then a count).
 */
export async function runTransform<T>(label: string, work: (run: TransformRun) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let settled = false;
  const stop = (signal: StopSignal): void => {
    const message = `Stopped by ${signal}: no output was written and the partial files were removed.`;
    if (controller.signal.aborted) return leave(signal, message);
    process.exitCode = exitCodes[signal];
    // Aborting removes the partial files at once (withWriters); the command then ends when it
    // next reads a line. A read waiting on a pipe that sends nothing cannot be interrupted: Node
    // reads a FIFO on its thread pool, and even process.exit() waits for that read. After a
    // moment, or at a second Ctrl-C, the process ends by the signal itself (quietly if the
    // command has already said why it stopped).
    controller.abort(new DatasetError('', undefined, message));
    setTimeout(() => leave(signal, settled ? undefined : message), stopGraceMs).unref();
  };
  for (const signal of stopSignals) process.on(signal, stop);
  const bar = byteProgress(label);
  let skipped = 0;
  try {
    return await work({
      signal: controller.signal,
      onProgress: bar.update,
      onSkip: ({ file, line, reason }) => {
        if (++skipped <= shownSkips) process.stderr.write(`fn-distil: skipped ${file}:${line}: ${escapeControls(reason)}\n`);
      },
    });
  } finally {
    settled = true;
    bar.stop();
    for (const signal of stopSignals) process.off(signal, stop);
    if (skipped > shownSkips) process.stderr.write(`fn-distil: skipped ${plural(skipped - shownSkips, 'more invalid line')} not shown\n`);
  }
}

/**
 * Ends a stopped command now, by the signal that stopped it, after its one line on stderr: shells
 * report 128 + the signal's number (130, 143, 129), the exit code main() would have set.
 */
function leave(signal: StopSignal, message: string | undefined): void {
  if (message !== undefined) process.stderr.write(`fn-distil: ${message}\n`);
  // With no listener left, the signal's default action ends the process at once.
  process.removeAllListeners(signal);
  process.kill(process.pid, signal);
}
