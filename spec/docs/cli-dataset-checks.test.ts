import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil } from 'fn-distil';
import { datasetChecks } from '../../lib/dataset/checks';
import { runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { root, runScript } from '../helpers/processes';

const tmp = tempDir();
afterAll(() => tmp.remove());

const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
const start = doc.indexOf('## Checking a dataset: `dataset validate` and `dataset stats`');
const rest = doc.slice(start + 1);
const end = rest.search(/\n(## |<!--)/);
const section = end === -1 ? rest : rest.slice(0, end);
const blocks = (language: string): string[] => [...section.matchAll(new RegExp('```' + language + '\\n([\\s\\S]*?)```', 'g'))].map((match) => match[1] as string);

/** The demo's file (docs/examples/demo.ts), with fixed arguments instead of random ones. */
async function demoFile(file: string): Promise<void> {
  const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply', description: 'The product of two integers' });
  const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
    name: 'three_digit_multiply',
    format: 'messages',
    transports: [new winston.transports.File({ filename: file, options: { flags: 'w' } })],
  });
  for (let i = 0; i < 100; i++) multiply(100 + ((i * 7919) % 900), 100 + ((i * 104729) % 900));
  await multiply.close();
}

beforeAll(async () => {
  expect(start).toBeGreaterThan(-1);
  await demoFile(tmp.path('math_finetunes.jsonl'));
  const [broken] = blocks('jsonl');
  writeFileSync(tmp.path('broken.jsonl'), broken as string);
});

describe('docs/cli.md, dataset validate and stats', () => {
  const sessions = blocks('console').flatMap((block) =>
    block
      .split(/^\$ /m)
      .filter(Boolean)
      .map((session) => {
        const [command, ...output] = session.split('\n');
        return [command as string, output.join('\n')] as const;
      }),
  );

  it('shows at least the validate and stats commands, each with its output', () => {
    expect(sessions.map(([command]) => command.split(' ').slice(0, 4).join(' '))).toEqual(
      expect.arrayContaining(['npx fn-distil dataset validate', 'npx fn-distil dataset stats']),
    );
  });

  it.each(sessions)('`%s` prints what the docs show', async (command, output) => {
    expect(command.startsWith('npx fn-distil ')).toBe(true);
    const { code, stdout, stderr } = await runCli(command.split(' ').slice(2), { cwd: tmp.dir });
    expect(stderr).toBe('');
    expect(stdout).toBe(output);
    expect(code).toBe(/^\d+ errors?, |"ok": false/m.test(output) ? 1 : 0);
  });

  it('lists every check with its severity, kind and what it finds', () => {
    for (const [check, { severity, kind, description }] of Object.entries(datasetChecks)) {
      expect(section).toContain(`| \`${check}\` | ${severity} | ${kind} | ${description} |`);
    }
  });

  it.each([['validate'], ['stats']])('documents every option of dataset %s', async (command) => {
    const { stdout } = await runCli(['dataset', command, '--help']);
    const options = [...stdout.matchAll(/^ {2}(--[a-z-]+)/gm)].map((match) => match[1] as string);
    expect(options.length).toBeGreaterThan(3);
    for (const option of options) expect(section).toContain(`\`${option}`);
  });

  it('the code example runs and prints what the commands print', () => {
    const [example] = blocks('ts');
    const result = runScript(`process.chdir(${JSON.stringify(tmp.dir)});\n${example as string}`);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe('true 100 124 3 0.1116\n');
  });
});
