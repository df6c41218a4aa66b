import { execFileSync, spawn } from 'node:child_process';
import { closeSync, constants, existsSync, openSync, readdirSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Transport from 'winston-transport';
import { distil, type ExampleFormat } from 'fn-distil';
import { cliPath, runCli } from '../helpers/cli';
import { linesOf, tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
const cleanups: Array<() => void> = [tmp.remove];
afterAll(() => cleanups.forEach((remove) => remove()));

/** A real winston transport that keeps the lines distil() writes. */
class Lines extends Transport {
  readonly lines: string[] = [];
  override log(info: Record<symbol, string>, next: () => void): void {
    this.lines.push(...info[Symbol.for('message')]!.split('\n').filter(Boolean));
    next();
  }
}

/** Lines distil() writes for `three_digit_multiply(a, a + 1)`, a in `from..to-1`. */
async function captured(format: ExampleFormat, from: number, to: number): Promise<string[]> {
  const sink = new Lines();
  const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format, transports: [sink] });
  for (let a = from; a < to; a++) multiply(a, a + 1);
  await multiply.close();
  return sink.lines;
}
const text = (lines: readonly string[]): string => lines.map((line) => `${line}\n`).join('');
/** One dataset file in a fresh directory of its own. */
function dataset(content: string, name = 'data.jsonl'): { dir: string; file: string; path: (name: string) => string } {
  const own = tempDir();
  cleanups.push(own.remove);
  const file = own.path(name);
  writeFileSync(file, content);
  return { dir: own.dir, file, path: own.path };
}

describe('fn-distil dataset split / dedupe / merge / convert', () => {
  it.each([
    ['split', ['--val', '--seed', '--train-output', '--val-output', '--json']],
    ['dedupe', ['--output', '--skip-invalid', '--json']],
    ['merge', ['--output', '--keep-duplicates', '--skip-invalid', '--json']],
    ['convert', ['--to', '--output', '--completion', '--arguments', '--tool-name', '--tool-description', '--skip-invalid', '--json']],
  ])('dataset %s --help documents every option and an example', async (command, options) => {
    const { code, stdout } = await runCli(['dataset', command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: fn-distil dataset ${command}`);
    for (const option of options) expect(stdout).toContain(option);
    expect(stdout).toMatch(new RegExp(`Examples:\\n  \\$ fn-distil dataset ${command} `));
  });

  it('split writes <name>.train.jsonl and <name>.val.jsonl next to the input, the same for the same seed', async () => {
    const input = await captured('tools', 100, 200);
    const { file, path } = dataset(text(input));
    const first = await runCli(['dataset', 'split', file, '--val', '0.2', '--seed', '7', '--json']);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    const result = JSON.parse(first.stdout);
    expect(result).toEqual({
      file,
      examples: 100,
      blank: 0,
      seed: 7,
      train: { file: path('data.train.jsonl'), examples: 80 },
      validation: { file: path('data.val.jsonl'), examples: 20 },
    });
    const validation = readFileSync(path('data.val.jsonl'), 'utf8');
    expect([...linesOf(path('data.train.jsonl')), ...linesOf(path('data.val.jsonl'))].sort()).toEqual([...input].sort());

    const again = await runCli(['dataset', 'split', file, '--val', '0.2', '--seed', '7', '--train-output', path('t.jsonl'), '--val-output', path('v.jsonl')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Split 100 examples of');
    expect(again.stdout).toMatch(/validation\s*│\s*\S*v\.jsonl\s*│\s*20/);
    expect(readFileSync(path('v.jsonl'), 'utf8')).toBe(validation);
    await runCli(['dataset', 'split', file, '--val', '0.2', '--seed', '8', '--val-output', path('v8.jsonl')]);
    expect(readFileSync(path('v8.jsonl'), 'utf8')).not.toBe(validation);
  });

  it('dedupe and merge drop repeated examples across shards and report the counts of each shard', async () => {
    const a = dataset(text(await captured('messages', 100, 160)), 'host-a.jsonl');
    const b = dataset(text(await captured('messages', 140, 200)), 'host-b.jsonl');
    const out = a.path('all.jsonl');
    const merged = await runCli(['dataset', 'merge', a.file, b.file, '-o', out, '--json']);
    expect(merged.code).toBe(0);
    expect(JSON.parse(merged.stdout)).toMatchObject({
      output: out,
      read: 120,
      written: 100,
      duplicates: 20,
      shards: [
        { file: a.file, read: 60, written: 60, duplicates: 0 },
        { file: b.file, read: 60, written: 40, duplicates: 20 },
      ],
    });
    expect(linesOf(out)).toEqual(await captured('messages', 100, 200));

    const kept = await runCli(['dataset', 'merge', a.file, b.file, '-o', a.path('kept.jsonl'), '--keep-duplicates']);
    expect(kept.code).toBe(0);
    expect(linesOf(a.path('kept.jsonl'))).toHaveLength(120);

    writeFileSync(a.path('twice.jsonl'), readFileSync(a.file, 'utf8') + readFileSync(a.file, 'utf8'));
    const deduped = await runCli(['dataset', 'dedupe', a.path('twice.jsonl')]);
    expect(deduped.code).toBe(0);
    expect(deduped.stdout).toContain(`Wrote 60 examples to ${a.path('twice.deduped.jsonl')} (60 duplicates dropped)`);
    expect(readFileSync(a.path('twice.deduped.jsonl'), 'utf8')).toBe(readFileSync(a.file, 'utf8'));
  });

  it('convert of raw lines without --tool-name names the flag to give, not the library option', async () => {
    const raw = dataset(text(await captured('raw', 100, 102)));
    const missing = await runCli(['dataset', 'convert', raw.file, '--to', 'json', '-o', raw.path('j.jsonl')]);
    expect({ code: missing.code, stdout: missing.stdout }).toEqual({ code: 1, stdout: '' });
    expect(missing.stderr).toBe(`fn-distil: ${raw.file}:1: it is a raw line whose schema has no title to name the function by: give the name with --tool-name.\n`);
    const invalid = await runCli(['dataset', 'convert', raw.file, '--to', 'json', '--tool-name', 'not a name']);
    expect(invalid.stderr).toBe('fn-distil: --tool-name "not a name" is not a valid function name: use 1 to 64 letters, digits, _ or -.\n');
    expect(readdirSync(raw.dir)).toEqual(['data.jsonl']);
  });

  it('split words a count of one in the singular, and merge --help marks -o as required', async () => {
    const [one] = await captured('tools', 100, 101);
    const { file } = dataset(text([one as string]));
    const { code, stderr } = await runCli(['dataset', 'split', file, '--val', '0.5']);
    expect(code).toBe(1);
    expect(stderr).toBe('fn-distil: A validation share of 0.5 of 1 example leaves the training file empty. Lower the share, or add examples.\n');
    const help = await runCli(['dataset', 'merge', '--help']);
    expect(help.stdout).toMatch(/^ {2}-o, --output <file> +\(required\) merged file$/m);
  });

  it('convert --to json writes the plain chat lines distil() writes with format json', async () => {
    const { file, path } = dataset(text(await captured('tools', 100, 130)));
    const { code, stdout } = await runCli(['dataset', 'convert', file, '--to', 'json']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Wrote 30 json examples to ${path('data.json.jsonl')}`);
    expect(stdout).toMatch(/tools\s*│\s*30/);
    expect(readFileSync(path('data.json.jsonl'), 'utf8')).toBe(text(await captured('json', 100, 130)));
    const raw = dataset(text(await captured('raw', 100, 110)));
    const fromRaw = await runCli(['dataset', 'convert', raw.file, '--to', 'messages', '--tool-name', 'Multiply', '-o', raw.path('m.jsonl')]);
    expect(fromRaw.code).toBe(0);
    expect(readFileSync(raw.path('m.jsonl'), 'utf8')).toBe(text(await captured('messages', 100, 110)));
  });

  it('convert --to prompt-completion writes the json lines split before the answer; --completion tools and --arguments object keep the tool call', async () => {
    const { file, path } = dataset(text(await captured('messages', 100, 120)));
    const json = await captured('json', 100, 120);
    const tools = await captured('tools', 100, 120);
    const splitLine = (line: string): string => {
      const { messages, ...declared } = JSON.parse(line) as { messages: unknown[] };
      return JSON.stringify({ prompt: messages.slice(0, -1), completion: messages.slice(-1), ...declared });
    };
    const plain = await runCli(['dataset', 'convert', file, '--to', 'prompt-completion']);
    expect({ code: plain.code, stderr: plain.stderr }).toEqual({ code: 0, stderr: '' });
    expect(plain.stdout).toContain(`Wrote 20 prompt-completion examples to ${path('data.prompt-completion.jsonl')}`);
    expect(plain.stdout).toMatch(/messages\s*│\s*20/);
    expect(linesOf(path('data.prompt-completion.jsonl'))).toEqual(json.map(splitLine));

    const kept = await runCli(['dataset', 'convert', file, '--to', 'prompt-completion', '--completion', 'tools', '--arguments', 'object', '-o', path('pc-tools.jsonl'), '--json']);
    expect(JSON.parse(kept.stdout)).toMatchObject({ to: 'prompt-completion', written: 20, from: { messages: 20 } });
    const [first] = linesOf(path('pc-tools.jsonl')).map((line) => JSON.parse(line));
    expect(Object.keys(first)).toEqual(['prompt', 'completion', 'tools']);
    expect(first.completion[0].tool_calls[0].function).toEqual({ name: 'Multiply', arguments: { a: 100, b: 101, result: 10100 } });
    expect(first.tools).toEqual(JSON.parse(tools[0] as string).tools);

    const asTools = await runCli(['dataset', 'convert', file, '--to', 'tools', '--arguments', 'object', '-o', path('t.jsonl')]);
    expect(asTools.code).toBe(0);
    expect(JSON.parse(linesOf(path('t.jsonl'))[0] as string).messages[2].tool_calls[0].function.arguments).toEqual({ a: 100, b: 101, result: 10100 });
  });

  it.each([
    [['--to', 'json', '--arguments', 'object'], "fn-distil: --arguments 'object' writes tool call arguments as objects, but json lines have no tool calls (it applies to tools, and prompt-completion with --completion 'tools').\n"],
    [['--to', 'prompt-completion', '--arguments', 'object'], "fn-distil: --arguments 'object' writes tool call arguments as objects, but a prompt-completion line's completion is JSON content unless --completion is 'tools': add that to keep the tool call.\n"],
    [['--to', 'tools', '--completion', 'tools'], "fn-distil: --completion is what a prompt-completion line's completion holds; converting to tools, leave it out.\n"],
  ])('convert %j says which flag does not fit, exit 1, nothing written', async (args, stderr) => {
    const { dir, file } = dataset(text(await captured('tools', 100, 102)));
    const result = await runCli(['dataset', 'convert', file, ...args]);
    expect(result).toEqual({ code: 1, stdout: '', stderr });
    expect(readdirSync(dir)).toEqual(['data.jsonl']);
  });

  it.each([
    ['split', []],
    ['dedupe', []],
    ['merge', ['-o', 'OUT']],
    ['convert', ['--to', 'json']],
    ['convert', ['--to', 'prompt-completion', '--completion', 'tools', '--arguments', 'object']],
  ])('%s says on one line which file and line is malformed, exits 1, and leaves no output or partial file', async (command, extra) => {
    const good = await captured('tools', 100, 103);
    const { dir, file, path } = dataset(`${good[0]}\n${good[1]}\n{"messages": [{"role": "user"\n${good[2]}\n`);
    const { code, stdout, stderr } = await runCli(['dataset', command, file, ...extra.map((arg) => (arg === 'OUT' ? path('out.jsonl') : arg))]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(new RegExp(`^fn-distil: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:3: the line is not valid JSON \\(.+\\)\\. Fix or remove the line.*\\n$`));
    expect(readdirSync(dir)).toEqual(['data.jsonl']);
  });

  it.each(['split', 'dedupe', 'merge', 'convert'])('%s says a missing file is missing, in one line, exit 1', async (command) => {
    const missing = tmp.path('missing.jsonl');
    const args = command === 'merge' ? [missing, '-o', tmp.path('m.jsonl')] : command === 'convert' ? [missing, '--to', 'tools'] : [missing];
    const { code, stderr } = await runCli(['dataset', command, ...args]);
    expect(code).toBe(1);
    expect(stderr).toBe(`fn-distil: Cannot read ${missing}: no such file. Check the path.\n`);
  });

  it.each([
    [['split', 'x.jsonl', '--val', '1'], "option '--val <share>' argument '1' is invalid"],
    [['split', 'x.jsonl', '--val', 'ten'], 'Must be a share between 0 and 1'],
    [['split', 'x.jsonl', '--seed', '1.5'], 'Must be a whole number'],
    [['merge', 'x.jsonl'], "required option '-o, --output <file>' not specified"],
    [['convert', 'x.jsonl'], "required option '--to <format>' not specified"],
    [['convert', 'x.jsonl', '--to', 'yaml'], 'Allowed choices are messages, tools, json, prompt-completion'],
    [['convert', 'x.jsonl', '--to', 'tools', '--arguments', 'json'], 'Allowed choices are string, object'],
    [['dedupe'], "missing required argument 'file'"],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const { code, stderr } = await runCli(['dataset', ...args]);
    expect(code).toBe(2);
    expect(stderr).toContain(message);
  });

  it('refuses to write over its input, before writing anything', async () => {
    const { dir, file } = dataset(text(await captured('tools', 100, 110)));
    for (const args of [['split', file, '--train-output', file], ['dedupe', file, '-o', file], ['convert', file, '--to', 'json', '-o', file], ['merge', file, '-o', file]]) {
      const { code, stderr } = await runCli(['dataset', ...args]);
      expect(code).toBe(1);
      expect(stderr).toBe(`fn-distil: The output ${file} is the input ${file}: writing it would destroy the data being read. Choose another output file.\n`);
    }
    expect(readdirSync(dir)).toEqual(['data.jsonl']);
  });

  it('--skip-invalid reports each line it leaves out on stderr (the first 20, then a count) and writes the rest', async () => {
    const good = await captured('tools', 100, 110);
    const bad = Array.from({ length: 25 }, (_, i) => `not json ${i}`);
    const { file, path } = dataset(text([...good.slice(0, 5), ...bad, ...good.slice(5)]));
    const { code, stdout, stderr } = await runCli(['dataset', 'convert', file, '--to', 'json', '--skip-invalid']);
    expect(code).toBe(0);
    const reported = stderr.trimEnd().split('\n');
    expect(reported).toHaveLength(21);
    expect(reported[0]).toMatch(new RegExp(`^fn-distil: skipped .*data\\.jsonl:6: the line is not valid JSON`));
    expect(reported[19]).toContain('data.jsonl:25:');
    expect(reported[20]).toBe('fn-distil: skipped 5 more invalid lines not shown');
    expect(stdout).toMatch(/skipped\s*│\s*25/);
    expect(linesOf(path('data.json.jsonl'))).toEqual(await captured('json', 100, 110));
  });

  it('counts one of a thing in the singular: dedupe --skip-invalid on a file with one good line', async () => {
    const [good] = await captured('tools', 100, 101);
    const { file, path } = dataset(text([good as string, 'not json']), 'bad.jsonl');
    const { code, stdout } = await runCli(['dataset', 'dedupe', file, '--skip-invalid']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(`Wrote 1 example to ${path('bad.deduped.jsonl')} (0 duplicates dropped):`);
    const twice = dataset(text([good as string, good as string, '']), 'twice.jsonl');
    const merged = await runCli(['dataset', 'merge', twice.file, '-o', twice.path('out.jsonl')]);
    expect(merged.stdout.split('\n')[0]).toBe(`Merged 1 shard into ${twice.path('out.jsonl')}: 1 example written, 1 duplicate dropped.`);
    const converted = await runCli(['dataset', 'convert', twice.file, '--to', 'json', '-o', twice.path('one.jsonl')]);
    expect(converted.stdout.split('\n')[0]).toBe(`Wrote 2 json examples to ${twice.path('one.jsonl')} (1 blank line left out):`);
  });

  it.each([
    ['Ctrl-C (SIGINT)', 'SIGINT', 130],
    ['kill (SIGTERM)', 'SIGTERM', 143],
    ['a closed terminal (SIGHUP)', 'SIGHUP', 129],
  ] as const)('stopped by %s, exits with 128 + the signal and leaves neither output nor partial file', async (_how, signal, exitCode) => {
    const line = (await captured('tools', 100, 101))[0] as string;
    const own = tempDir();
    cleanups.push(own.remove);
    // The input is a FIFO the test keeps open until the command has exited: the command cannot
    // reach the end of its input, and so finish, before the signal, however slow the machine.
    const file = own.path('data.jsonl');
    execFileSync('mkfifo', [file]);
    // Read-write, so opening does not wait for a reader and writes never block the test.
    const fifo = openSync(file, constants.O_RDWR | constants.O_NONBLOCK);
    let sent = 0;
    const feed = (): void => {
      const lines = Array.from({ length: 50 }, () => line.replace('"Return three_digit_multiply', `"${sent++} Return three_digit_multiply`)).join('\n');
      try {
        writeSync(fifo, `${lines}\n`);
      } catch (error) {
        // A full pipe: the command has plenty to read already.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN') throw error;
      }
    };
    try {
      feed();
      // Timers set once signalled never fire (no-timers-after-signal.cjs): the grace timer, which
      // would end the command by the signal itself, cannot beat its next read on a busy machine.
      const preload = join(__dirname, '..', 'helpers', 'no-timers-after-signal.cjs');
      const child = spawn(process.execPath, ['--require', preload, cliPath, 'dataset', 'dedupe', file], { env: { ...process.env, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
      const exit = new Promise<number | null>((resolve) => child.on('close', resolve));
      const partial = `${own.path('data.deduped.jsonl')}.partial`;
      while (!existsSync(partial) && child.exitCode === null) await sleep(5);
      expect(existsSync(partial)).toBe(true);
      child.kill(signal);
      // More lines keep coming, so the command reads on until it sees the signal and stops.
      const feeding = setInterval(feed, 20);
      const code = await exit.finally(() => clearInterval(feeding));
      expect(code).toBe(exitCode);
      expect(stderr).toBe(`fn-distil: Stopped by ${signal}: no output was written and the partial files were removed.\n`);
      expect(readdirSync(own.dir)).toEqual(['data.jsonl']);
    } finally {
      closeSync(fifo);
    }
  });
});
