import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Heap in use after a full collection: what is really retained, not garbage waiting for GC. */
export function retainedHeap(): number {
  gc();
  return process.memoryUsage().heapUsed;
}
