import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cliPath, runCli } from '../helpers/cli';
import { startFakeFineTuning, type FakeFineTuning } from '../helpers/fake-finetuning';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai';
import { tempDir } from '../helpers/files';
import { root, runTs } from '../helpers/processes';

// README's command-line walk-through, run line by line as a user would: the demo, then each
// `npx fn-distil` command on the built executable, the API ones against scripted servers on
// 127.0.0.1 (files and jobs; chat for eval) standing in for OpenAI and a self-hosted server.

const readme = readFileSync(join(root, 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## From dataset to fine-tuned model'), readme.indexOf('## Swap in the fine-tuned model'));
const blocks = [...section.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => (m[1] as string).trim().split('\n').map((line) => line.replace(/\s+#.*$/, '')));

let jobs: FakeFineTuning;
let chat: FakeOpenAI;
const tmp = tempDir();
beforeAll(async () => {
  [jobs, chat] = await Promise.all([startFakeFineTuning(), startFakeOpenAI()]);
  jobs.fileScript = () => ({ polls: 0 });
  jobs.jobScript = () => [
    { status: 'validating_files', events: [{ message: 'Validating training file' }] },
    { status: 'succeeded', events: [{ message: 'The job has successfully completed' }] },
  ];
});
afterAll(async () => {
  await Promise.all([jobs.close(), chat.close()]);
  tmp.remove();
});

async function run(line: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  if (line === 'npm run build') {
    // The Jest global setup has run it (building again here would pull dist/ from under the test
    // files running beside this one); what the line is for is that `npx fn-distil` then finds the
    // built command inside this repository, rather than `sh: fn-distil: not found`.
    expect(existsSync(cliPath)).toBe(true);
    const npx = spawnSync('npx', ['--no-install', 'fn-distil', '--version'], { cwd: root, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(npx.stdout.trim()).toBe(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version);
    return { code: npx.status, stdout: npx.stdout, stderr: npx.stderr.replace(/npm warn.*\n/g, '') };
  }
  if (line === 'npm run demo') {
    const demo = runTs(join(root, 'docs', 'examples', 'demo.ts'), [join(tmp.dir, 'math_finetunes.jsonl')]);
    return { code: demo.status, stdout: demo.stdout, stderr: demo.stderr.replace(/npm warn.*\n/g, '') };
  }
  expect(line).toMatch(/^npx fn-distil /);
  const args = line.split(/\s+/).slice(2);
  // The API commands reach the servers the way users point them anywhere: OPENAI_BASE_URL or --base-url.
  const baseURL = args[0] === 'eval' ? chat.baseURL : jobs.baseURL;
  const index = args.indexOf('--base-url');
  if (index >= 0) args[index + 1] = chat.baseURL;
  return runCli(args, { cwd: tmp.dir, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: baseURL } });
}

describe("README's command-line walk-through", () => {
  it('goes from the demo dataset to an evaluated self-hosted model: validate, dedupe, split, convert for TRL, eval', async () => {
    // Comment lines stand for what runs outside fn-distil (training, serving): docs/open-weight.md, run by npm run test:open-weight.
    const lines = (blocks[0] ?? []).filter((line) => !line.startsWith('#'));
    expect(lines).toHaveLength(7);
    // Built before the first `npx fn-distil`, so each command works when its line is reached.
    expect(lines[0]).toBe('npm run build');
    for (const line of lines) {
      const { code, stdout, stderr } = await run(line);
      expect([line, stderr.split('\n').filter((l) => l.startsWith('fn-distil:'))]).toEqual([line, []]);
      expect([line, code]).toEqual([line, 0]);
      if (line.includes(' eval ')) expect(stdout).toMatch(/exact match\s*│\s*100\.0%/);
    }
    const trainLine = JSON.parse(readFileSync(join(tmp.dir, 'math_pc.train.jsonl'), 'utf8').split('\n')[0] as string) as Record<string, unknown>;
    expect(Object.keys(trainLine)).toEqual(['prompt', 'completion']);
    // eval asked the self-hosted server as llama.cpp's profile has it: max_tokens, no max_completion_tokens.
    expect(chat.requests).toHaveLength(20);
    expect(chat.requests[0]).toMatchObject({ model: 'my-multiply', response_format: { type: 'json_schema' }, max_tokens: 1024, temperature: 0 });
    expect(chat.violations).toEqual([]);
  });

  it('fine-tunes on a provider (OpenAI) and evaluates the fine-tuned model', async () => {
    chat.requests.length = 0;
    const lines = (blocks[1] ?? []).filter((line) => !line.startsWith('export '));
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const { code, stderr } = await run(line);
      expect([line, stderr.split('\n').filter((l) => l.startsWith('fn-distil:'))]).toEqual([line, []]);
      expect([line, code]).toEqual([line, 0]);
    }
    const [job] = [...jobs.jobs.values()];
    expect(job?.object['status']).toBe('succeeded');
    expect(chat.requests).toHaveLength(20);
    expect(chat.violations).toEqual([]);
    expect(jobs.violations).toEqual([]);
  });
});
