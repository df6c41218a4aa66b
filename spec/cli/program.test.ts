import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { root } from '../helpers/processes';

describe('the fn-distil executable', () => {
  it('--help lists every command group', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    for (const group of ['dataset', 'files', 'jobs', 'eval']) expect(stdout).toMatch(new RegExp(`^  ${group}\\b`, 'm'));
  });

  it('--version prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
    await expect(runCli(['--version'])).resolves.toMatchObject({ code: 0, stdout: `${version}\n` });
  });

  it('an unknown command is a usage error: exit code 2 and a hint', async () => {
    const { code, stderr } = await runCli(['bogus']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'bogus'");
    expect(stderr).toContain('--help');
  });
});

describe('--help on every command', () => {
  const commandsOf = (help: string): string[] =>
    [...(help.split('\nCommands:\n')[1] ?? '').matchAll(/^ {2}([a-z][\w-]*)/gm)].map((match) => match[1] as string).filter((name) => name !== 'help');

  const allCommands = async (): Promise<string[][]> => {
    const top = await runCli(['--help']);
    const leaves: string[][] = [];
    for (const group of commandsOf(top.stdout)) {
      const sub = commandsOf((await runCli([group, '--help'])).stdout);
      if (sub.length === 0) leaves.push([group]);
      for (const name of sub) leaves.push([group, name]);
    }
    return leaves;
  };

  it('every command prints its usage, its options and examples that use only those options', async () => {
    const leaves = await allCommands();
    expect(leaves.length).toBeGreaterThanOrEqual(18);
    for (const path of leaves) {
      const { code, stdout } = await runCli([...path, '--help']);
      expect({ path, code, usage: stdout.startsWith(`Usage: fn-distil ${path.join(' ')} `) }).toEqual({ path, code: 0, usage: true });
      const examples = stdout.split('\nExamples:\n')[1]?.trimEnd().split('\n') ?? [];
      expect({ path, examples: examples.length > 0 }).toEqual({ path, examples: true });
      const options = new Set([...stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1] as string));
      for (const example of examples) {
        expect({ path, example: `${example} `.startsWith(`  $ fn-distil ${path.join(' ')} `) }).toEqual({ path, example: true });
        for (const [option] of example.matchAll(/(?<= )--[\w-]+/g)) expect({ path, option, known: options.has(option) }).toEqual({ path, option, known: true });
      }
    }
  });

  it('--timeout says that uploads get at least 10 minutes on the commands that upload, and only there', async () => {
    const said: Record<string, boolean> = {};
    for (const path of await allCommands()) {
      const { stdout } = await runCli([...path, '--help']);
      // The description may wrap; it runs from the option to the next one, --max-retries.
      const description = stdout.replace(/\s+/g, ' ').match(/--timeout <ms> (.*?) --max-retries/)?.[1];
      if (description === undefined) continue;
      expect(description).toMatch(/^timeout of each HTTP request in milliseconds \(default: 60000[;)]/);
      said[path.join(' ')] = description.includes('uploads get at least 10 minutes');
    }
    expect(Object.keys(said)).toEqual(expect.arrayContaining(['files list', 'files status', 'jobs create-from-id', 'jobs watch', 'jobs events', 'eval']));
    expect(Object.entries(said).filter(([, uploads]) => uploads).map(([command]) => command).sort()).toEqual(['files upload', 'jobs create-from-file']);
  });
});

describe('usage errors', () => {
  it.each([
    [['bogus'], "fn-distil: unknown command 'bogus'. Add --help for usage.\n"],
    [['dataset', 'valdate', 'x.jsonl'], "fn-distil: unknown command 'valdate'. Did you mean validate? Add --help for usage.\n"],
    [['dataset', 'validate', 'x.jsonl', '--bogus'], "fn-distil: unknown option '--bogus'. Add --help for usage.\n"],
    [['dataset', 'validate', 'x.jsonl', '--jsn'], "fn-distil: unknown option '--jsn'. Did you mean --json? Add --help for usage.\n"],
    [['dataset', 'convert', 'x.jsonl', '--to', 'yaml'], "fn-distil: option '--to <format>' argument 'yaml' is invalid. Allowed choices are messages, tools, json, prompt-completion. Add --help for usage.\n"],
    [['files', 'list', '--limit', 'ten'], "fn-distil: option '--limit <n>' argument 'ten' is invalid. Not a number. Add --help for usage.\n"],
    [['files', 'status'], "fn-distil: missing required argument 'file-id'. Add --help for usage.\n"],
  ])('%j is one line on stderr, like every other failure, and exit code 2', async (args, line) => {
    await expect(runCli(args)).resolves.toEqual({ code: 2, stdout: '', stderr: line });
  });

  it('docs/cli.md quotes a usage error as it is printed', async () => {
    const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8').replace(/\s+/g, ' ');
    const { stderr } = await runCli(['dataset', 'valdate', 'x.jsonl']);
    expect(doc).toContain(`\`${stderr.trim()}\``);
  });
});

describe('a reader that stops early', () => {
  const tmp = tempDir();
  afterAll(() => tmp.remove());
  // Far more than a pipe holds (64 KB), so the command is still writing when the reader leaves.
  const manyErrors = (): string => {
    const file = tmp.path('bad.jsonl');
    writeFileSync(file, 'not json\n'.repeat(20_000));
    return file;
  };

  it('ends the command quietly, with the exit code of a process ended by SIGPIPE', async () => {
    const child = spawn(process.execPath, [cliPath, 'dataset', 'validate', manyErrors(), '--max-issues', '100000'], { stdio: ['ignore', 'pipe', 'pipe'] });
    // Close the reading end before the command writes anything: every write then fails (EPIPE).
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
    expect({ code, signal, stderr }).toEqual({ code: 141, signal: null, stderr: '' });
  });

  it('`| head -1` prints the first line, and the command ends with no stack trace', () => {
    const script = `"${process.execPath}" "${cliPath}" dataset validate "${manyErrors()}" --max-issues 100000 | head -1; echo "exit codes \${PIPESTATUS[*]}" >&2`;
    const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', timeout: 30_000 });
    expect(result.stdout).toMatch(/^\S+bad\.jsonl:1: error \[invalid_json\] the line is not valid JSON .*\n$/);
    expect(result.stderr).toBe('exit codes 141 0\n');
  });
});
