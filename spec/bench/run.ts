// `npm run bench`: each result is a ratio against a baseline measured in the same run, since
// machines are shared and noisy. Results go in docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distilToFile, overhead, prebuiltLines, rawStream } from './capture';

const calls = Number(process.env['BENCH_CALLS'] ?? 300_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rate = (seconds: number): string => `${Math.round(calls / seconds).toLocaleString('en-US')}/s`;

const dir = mkdtempSync(join(tmpdir(), 'fn-distil-bench-'));
try {
  console.log(`node ${process.version}, ${calls.toLocaleString('en-US')} calls, ${rounds} rounds (medians)\n`);
  const prebuilt = prebuiltLines(calls);
  const times = { distil: [] as number[], raw: [] as number[], rawPrebuilt: [] as number[] };
  await distilToFile(dir, 20_000); // warm-up
  await rawStream(dir, 20_000);
  for (let r = 0; r < rounds; r++) {
    times.distil.push(await distilToFile(dir, calls));
    times.raw.push(await rawStream(dir, calls));
    times.rawPrebuilt.push(await rawStream(dir, calls, prebuilt));
  }
  const [d, raw, pre] = [median(times.distil), median(times.raw), median(times.rawPrebuilt)];
  console.log('capture: distil(Multiply) into a winston File transport, including close()');
  console.log(`  distil + winston File                     ${rate(d)}`);
  console.log(`  raw fs stream, each line JSON.stringify'd  ${rate(raw)}   distil/raw = ${(raw / d).toFixed(2)}x (target >= 0.7x)`);
  console.log(`  raw fs stream, lines built ahead of time   ${rate(pre)}   distil/raw = ${(pre / d).toFixed(2)}x`);

  const { direct, wrapped } = await overhead(5_000_000, rounds);
  console.log('\noverhead: distil() with sampleRate 0 (output still validated) vs calling the function');
  console.log(`  direct ${direct.toFixed(1)} ns/call, wrapped ${wrapped.toFixed(1)} ns/call, overhead ${(wrapped - direct).toFixed(1)} ns/call (target < 150 ns), ratio ${(wrapped / direct).toFixed(1)}x`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
