import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { DatasetError } from '../errors.js';
import type { ByteRange } from './lines.js';
import type { RangeHooks, RangeResult, RangeSettings } from './validate-range.js';

/** What a validation thread is started with. */
export interface WorkerInput {
  readonly file: string;
  readonly range: ByteRange;
  readonly settings: RangeSettings;
}

/** What a validation thread sends back. */
export type WorkerMessage =
  | { readonly type: 'digests'; readonly records: Uint32Array }
  | { readonly type: 'progress'; readonly bytes: number }
  | { readonly type: 'done'; readonly result: RangeResult }
  | { readonly type: 'failed'; readonly message: string };

// Threads are worth their start-up (about 30 ms) only for ranges this big.
export const minRangeBytes = 32 << 20;
// Each thread beyond the first costs about 35 MB (its own V8 heap). Two halve the time on a
// 1 GB file and keep the process under 200 MB; more are for those who ask (`threads: n`).
const maxAutoThreads = 2;

/** Threads `'auto'` uses: the cores Node may use, at most 2. */
export function autoThreads(): number {
  return Math.max(1, Math.min(availableParallelism(), maxAutoThreads));
}

/**
 * The built worker script beside this module (dist/validate-worker.js), or undefined when
 * running from sources or bundled into an app without it: then everything runs on one thread.
 */
export function workerScript(): string | undefined {
  // tsup's shims define __dirname in the ESM build too.
  if (typeof __dirname !== 'string') return undefined;
  const script = join(__dirname, 'validate-worker.js');
  return existsSync(script) ? script : undefined;
}

/** Validates one range of a file on a worker thread, as `validateRange` would on this one. */
export function validateInWorker(script: string, input: WorkerInput, hooks: Pick<RangeHooks, 'onProgress'> & { readonly onDigests: (records: Uint32Array) => void }): { readonly result: Promise<RangeResult>; readonly stop: () => void } {
  // The worker runs only this package's code: the process's own flags (--input-type, --eval,
  // loaders) would make Node refuse to start it or slow it down. A 16 MB young generation
  // (default 48) took 15 MB off the peak on a 1 GB file at the same speed; 8 MB was worse.
  const worker = new Worker(script, { workerData: input, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: 16 } });
  const result = new Promise<RangeResult>((resolve, reject) => {
    const crash = (message: string): void => reject(new DatasetError(input.file, undefined, `Cannot validate ${input.file} (bytes ${input.range.start} to ${input.range.end}) on a worker thread: ${message}. Validate on one thread instead (threads: 1, --threads 1).`));
    worker.on('message', (message: WorkerMessage) => {
      if (message.type === 'digests') hooks.onDigests(message.records);
      else if (message.type === 'progress') hooks.onProgress(message.bytes);
      else if (message.type === 'done') resolve(message.result);
      else reject(new DatasetError(input.file, undefined, message.message));
    });
    worker.on('error', (error) => crash(error.message));
    worker.on('exit', (code) => crash(`the thread exited with code ${code} before it finished`));
  });
  return { result, stop: () => void worker.terminate() };
}
