import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import winston from 'winston';
import { distil } from 'fn-distil';
import { runCli } from '../helpers/cli';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai';
import { tempDir } from '../helpers/files';
import { root } from '../helpers/processes';
import { Multiply, multiplyImpl } from '../helpers/schemas';

// docs/cli.md's eval section is run as written, against a scripted chat server through
// OPENAI_BASE_URL, so its command, options and output cannot drift from the CLI.

const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
const start = doc.indexOf('## `eval`');
const section = doc.slice(start, doc.indexOf('\n## ', start + 1) === -1 ? undefined : doc.indexOf('\n## ', start + 1));
const block = (language: string) => [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => (m[1] as string).trim());

let server: FakeOpenAI;
const tmp = tempDir();
beforeAll(async () => {
  server = await startFakeOpenAI();
  const multiply = distil(multiplyImpl, Multiply, {
    name: 'three_digit_multiply',
    transports: [new winston.transports.File({ filename: join(tmp.dir, 'math_finetunes.val.jsonl') })],
  });
  for (let i = 0; i < 10; i++) multiply(123 + i, 456 - i);
  await multiply.close();
});
afterAll(async () => {
  await server.close();
  tmp.remove();
});

describe('docs/cli.md, eval', () => {
  it('the documented command runs and prints the documented tables', async () => {
    const [command] = block('sh');
    expect(command).toMatch(/^fn-distil eval /);
    // The sentence introducing the output is followed by the output itself.
    expect(section).toMatch(/\n```\n\nprints, [^\n]+:\n\n```text\n/);
    const { code, stdout, stderr } = await runCli(command!.split(' ').slice(1), { cwd: tmp.dir, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: server.baseURL } });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // Same rows, in the same order, as the documented output (values depend on the model).
    const rows = (text: string) => [...text.matchAll(/^│ ([^│]+?)\s+│/gm)].map((m) => m[1]);
    expect(rows(stdout)).toEqual(rows(block('text')[0] ?? ''));
    expect(server.violations).toEqual([]);
  });

  it('documents every option of `eval`', async () => {
    const { stdout } = await runCli(['eval', '--help']);
    const options = [...stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string).filter((o) => o !== '--help');
    expect(options.length).toBeGreaterThan(10);
    for (const option of options) expect(section).toContain(`\`${option}`);
  });
});
