import { readdirSync, statSync, truncateSync } from 'node:fs';
import { readLineBatches } from '../../lib/dataset/lines';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { toolsLine, writeLines } from '../helpers/training-lines';

const tmp = tempDir();
afterAll(() => tmp.remove());

const good = (i: number): string => JSON.stringify(toolsLine(100 + i));
/** A chat example of about `bytes` bytes, all on one line. */
const long = (bytes: number): string => JSON.stringify({ messages: [{ role: 'user', content: 'x'.repeat(bytes) }, { role: 'assistant', content: 'y' }] });
const tooLong = (file: string, line: number, limit: string): string =>
  `${file}:${line}: the line is longer than ${limit} bytes, the most fn-distil reads as one line, so it cannot be read. An example that long is over every model's token limit: remove the line, or check that the file has its line breaks.`;

// Lines over the limit in both ways the reader meets them: one read across many 64 KB slices
// (200 KB, limit 100,000), and one inside a single slice (10 KB, limit 4,096).
const cases = [
  { name: 'across reads', limit: '100000', shown: '100,000', bytes: 200_000 },
  { name: 'within one read', limit: '4096', shown: '4,096', bytes: 10_000 },
] as const;

describe.each(cases)('a line longer than FN_DISTIL_MAX_LINE_BYTES ($name)', ({ limit, shown, bytes }) => {
  const env = { FN_DISTIL_MAX_LINE_BYTES: limit };
  // 30 good lines, then the long one at line 33, so `--threads 2` reads it on the worker's range.
  const lines = [...Array.from({ length: 32 }, (_, i) => good(i)), long(bytes), good(40), good(41), good(42)];
  const file = writeLines(tmp.path(`long-${limit}.jsonl`), lines);
  // The same line last, without a newline: the file ends inside it.
  const last = tmp.path(`last-${limit}.jsonl`);
  writeLines(last, lines.slice(0, 33));
  truncateSync(last, statSync(last).size - 1);

  it.each([['1'], ['2']])('validate --threads %s reports it as line_too_long at its line and checks every other line', async (threads) => {
    const { code, stdout } = await runCli(['dataset', 'validate', file, '--json', '--threads', threads], { env });
    expect(code).toBe(1);
    const report = JSON.parse(stdout);
    expect(report.errors).toEqual([
      { file, line: 33, check: 'line_too_long', message: `the line is longer than ${shown} bytes, the most fn-distil reads as one line, so it was not read: an example that long is over every model's token limit. Remove the line, or check that the file has its line breaks.` },
    ]);
    expect(report.counts).toEqual({ line_too_long: 1 });
  });

  it('validate reports it when the file ends inside it', async () => {
    const { stdout } = await runCli(['dataset', 'validate', last, '--json'], { env });
    expect(JSON.parse(stdout).errors).toEqual([expect.objectContaining({ line: 33, check: 'line_too_long' })]);
  });

  it.each([
    ['stats', (input: string) => ['dataset', 'stats', input]],
    ['split', (input: string) => ['dataset', 'split', input]],
    ['dedupe', (input: string) => ['dataset', 'dedupe', input]],
    ['merge', (input: string) => ['dataset', 'merge', input, '-o', `${input}.merged.jsonl`]],
    ['convert', (input: string) => ['dataset', 'convert', input, '--to', 'json']],
    ['eval', (input: string) => ['eval', '--model', 'm', '--dataset', input, '--base-url', 'http://127.0.0.1:9/v1', '--results', `${input}.results.jsonl`]],
  ])('%s stops at it with its file, line and the limit, and writes nothing', async (_command, args) => {
    for (const input of [file, last]) {
      const { code, stdout, stderr } = await runCli(args(input), { env });
      expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: `fn-distil: ${tooLong(input, 33, shown)}\n` });
    }
    expect(readdirSync(tmp.dir).filter((name) => !/^(long|last)-\d+\.jsonl$/.test(name))).toEqual([]);
  });
});

describe('the limit on a line', () => {
  it('is about 512 MB by default: what a JavaScript string holds, less one 64 KB read', async () => {
    const { code, stdout } = await runCli(['dataset', 'validate', writeLines(tmp.path('default.jsonl'), [long(10_000)]), '--json', '--min-examples', '1']);
    expect({ code, ok: JSON.parse(stdout).ok }).toEqual({ code: 0, ok: true });
    const { constants } = await import('node:buffer');
    const { maxLineBytes } = await import('../../lib/dataset/lines');
    expect(maxLineBytes()).toBe(constants.MAX_STRING_LENGTH - 65_536);
    expect(maxLineBytes()).toBeGreaterThan(500_000_000);
  });

  it('set to something that is not a whole number of bytes is a clear error', async () => {
    const { code, stderr } = await runCli(['dataset', 'stats', tmp.path('default.jsonl')], { env: { FN_DISTIL_MAX_LINE_BYTES: '1e3x' } });
    expect(code).toBe(1);
    expect(stderr).toBe('fn-distil: FN_DISTIL_MAX_LINE_BYTES must be a whole number of bytes, 1 or more, got "1e3x".\n');
  });

  it("is the reader's, which in report mode hands the long line over empty, listed in tooLong, and numbers the next lines right", async () => {
    const file = writeLines(tmp.path('report.jsonl'), ['a', 'b'.repeat(300_000), 'c', 'd'.repeat(50), 'e']);
    process.env['FN_DISTIL_MAX_LINE_BYTES'] = '40';
    try {
      const seen: Array<[number, string]> = [];
      const marked: number[] = [];
      for await (const batch of readLineBatches(file, undefined, 'report')) {
        batch.lines.forEach((line, i) => seen.push([batch.firstLine + i, line]));
        for (const i of batch.tooLong ?? []) marked.push(batch.firstLine + i);
      }
      expect(seen).toEqual([[1, 'a'], [2, ''], [3, 'c'], [4, ''], [5, 'e']]);
      expect(marked).toEqual([2, 4]);
      const thrown: string[] = [];
      await expect(
        (async () => {
          for await (const batch of readLineBatches(file)) thrown.push(...batch.lines);
        })(),
      ).rejects.toMatchObject({ name: 'DatasetError', file, line: 2 });
      expect(thrown).toEqual(['a']);
    } finally {
      delete process.env['FN_DISTIL_MAX_LINE_BYTES'];
    }
  });
});
