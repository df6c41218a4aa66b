import { closeSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { runCli } from '../helpers/cli';
import { countJsonLines, tempDir } from '../helpers/files';

const tmp = tempDir();
afterAll(() => tmp.remove());

const lines = 66_000;
const heapLimitMb = 32;
const input = tmp.path('big.jsonl');
const preload = tmp.path('measure.cjs');

beforeAll(() => {
  // About 40 MB of distinct tools-format lines: more than the heap the commands are given, so a
  // command that held the file (or its lines) in memory would die of it.
  const out = openSync(input, 'w');
  let batch = '';
  for (let i = 0; i < lines; i++) {
    const args = JSON.stringify({ a: i, b: i % 997, result: i * (i % 997), note: `${i}`.padEnd(48, '.') });
    batch += `${JSON.stringify({
      messages: [
        { role: 'system', content: 'Predict the results of this function:\n\nthree_digit_multiply(a, b)' },
        { role: 'user', content: `Return three_digit_multiply(${i}, ${i % 997})` },
        { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'Multiply', arguments: args } }] },
      ],
      tools: [{ type: 'function', function: { name: 'Multiply', description: 'The product of two integers', parameters: { type: 'object', properties: { a: { type: 'integer' }, b: { type: 'integer' }, result: { type: 'integer' }, note: { type: 'string' } } } } }],
    })}\n`;
    if (batch.length > 1 << 20 || i === lines - 1) {
      writeSync(out, batch);
      batch = '';
    }
  }
  closeSync(out);
  writeFileSync(preload, "process.on('exit', () => require('fs').writeFileSync(process.env.MEASURE_OUT, String(process.resourceUsage().maxRSS * 1024)));\n");
});

describe('memory of the transform commands on a large file', () => {
  it.each([
    ['split', ['--val', '0.1']],
    ['dedupe', []],
    ['merge', ['-o', 'OUT']],
    ['convert', ['--to', 'json']],
  ])('%s streams a 40 MB file with a 32 MB heap', async (command, extra) => {
    expect(statSync(input).size).toBeGreaterThan(40 * 1024 * 1024);
    const measured = tmp.path(`${command}.rss`);
    const { code, stdout, stderr } = await runCli(['dataset', command, input, ...extra.map((arg) => (arg === 'OUT' ? tmp.path('merged.jsonl') : arg)), '--json'], {
      env: { NODE_OPTIONS: `--max-old-space-size=${heapLimitMb} --require ${preload}`, MEASURE_OUT: measured },
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as { written?: number; train?: { file: string; examples: number }; validation?: { examples: number }; output?: string };
    if (command === 'split') {
      expect((result.train?.examples ?? 0) + (result.validation?.examples ?? 0)).toBe(lines);
      expect((await countJsonLines(result.train?.file as string)).lines).toBe(lines - Math.round(lines * 0.1));
    } else {
      expect(result.written).toBe(lines);
      expect(await countJsonLines(result.output as string, (line) => line.startsWith('{"messages":['))).toEqual({ lines, bad: 0 });
    }
    // Measured at 100 to 130 MB (Node's young generation and I/O buffers): generous, but far
    // below what keeping the 40 MB file plus its parsed lines would take.
    expect(Number(readFileSync(measured, 'utf8'))).toBeLessThan(180 * 1024 * 1024);
  });
});
