// One measurement of `npm run bench`'s dataset benchmark, in a fresh process so that its peak
// memory (maxRSS) is its own: `tsx dataset-child.ts MODE FILE` prints {"seconds","lines","maxRssMB"}.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readLineBatches } from '../../lib/dataset/lines';

// The built package, as users run it: validation threads need dist/validate-worker.js.
const { datasetStats, validateDataset } = (await import(pathToFileURL(join(process.cwd(), 'dist', 'index.js')).href)) as typeof import('fn-distil');

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
} else if (mode === 'validate' || mode === 'validate-1-thread') {
  const report = await validateDataset([file], mode === 'validate' ? {} : { threads: 1 });
  if (report.errors.length > 0) throw new Error(`the generated file has errors: ${JSON.stringify(report.errors.slice(0, 3))}`);
  lines = report.examples;
} else if (mode === 'stats') {
  const stats = await datasetStats(file);
  lines = stats.examples;
} else throw new Error(`unknown mode ${mode}`);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ seconds, lines, maxRssMB: process.resourceUsage().maxRSS / 1024 }));
