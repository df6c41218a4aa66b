// `npm run bench`: each result is a ratio against a baseline measured in the same run, since
// machines are shared and noisy. Results go in docs/performance.md.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { distilToFile, overhead, prebuiltLines, rawStream } from './capture';
import { startFakeOpenAI, swapMemory, swapVersusDirect } from './swap';
import { omitSchemaSaving } from './tokens';
import { fileMB, generateDataset, measure, measureCli } from './dataset';
import { evalBenchUnavailable, evalVersusDirect } from './eval-server';

const calls = Number(process.env['BENCH_CALLS'] ?? 300_000);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 5);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const rate = (seconds: number): string => `${Math.round(calls / seconds).toLocaleString('en-US')}/s`;

const dir = mkdtempSync(join(tmpdir(), 'fn-distil-bench-'));

// Each section is a function, so what one keeps alive (300,000 prebuilt lines) is garbage before
// the next one measures retained memory.
async function captureSection(): Promise<void> {
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
}

async function swapSection(): Promise<void> {

  const swapCalls = Number(process.env['BENCH_SWAP_CALLS'] ?? 5_000);
  const memoryCalls = Number(process.env['BENCH_SWAP_MEMORY_CALLS'] ?? 100_000);
  const server = await startFakeOpenAI({ validate: false, record: false });
  try {
    await swapVersusDirect(server, 500); // warm-up
    const all: { swapped: number[]; direct: number[]; control: number[] } = { swapped: [], direct: [], control: [] };
    for (let r = 0; r < rounds; r++) {
      const times = await swapVersusDirect(server, swapCalls);
      for (const kind of ['swapped', 'direct', 'control'] as const) all[kind].push(...times[kind]);
    }
    const [sw, di, co] = [median(all.swapped), median(all.direct), median(all.control)];
    const sum = (xs: number[]): number => xs.reduce((total, x) => total + x, 0);
    console.log(`\nswap: ${(swapCalls * rounds).toLocaleString('en-US')} sequential calls over loopback HTTP, interleaved with the same requests made with the openai client`);
    console.log(`  swap()         median ${(sw / 1000).toFixed(0)} us/call`);
    console.log(`  openai direct  median ${(di / 1000).toFixed(0)} us/call   swap/direct = ${(sw / di).toFixed(3)}x (target < 1.05x); ratio of total times ${(sum(all.swapped) / sum(all.direct)).toFixed(3)}x`);
    console.log(`  control (the same direct call again): ${(co / di).toFixed(3)}x of direct, the method's noise floor`);
    const memory = await swapMemory(server, memoryCalls);
    const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`;
    console.log(`\nswap memory: retained heap after 5,000 warm-up calls ${mb(memory.before)}, after ${memoryCalls.toLocaleString('en-US')} more ${mb(memory.after)} (growth ${mb(memory.after - memory.before)}; ${Math.round(memoryCalls / memory.seconds).toLocaleString('en-US')} calls/s, 32 concurrent)`);
  } finally {
    await server.close();
  }
}

async function tokensSection(): Promise<void> {
  const tokens = await omitSchemaSaving();
  console.log(`\nomitSchema on the demo function (format 'messages', the request swap() builds): ${tokens.full} prompt tokens with the schema, ${tokens.omitted} without (o200k, OpenAI's counting): ${tokens.full - tokens.omitted} saved per call (${(((tokens.full - tokens.omitted) / tokens.full) * 100).toFixed(0)}%); request body ${tokens.fullBytes} bytes, ${tokens.omittedBytes} without (${tokens.fullBytes - tokens.omittedBytes} shorter)`);
}

async function datasetSection(): Promise<void> {

  const datasetMB = Number(process.env['BENCH_DATASET_MB'] ?? 1024);
  const big = join(dir, 'big.jsonl');
  const generated = await generateDataset(big, datasetMB);
  const size = fileMB(big);
  console.log(`\ndataset: ${size.toFixed(0)} MB, ${generated.toLocaleString('en-US')} distinct lines of distil() output (half 'messages', half 'tools' format); each run in a fresh process, median of ${Math.min(rounds, 3)}`);
  const runs = (mode: string, cli?: readonly string[]) => {
    const all = Array.from({ length: Math.min(rounds, 3) }, () => (cli === undefined ? measure(mode, big) : measureCli(cli)));
    const seconds = median(all.map((m) => m.seconds));
    return { seconds, rss: Math.max(...all.map((m) => m.maxRssMB)), mbps: size / seconds };
  };
  const bare = runs('batches-parse');
  const readline = runs('readline-parse');
  // validate runs as users run it: the built CLI under plain node, timed from outside.
  const validate = runs('validate', ['dataset', 'validate', big, '--json']);
  const validateOne = runs('validate-1-thread', ['dataset', 'validate', big, '--json', '--threads', '1']);
  const line = (label: string, m: { mbps: number; rss: number }, ratio?: string) => console.log(`  ${label.padEnd(44)} ${m.mbps.toFixed(0).padStart(5)} MB/s   peak RSS ${m.rss.toFixed(0).padStart(4)} MB${ratio === undefined ? '' : `   ${ratio}`}`);
  line('bare JSON.parse loop, same line reader', bare);
  line('bare JSON.parse loop, node:readline', readline);
  line('fn-distil dataset validate (2 threads)', validate, `validate/bare = ${(validate.mbps / bare.mbps).toFixed(2)}x (target >= 0.8x, peak < 200 MB); vs readline ${(validate.mbps / readline.mbps).toFixed(2)}x`);
  line('fn-distil dataset validate --threads 1', validateOne, `validate/bare = ${(validateOne.mbps / bare.mbps).toFixed(2)}x`);
  const statsMB = Number(process.env['BENCH_STATS_MB'] ?? 256);
  const small = join(dir, 'stats.jsonl');
  await generateDataset(small, statsMB);
  const statsRun = measureCli(['dataset', 'stats', small, '--json']);
  const statsBare = measure('batches-parse', small);
  const statsMbps = fileMB(small) / statsRun.seconds;
  console.log(`  ${'fn-distil dataset stats (o200k tokens)'.padEnd(44)} ${statsMbps.toFixed(0).padStart(5)} MB/s   peak RSS ${statsRun.maxRssMB.toFixed(0).padStart(4)} MB   stats/bare = ${(statsMbps / (fileMB(small) / statsBare.seconds)).toFixed(2)}x (${fileMB(small).toFixed(0)} MB file, ${Math.round(statsRun.lines / statsRun.seconds).toLocaleString('en-US')} examples/s)`);
}

async function evalSection(): Promise<void> {
  const unavailable = evalBenchUnavailable();
  if (unavailable !== undefined) {
    console.log(`\neval against llama-server: skipped, ${unavailable}`);
    return;
  }
  const evalRounds = Number(process.env['BENCH_EVAL_ROUNDS'] ?? 5);
  for (const concurrency of [1, 4]) {
    const bench = await evalVersusDirect(dir, evalRounds, concurrency);
    const [ev, di] = [median(bench.eval), median(bench.direct)];
    const perSecond = (seconds: number): string => `${(bench.examples / seconds).toFixed(1)} examples/s`;
    if (concurrency === 1) console.log(`\neval against the real llama-server (Debian llama.cpp-tools, the open-weight suite's trained model), ${bench.examples} held-out examples, median of ${evalRounds} runs each, interleaved`);
    console.log(`  concurrency ${concurrency}: fn-distil eval ${perSecond(ev)} (exact match ${(bench.exactMatch * 100).toFixed(0)}%), openai client directly ${perSecond(di)}   eval/direct time = ${(ev / di).toFixed(3)}x`);
  }
}

try {
  console.log(`node ${process.version}, ${calls.toLocaleString('en-US')} calls, ${rounds} rounds (medians)\n`);
  const only = process.env['BENCH_ONLY']?.split(',');
  if (only === undefined || only.includes('capture')) await captureSection();
  if (only === undefined || only.includes('swap')) await swapSection();
  if (only === undefined || only.includes('tokens')) await tokensSection();
  if (only === undefined || only.includes('dataset')) await datasetSection();
  if (only === undefined || only.includes('eval')) await evalSection();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
