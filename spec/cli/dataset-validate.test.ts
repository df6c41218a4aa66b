import fc from 'fast-check';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { canRunInTerminal, runCli, runCliInTerminal } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { root } from '../helpers/processes';
import { functionsLine, multiplyParameters, system, tools, toolsLine, writeLines } from '../helpers/training-lines';
import { recordWords } from '../../lib/dataset/line-digests';
import { validateRange } from '../../lib/dataset/validate-range';
import { validateInWorker } from '../../lib/dataset/threads';
import { targetModel } from '../../lib/dataset/models';

const tmp = tempDir();
afterAll(() => tmp.remove());

/** A TRL prompt-completion line with a 'json' system prompt, as `dataset convert --to prompt-completion` writes it. */
const promptCompletion = (a: number) => ({
  prompt: [{ role: 'system', content: `${system.content}\n\nAnswer with only a JSON object, the Multiply, matching this JSON Schema:\n${JSON.stringify(multiplyParameters)}` }, { role: 'user', content: `Return multiply(${a}, 7)` }],
  completion: [{ role: 'assistant', content: JSON.stringify({ a, b: 7, result: a * 7 }) }],
});
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
      examples: 2,
      notExamples: 1,
      ok: false,
      errors: [
        { file, line: 2, check: 'invalid_json', message: expect.stringContaining('not valid JSON') },
        { file, check: 'too_few_examples', message: `${file} has 2 examples (and 1 line that is not an example); fine-tuning needs at least 10 (OpenAI's minimum).` },
      ],
      warnings: [{ file, line: 3, check: 'duplicate_example', message: expect.stringContaining('repeats line 1') }],
      counts: { invalid_json: 1, duplicate_example: 1, too_few_examples: 1 },
      omitted: 0,
      model: { model: 'gpt-3.5-turbo-0125', encoding: 'cl100k_base', tokenLimit: 16_385 },
    });
  });

  it('counts only lines with a messages list as examples: 9 examples and 2 other lines are too few, and it says so', async () => {
    const file = writeLines(tmp.path('nine.jsonl'), [...Array.from({ length: 9 }, (_, i) => toolsLine(i)), { prompt: 'a' }, { x: 1 }]);
    const { code, stdout } = await runCli(['dataset', 'validate', file]);
    expect(code).toBe(1);
    expect(stdout).toContain(`${file}: error [too_few_examples] ${file} has 9 examples (and 2 lines that are not examples); fine-tuning needs at least 10 (OpenAI's minimum).\n`);
    expect(stdout).toContain(`\n9 examples (and 2 lines that are not examples) in ${file}; token limit 65,536 per example`);
    const json = JSON.parse((await runCli(['dataset', 'validate', file, '--json'])).stdout);
    expect(json).toMatchObject({ examples: 9, notExamples: 2, counts: { missing_messages: 2, too_few_examples: 1 } });
    const ten = writeLines(tmp.path('ten.jsonl'), [...Array.from({ length: 10 }, (_, i) => toolsLine(i)), { prompt: 'a' }]);
    expect(JSON.parse((await runCli(['dataset', 'validate', ten, '--json'])).stdout)).toMatchObject({ examples: 10, notExamples: 1, counts: { missing_messages: 1 } });
  });

  it('escapes control characters of the file in its messages: an escape sequence in a line is shown, not run', async () => {
    const lines: unknown[] = Array.from({ length: 12 }, (_, i) => toolsLine(i));
    lines[1] = '\x1b[2J{"messages": []}';
    lines[4] = { messages: [system, { role: '\x9b31m', content: 'hi' }, { role: 'assistant', content: 'ok' }] };
    const file = writeLines(tmp.path('escapes.jsonl'), lines);
    const { code, stdout } = await runCli(['dataset', 'validate', file]);
    expect(code).toBe(1);
    expect(stdout).not.toMatch(/[^\P{Cc}\n]/u);
    expect(stdout).toContain(`${file}:2: error [invalid_json] the line is not valid JSON (Unexpected token '\\u001b', "\\u001b[2J{"messages": []}" is not valid JSON).`);
    expect(stdout).toContain('messages[1] has role "\\u009b31m"');
    const json = JSON.parse((await runCli(['dataset', 'validate', file, '--json'])).stdout);
    expect(json.errors[0].message).toContain('\\u001b[2J');
    const stats = await runCli(['dataset', 'stats', file]);
    expect(stats.stderr).toMatch(/^fn-distil: .*:2: the line is not valid JSON \(Unexpected token '\\u001b', "\\u001b\[2J/);
    expect(stats.stderr).not.toMatch(/[^\P{Cc}\n]/u);
    const skipped = await runCli(['dataset', 'dedupe', file, '--skip-invalid']);
    expect(skipped.stderr).toContain(`fn-distil: skipped ${file}:2: the line is not valid JSON (Unexpected token '\\u001b'`);
    expect(skipped.stderr).not.toMatch(/[^\P{Cc}\n]/u);
  });

  it('formats large numbers in its messages: tokens over the limit', async () => {
    const long = { messages: [system, { role: 'user', content: 'seven '.repeat(20_000) }, { role: 'assistant', content: 'ok' }] };
    const file = writeLines(tmp.path('long-tokens.jsonl'), [long]);
    const { stdout } = await runCli(['dataset', 'validate', file, '--model', 'gpt-3.5-turbo-0125', '--min-examples', '1']);
    expect(stdout).toMatch(new RegExp(`^${file}:1: error \\[too_many_tokens\\] the example has \\d{2},\\d{3} tokens, over the 16,385 that gpt-3.5-turbo-0125 trains on: it would be truncated\\.`, 'm'));
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
      // TRL's prompt-completion lines, one with a bad answer: counted and reported the same by every thread.
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 400 }).map((n) => JSON.stringify(promptCompletion(n))) },
      { weight: 1, arbitrary: fc.constant(JSON.stringify(promptCompletion(5)).replace('\\"result\\":35', '\\"result\\":\\"35\\"')) },
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

describe('each per-line check, as the built binary reports it', () => {
  const user = { role: 'user', content: 'Return multiply(3, 7)' };
  const args = '{"a":3,"b":7,"result":21}';
  const assistant = (toolCall: Record<string, unknown>) => ({ role: 'assistant', tool_calls: [toolCall] });
  const answer = assistant({ id: 'call_0', type: 'function', function: { name: 'multiply', arguments: args } });
  // Each problem on a line of its own between good lines, so a line number off by one shows.
  const problems: ReadonlyArray<[string, unknown]> = [
    ['invalid_weight', { messages: [system, user, { ...answer, weight: 2 }], tools }],
    ['invalid_arguments', { messages: [system, user, assistant({ id: 'call_0', type: 'function', function: { name: 'multiply', arguments: '{a: 3}' } })], tools }],
    ['invalid_tool_call', { messages: [system, user, assistant({ type: 'function', function: { name: 'multiply', arguments: args } })], tools }],
    ['invalid_tool_call', { messages: [system, user, assistant({ id: 'call_0', type: 'tool', function: { name: 'multiply', arguments: args } })], tools }],
    ['invalid_tool_call', { messages: [system, user, assistant({ id: 'call_0', function: { name: 'multiply', arguments: args } })], tools }],
  ];
  const warned: ReadonlyArray<[string, unknown]> = [
    ['no_system_message', { messages: [user, answer], tools }],
    ['no_user_message', { messages: [system, answer], tools }],
  ];
  const interleave = (bad: ReadonlyArray<[string, unknown]>, from: number): unknown[] => bad.flatMap(([, line], i) => [toolsLine(from + 2 * i), line, toolsLine(from + 2 * i + 1)]);

  it('dataset validate --json reports errors and warnings with their check, file and line, and exits 1 on errors only', async () => {
    const errorsFile = writeLines(tmp.path('checks-errors.jsonl'), interleave(problems, 200));
    const warningsFile = writeLines(tmp.path('checks-warnings.jsonl'), [...interleave(warned, 300), ...Array.from({ length: 6 }, (_, i) => toolsLine(400 + i))]);
    const both = await runCli(['dataset', 'validate', errorsFile, warningsFile, '--json']);
    expect({ code: both.code, stderr: both.stderr }).toEqual({ code: 1, stderr: '' });
    const report = JSON.parse(both.stdout) as { ok: boolean; errors: unknown[]; warnings: unknown[]; counts: Record<string, number> };
    expect(report.ok).toBe(false);
    expect(report.errors).toEqual([
      { file: errorsFile, line: 2, check: 'invalid_weight', message: expect.stringMatching(/^messages\[2\] has weight .*2.*; weight is 0 .* or 1\.$/) },
      { file: errorsFile, line: 5, check: 'invalid_arguments', message: expect.stringMatching(/^messages\[2\]\.tool_calls\[0\]\.function\.arguments is not valid JSON/) },
      { file: errorsFile, line: 8, check: 'invalid_tool_call', message: expect.stringMatching(/^messages\[2\]\.tool_calls\[0\] has no string "id"/) },
      { file: errorsFile, line: 11, check: 'invalid_tool_call', message: expect.stringMatching(/^messages\[2\]\.tool_calls\[0\] has type "tool"; it must be "function"\.$/) },
      { file: errorsFile, line: 14, check: 'invalid_tool_call', message: 'messages[2].tool_calls[0] has no "type"; it must be "function".' },
    ]);
    expect(report.warnings).toEqual([
      { file: warningsFile, line: 2, check: 'no_system_message', message: expect.stringContaining('no system message') },
      { file: warningsFile, line: 5, check: 'no_user_message', message: expect.stringContaining('no user message') },
    ]);
    expect(report.counts).toEqual({ invalid_weight: 1, invalid_arguments: 1, invalid_tool_call: 3, no_system_message: 1, no_user_message: 1 });

    // Warnings alone pass: the same file on its own exits 0, and the text report calls them warnings.
    const alone = await runCli(['dataset', 'validate', warningsFile, '--json']);
    expect(alone.code).toBe(0);
    expect(JSON.parse(alone.stdout)).toMatchObject({ ok: true, errors: [], warnings: report.warnings });
    const text = await runCli(['dataset', 'validate', errorsFile, warningsFile]);
    expect(text.code).toBe(1);
    const severities = [...text.stdout.matchAll(/^\S+:(\d+): (error|warning) \[(\w+)\]/gm)].map(([, line, severity, check]) => `${line} ${severity} ${check}`);
    expect(severities).toEqual([
      '2 error invalid_weight',
      '5 error invalid_arguments',
      '8 error invalid_tool_call',
      '11 error invalid_tool_call',
      '14 error invalid_tool_call',
      '2 warning no_system_message',
      '5 warning no_user_message',
    ]);
  });

  it('a key a message does not take, which OpenAI\'s schema lets through, is a warning that says why to remove it', async () => {
    const lines: unknown[] = Array.from({ length: 10 }, (_, i) => toolsLine(500 + i));
    lines[3] = { messages: [system, { role: 'user', content: 'hi', metadata: { a: 1 } }, answer], tools };
    const file = writeLines(tmp.path('unknown-key.jsonl'), lines);
    const { code, stdout } = await runCli(['dataset', 'validate', file]);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      `${file}:4: warning [unknown_key] messages[1] (user) has the key "metadata", which is not part of the chat format for user messages: OpenAI's data check may refuse it and other trainers ignore it; remove it.`,
    );
    expect(stdout).toContain('No errors, 1 warning.');
  });
});

describe('the progress display', () => {
  (canRunInTerminal ? it : it.skip)('shows on stderr in a terminal, and never when stderr is a pipe', async () => {
    const big = good(20_000, 'big.jsonl');
    const { screen: inTerminal } = await runCliInTerminal(['dataset', 'validate', big]);
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
