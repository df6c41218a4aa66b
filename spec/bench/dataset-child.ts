// The baselines of `npm run bench`'s dataset benchmark, each in a fresh process so that its peak
// memory (maxRSS) is its own; the commands themselves run as the built CLI (see dataset.ts).
// `tsx dataset-child.ts MODE FILE` prints {"seconds","lines","maxRssMB"}.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { readLineBatches } from '../../lib/dataset/lines';

const [mode, file] = process.argv.slice(2) as [string, string];
let lines = 0;
const start = process.hrtime.bigint();
if (mode === 'readline-parse') {
  // The bare loop most people write: readline, then JSON.parse each line.
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    JSON.parse(line);
    lines++;
  }
} else if (mode === 'batches-parse') {
  // The same bare loop over the line reader the dataset commands use: the floor for validate.
  for await (const batch of readLineBatches(file)) {
    for (const line of batch.lines) JSON.parse(line);
    lines += batch.lines.length;
  }
} else throw new Error(`unknown mode ${mode}`);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, lines, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
