// `npm run bench`: each result is a ratio against a baseline measured in the same run, since
// machines are shared and noisy. Results go in docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distilToFile, overhead, prebuiltLines, rawStream } from './capture';
import { startFakeOpenAI, swapMemory, swapVersusDirect } from './swap';
import { omitSchemaSaving } from './tokens';

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

  const swapCalls = Number(process.env['BENCH_SWAP_CALLS'] ?? 5_000);
  const memoryCalls = Number(process.env['BENCH_SWAP_MEMORY_CALLS'] ?? 100_000);
  const server = await startFakeOpenAI({ validate: false, record: false });
  try {
    await swapVersusDirect(server, 500); // warm-up
    const swapTimes = { swapped: [] as number[], direct: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const { swapped, direct } = await swapVersusDirect(server, swapCalls);
      swapTimes.swapped.push(swapped);
      swapTimes.direct.push(direct);
    }
    const [sw, di] = [median(swapTimes.swapped), median(swapTimes.direct)];
    const perCall = (seconds: number): string => `${((seconds / swapCalls) * 1e6).toFixed(0)} us/call`;
    console.log(`\nswap: ${swapCalls.toLocaleString('en-US')} sequential calls over loopback HTTP, vs the same requests with the openai client`);
    console.log(`  swap()        ${perCall(sw)}`);
    console.log(`  openai direct ${perCall(di)}   swap/direct wall time = ${(sw / di).toFixed(3)}x (target < 1.05x)`);
    const memory = await swapMemory(server, memoryCalls);
    const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    console.log(`\nswap memory: retained heap after 5,000 warm-up calls ${mb(memory.before)}, after ${memoryCalls.toLocaleString('en-US')} more ${mb(memory.after)} (growth ${mb(memory.after - memory.before)}; ${Math.round(memoryCalls / memory.seconds).toLocaleString('en-US')} calls/s, 32 concurrent)`);
  } finally {
    await server.close();
  }
  const tokens = await omitSchemaSaving();
  console.log(`\nomitSchema on the demo function: ${tokens.full} prompt tokens with the schema, ${tokens.omitted} without (o200k, OpenAI's counting): ${tokens.full - tokens.omitted} saved per call (${(((tokens.full - tokens.omitted) / tokens.full) * 100).toFixed(0)}%)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
