import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import winston from 'winston';
import { distil } from 'fn-distil';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { root } from '../helpers/processes';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());

/** The `$ fn-distil ...` commands of a docs section, each with the output printed under it. */
function documentedRuns(section: string): Array<{ args: string[]; output: string }> {
  const runs: Array<{ args: string[]; output: string }> = [];
  for (const [, block] of section.matchAll(/```console\n([\s\S]*?)```/g)) {
    for (const run of (block as string).split(/^\$ /m).slice(1)) {
      const [command, ...output] = run.split('\n');
      runs.push({ args: (command as string).split(' ').slice(1), output: output.join('\n') });
    }
  }
  return runs;
}

describe('docs/cli.md: split, dedupe, merge and convert', () => {
  const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
  const start = doc.indexOf('## Splitting, deduplicating, merging and converting');
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end === -1 ? undefined : end);

  it('documents every option of the four commands', async () => {
    expect(start).toBeGreaterThan(-1);
    for (const command of ['split', 'dedupe', 'merge', 'convert']) {
      const { stdout } = await runCli(['dataset', command, '--help']);
      const options = [...stdout.matchAll(/^ {2}(?:-\w, )?(--[\w-]+)/gm)].map((match) => match[1] as string).filter((option) => option !== '--help');
      expect(options.length).toBeGreaterThan(0);
      // Each in the first column of an options table: | `-o, --output <file>` | ... |
      for (const option of options) expect(section).toMatch(new RegExp(`^\\| \`[^|]*${option}[ \`]`, 'm'));
    }
  });

  it('prints exactly what it shows, on the data it describes', async () => {
    // host-a: a = 100..159, then 100..109 again; host-b: a = 140..199; all three_digit_multiply(a, 539), 'tools'.
    for (const [host, ranges] of [['host-a', [[100, 160], [100, 110]]], ['host-b', [[140, 200]]]] as const) {
      const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format: 'tools', transports: [new winston.transports.File({ filename: tmp.path(`${host}.jsonl`) })] });
      for (const [from, to] of ranges) for (let a = from; a < to; a++) multiply(a, 539);
      await multiply.close();
    }
    const runs = documentedRuns(section);
    expect(runs.map(({ args }) => args[1])).toEqual(['dedupe', 'merge', 'split', 'convert', 'convert', 'convert']);
    for (const { args, output } of runs) {
      const result = await runCli(args, { cwd: tmp.dir });
      expect({ args, stderr: result.stderr, code: result.code }).toEqual({ args, stderr: '', code: 0 });
      expect(result.stdout).toBe(output);
    }
    const chat = readFileSync(tmp.path('math_chat.train.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(chat).toHaveLength(90);
    expect(Object.keys(JSON.parse(chat[0] as string))).toEqual(['messages']);
    const trl = readFileSync(tmp.path('math_trl.train.jsonl'), 'utf8').split('\n').filter(Boolean);
    expect(trl.map((line) => JSON.parse(line))).toEqual(chat.map((line) => {
      const { messages } = JSON.parse(line) as { messages: unknown[] };
      return { prompt: messages.slice(0, -1), completion: messages.slice(-1) };
    }));
  });
});
