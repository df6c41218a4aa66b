import { DatasetError } from '../../errors.js';
import type { SkippedLine } from '../../dataset/records.js';
import { exitCodes } from '../exit-codes.js';
import { byteProgress, plural } from '../output.js';

/** What every transform command gets: a stop signal, a progress callback, a skip reporter. */
export interface TransformRun {
  /** Aborted on SIGINT or SIGTERM, so the command removes its partial files before exiting. */
  readonly signal: AbortSignal;
  readonly onProgress: (bytesRead: number, totalBytes: number) => void;
  readonly onSkip: (skipped: SkippedLine) => void;
}

/** Skipped lines printed one by one; past this, only their number. */
const shownSkips = 20;

/**
 * Runs a transform with Ctrl-C handled (the library then removes its partial files: an
 * interrupted command leaves nothing half-written), a progress bar in a terminal, and every
 * skipped line reported on stderr (the first {@link shownSkips}, then a count).
 */
export async function runTransform<T>(label: string, work: (run: TransformRun) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = (signal: 'SIGINT' | 'SIGTERM'): void => {
    process.exitCode = exitCodes[signal];
    controller.abort(new DatasetError('', undefined, `Stopped by ${signal}: no output was written and the partial files were removed.`));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const bar = byteProgress(label);
  let skipped = 0;
  try {
    return await work({
      signal: controller.signal,
      onProgress: bar.update,
      onSkip: ({ file, line, reason }) => {
        if (++skipped <= shownSkips) process.stderr.write(`fn-distil: skipped ${file}:${line}: ${reason}\n`);
      },
    });
  } finally {
    bar.stop();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    if (skipped > shownSkips) process.stderr.write(`fn-distil: skipped ${plural(skipped - shownSkips, 'more invalid line')} not shown\n`);
  }
}
