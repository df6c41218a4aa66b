import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { toolsLine } from '../helpers/training-lines';

const removals: Array<() => void> = [];
afterAll(() => removals.forEach((remove) => remove()));

const examples = Array.from({ length: 12 }, (_, i) => JSON.stringify(toolsLine(100 + i)));
/** Writes `lines` (joined by \n) into a directory of their own; returns the file. */
function fixture(name: string, lines: readonly string[]): string {
  const own = tempDir();
  removals.push(own.remove);
  const file = own.path(name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

type Counted = { readonly examples: number; readonly blank: number };
/** Each command, run with --json, and what it says it read: examples and blank lines. */
const commands: ReadonlyArray<[string, (file: string) => string[], (json: any) => Counted]> = [
  ['validate', (file) => ['dataset', 'validate', file, '--json', '--min-examples', '1'], (r) => ({ examples: r.examples, blank: r.counts.blank_line ?? 0 })],
  ['validate --threads 2', (file) => ['dataset', 'validate', file, '--json', '--min-examples', '1', '--threads', '2'], (r) => ({ examples: r.examples, blank: r.counts.blank_line ?? 0 })],
  ['stats', (file) => ['dataset', 'stats', file, '--json'], (r) => ({ examples: r.examples, blank: 0 })],
  ['dedupe', (file) => ['dataset', 'dedupe', file, '--json'], (r) => ({ examples: r.read, blank: r.blank })],
  ['merge', (file) => ['dataset', 'merge', file, '-o', `${file}.merged.jsonl`, '--json'], (r) => ({ examples: r.read, blank: r.blank })],
  ['split', (file) => ['dataset', 'split', file, '--json'], (r) => ({ examples: r.examples, blank: r.blank })],
  ['convert', (file) => ['dataset', 'convert', file, '--to', 'json', '--json'], (r) => ({ examples: r.read, blank: r.blank })],
];
// stats reports no blank count: it is checked against what the others say.
const blankOf = (command: string, expected: number): number => (command === 'stats' ? 0 : expected);

describe('one rule for what a line is, in every dataset command', () => {
  const bom = fixture('bom.jsonl', [`\uFEFF${examples[0]}`, ...examples.slice(1)]);
  const blank = fixture('blank.jsonl', [...examples.slice(0, 4), '', ' \t ', ...examples.slice(4, 8), '\t\r\r', ...examples.slice(8)]);
  const nbsp = fixture('nbsp.jsonl', [...examples.slice(0, 4), '\u00a0', ...examples.slice(4)]);

  it.each(commands)('%s reads past a byte order mark at the start of a file, and writes none', async (command, args, counted) => {
    const { code, stdout, stderr } = await runCli(args(bom));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(counted(JSON.parse(stdout))).toEqual({ examples: 12, blank: 0 });
    if (command.startsWith('validate')) expect(JSON.parse(stdout).warnings).toEqual([expect.objectContaining({ line: 1, check: 'byte_order_mark' })]);
    const dir = bom.slice(0, bom.lastIndexOf('/'));
    for (const output of readdirSync(dir).filter((name) => name !== 'bom.jsonl')) expect(readFileSync(`${dir}/${output}`, 'utf8')).not.toContain('\uFEFF');
  });

  it.each(commands)('%s skips and counts lines of only spaces, tabs and CRs as blank', async (command, args, counted) => {
    const { code, stdout, stderr } = await runCli(args(blank));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(counted(JSON.parse(stdout))).toEqual({ examples: 12, blank: blankOf(command, 3) });
  });

  it.each(commands)('%s refuses a line holding a non-breaking space: it is not blank, and not JSON', async (command, args) => {
    const { code, stdout, stderr } = await runCli(args(nbsp));
    expect(code).toBe(1);
    if (command.startsWith('validate')) {
      expect(JSON.parse(stdout).errors).toEqual([{ file: nbsp, line: 5, check: 'invalid_json', message: expect.stringMatching(/^the line is not valid JSON \(.+\)\.$/) }]);
    } else {
      expect(stdout).toBe('');
      expect(stderr).toMatch(new RegExp(`^fn-distil: ${escape(nbsp)}:5: the line is not valid JSON \\(.+\\)\\. [^\\n]+\\n$`));
    }
  });
});

describe('the next step a malformed line suggests', () => {
  it('is --skip-invalid for dedupe, merge and convert, which take it, and not for split or stats, which do not', async () => {
    const file = fixture('broken.jsonl', [...examples.slice(0, 3), '{"messages": [', ...examples.slice(3)]);
    const said = async (args: string[]): Promise<string> => (await runCli(['dataset', ...args])).stderr;
    for (const args of [['dedupe', file], ['merge', file, '-o', `${file}.out`], ['convert', file, '--to', 'tools']]) {
      expect(await said(args)).toMatch(/:4: the line is not valid JSON \(.+\)\. Fix or remove the line, or leave bad lines out with --skip-invalid/);
    }
    const split = await said(['split', file]);
    expect(split).toMatch(/:4: the line is not valid JSON \(.+\)\. Fix or remove the line\.\n$/);
    expect(split).not.toContain('--skip-invalid');
    const stats = await said(['stats', file]);
    expect(stats).toMatch(/:4: the line is not valid JSON \(.+\)\. Run `fn-distil dataset validate .*` to see every problem\.\n$/);
    expect(stats).not.toContain('--skip-invalid');
  });
});
