// Entry point of a validation thread (dist/validate-worker.js): validates one range of a file
// and streams its line digests back, so the main thread decides duplicates across all ranges.
import { parentPort, workerData } from 'node:worker_threads';
import { recordWords } from './line-digests.js';
import { validateRange } from './validate-range.js';
import type { WorkerInput, WorkerMessage } from './threads.js';

const port = parentPort;
if (port !== null) {
  const { file, range, settings } = workerData as WorkerInput;
  const send = (message: WorkerMessage, transfer: ArrayBuffer[] = []): void => port.postMessage(message, transfer);
  try {
    const result = await validateRange(file, range, settings, {
      onDigests: (records, count) => {
        const copy = records.slice(0, count * recordWords);
        send({ type: 'digests', records: copy }, [copy.buffer]);
      },
      onProgress: (bytes) => send({ type: 'progress', bytes }),
    });
    send({ type: 'done', result });
  } catch (error) {
    send({ type: 'failed', message: (error as Error).message ?? String(error) });
  }
}
