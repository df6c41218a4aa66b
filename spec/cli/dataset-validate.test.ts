import fc from 'fast-check';
import { spawn, spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { root } from '../helpers/processes';
import { functionsLine, system, tools, toolsLine, writeLines } from '../helpers/training-lines';
import { recordWords } from '../../lib/dataset/line-digests';
import { validateRange } from '../../lib/dataset/validate-range';
import { validateInWorker } from '../../lib/dataset/threads';
import { targetModel } from '../../lib/dataset/models';

const tmp = tempDir();
afterAll(() => tmp.remove());

const good = (count: number, name = 'good.jsonl') => writeLines(tmp.path(name), Array.from({ length: count }, (_, i) => (i % 2 === 0 ? toolsLine(i) : functionsLine(i))));

describe('fn-distil dataset validate', () => {
  it('--help documents every option and the exit codes', async () => {
    const { code, stdout } = await runCli(['dataset', 'validate', '--help']);
    expect(code).toBe(0);
    for (const option of ['--json', '--min-examples <n>', '--max-issues <n>', '--threads <n>', '--model <model>', '--encoding <encoding>', '--token-limit <n>']) expect(stdout).toContain(option);
    expect(stdout).toContain('Exit code 0 when no error is found');
  });

  it('a clean file exits 0 with a summary and nothing on stderr', async () => {
    const file = good(12);
    const { code, stdout, stderr } = await runCli(['dataset', 'validate', file]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout).toBe(`12 examples in ${file}; token limit 65,536 per example (gpt-4o-mini-2024-07-18, o200k_base).\nNo errors, 0 warnings.\n`);
  });

  it('prints each problem as file:line, severity, check and message, in line order, and exits 1', async () => {
    const lines: unknown[] = Array.from({ length: 12 }, (_, i) => toolsLine(i));
    lines[2] = '{"messages": [';
    lines[6] = toolsLine(1);
    lines[9] = { messages: [system, { role: 'user', content: 'hi' }, { role: 'assistant', tool_calls: [{ id: 'c', type: 'function', function: { name: 'divide', arguments: '{}' } }] }], tools };
    const file = writeLines(tmp.path('bad.jsonl'), lines);
    const { code, stdout, stderr } = await runCli(['dataset', 'validate', file]);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(stdout.split('\n').slice(0, 3)).toEqual([
      expect.stringMatching(new RegExp(`^${file}:3: error \\[invalid_json\\] the line is not valid JSON \\(.+\\)\\.$`)),
      expect.stringMatching(new RegExp(`^${file}:7: warning \\[duplicate_example\\] the line repeats line 2: `)),
      `${file}:10: error [undeclared_function] messages[2].tool_calls[0].function calls "divide", which the line does not declare in "tools" (it declares multiply).`,
    ]);
    expect(stdout).toContain('2 errors, 1 warning: fix the errors before fine-tuning.');
  });

  it('--json prints the whole report for machines, with the same exit code', async () => {
    const file = writeLines(tmp.path('json.jsonl'), [toolsLine(1), 'nope', toolsLine(1)]);
    const { code, stdout } = await runCli(['dataset', 'validate', file, '--json', '--model', 'gpt-3.5-turbo-0125']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toEqual({
      files: [file],
      examples: 3,
      ok: false,
      errors: [
        { file, line: 2, check: 'invalid_json', message: expect.stringContaining('not valid JSON') },
        { file, check: 'too_few_examples', message: `${file} has 3 examples; fine-tuning needs at least 10 (OpenAI's minimum).` },
      ],
      warnings: [{ file, line: 3, check: 'duplicate_example', message: expect.stringContaining('repeats line 1') }],
      counts: { invalid_json: 1, duplicate_example: 1, too_few_examples: 1 },
      omitted: 0,
      model: { model: 'gpt-3.5-turbo-0125', encoding: 'cl100k_base', tokenLimit: 16_385 },
    });
  });

  it('warnings alone exit 0; --min-examples and --max-issues change what is reported', async () => {
    const lines = Array.from({ length: 5 }, () => toolsLine(7));
    const file = writeLines(tmp.path('dups.jsonl'), lines);
    const { code, stdout } = await runCli(['dataset', 'validate', file, '--min-examples', '5', '--max-issues', '2']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((line) => line.includes('[duplicate_example]'))).toHaveLength(2);
    expect(stdout).toContain('... and 2 more issues not listed (--max-issues 2): duplicate_example 2');
    expect(stdout).toContain('No errors, 4 warnings.');
  });

  it.each([
    [['dataset', 'validate', 'missing.jsonl'], 'fn-distil: Cannot read missing.jsonl: no such file. Check the path.\n'],
    [['dataset', 'validate', '.'], 'fn-distil: . is a directory, not a JSONL file.\n'],
    [['dataset', 'validate', 'package.json', '--model', 'llama-3-8b'], expect.stringMatching(/^fn-distil: Unknown model "llama-3-8b": its tokenizer and token limit are not known\. .*\n$/)],
  ])('%j fails in one line on stderr with exit code 1', async (args, message) => {
    const { code, stdout, stderr } = await runCli(args, { cwd: root });
    expect({ code, stdout, stderr }).toEqual({ code: 1, stdout: '', stderr: message });
  });

  it('a model fn-distil does not know works with --encoding and --token-limit', async () => {
    const { code, stdout } = await runCli(['dataset', 'validate', good(10, 'own-model.jsonl'), '--model', 'llama-3-8b', '--encoding', 'cl100k_base', '--token-limit', '8192']);
    expect(code).toBe(0);
    expect(stdout).toContain('token limit 8,192 per example (llama-3-8b, cl100k_base)');
  });

  it.each([
    [['dataset', 'validate']],
    [['dataset', 'validate', 'x.jsonl', '--min-examples', 'ten']],
    [['dataset', 'validate', 'x.jsonl', '--threads', '0']],
    [['dataset', 'validate', 'x.jsonl', '--encoding', 'p50k_base']],
  ])('%j is a usage error: exit code 2 and a hint', async (args) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expect(stderr).toContain('--help');
  });

  it('reports the same problems whether a file is read on one thread or split across several', async () => {
    const line = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0, max: 400 }).map((n) => JSON.stringify(toolsLine(n))) },
      { weight: 1, arbitrary: fc.constantFrom('', '{"messages": [', '[]', JSON.stringify({ messages: [system] }), JSON.stringify(functionsLine(3)).replace('"b":7', '"b":"7"')) },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 1500 }), fc.integer({ min: 2, max: 4 }), async (lines, threads) => {
        const file = tmp.path(`threads-${Math.random()}.jsonl`);
        writeLines(file, lines);
        const [one, many] = await Promise.all([
          runCli(['dataset', 'validate', file, file, '--json', '--threads', '1', '--max-issues', '1000']),
          runCli(['dataset', 'validate', file, file, '--json', '--threads', String(threads), '--max-issues', '1000']),
        ]);
        expect(many.stderr).toBe('');
        expect(JSON.parse(many.stdout)).toEqual(JSON.parse(one.stdout));
        expect(many.code).toBe(one.code);
      }),
      { numRuns: 6 },
    );
  });

  it('a worker thread validates a range of a file exactly as the main thread does', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => (i % 250 === 0 ? 'not json' : toolsLine(i % 1000)));
    const file = writeLines(tmp.path('range.jsonl'), lines);
    const settings = { model: targetModel(), maxIssues: 1000 };
    const range = { start: 0, end: statSync(file).size };
    const digests = (records: Uint32Array[]) => records.flatMap((chunk) => [...chunk]);
    const here: Uint32Array[] = [];
    const expected = await validateRange(file, range, settings, { onDigests: (records, count) => here.push(records.slice(0, count * recordWords)), onProgress: () => undefined });
    const there: Uint32Array[] = [];
    const worker = validateInWorker(join(root, 'dist', 'validate-worker.js'), { file, range, settings }, { onDigests: (records) => there.push(records), onProgress: () => undefined });
    expect(await worker.result).toEqual(expected);
    expect(digests(there)).toEqual(digests(here));
    expect(expected.counts).toEqual({ invalid_json: 12 });
  });
});

// util-linux `script` runs the command in a pseudo-terminal, as a user's shell would.
const hasScript = spawnSync('script', ['--version']).status === 0;
describe('the progress display', () => {
  (hasScript ? it : it.skip)('shows on stderr in a terminal, and never when stderr is a pipe', async () => {
    const big = good(20_000, 'big.jsonl');
    const inTerminal = await new Promise<string>((resolve) => {
      let output = '';
      const child = spawn('script', ['-qec', `${process.execPath} ${join(root, 'dist', 'cli.js')} dataset validate ${big}`, '/dev/null'], { stdio: ['ignore', 'pipe', 'inherit'] });
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.on('close', () => resolve(output));
    });
    expect(inTerminal).toMatch(/Validating \[[=-]+\] \d+% [\d.]+\/[\d.]+ MB/);
    expect(inTerminal).toContain('20,000 examples');
    const piped = await runCli(['dataset', 'validate', big]);
    expect(piped.stderr).toBe('');
  });
});

describe('worker threads', () => {
  it('a thread that cannot start fails the validation with a DatasetError saying how to avoid threads', async () => {
    const file = good(3, 'crash.jsonl');
    const worker = validateInWorker(join(tmp.dir, 'no-such-worker.js'), { file, range: { start: 0, end: statSync(file).size }, settings: { model: targetModel(), maxIssues: 10 } }, { onDigests: () => undefined, onProgress: () => undefined });
    await expect(worker.result).rejects.toMatchObject({ name: 'DatasetError', file, message: expect.stringMatching(/on a worker thread: .*Cannot find module.*Validate on one thread instead \(threads: 1, --threads 1\)\.$/s) });
  });
});
