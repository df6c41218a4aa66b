import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { startFakeFineTuning, type FakeFineTuning, type JobStage } from '../helpers/fake-finetuning';
import { tempDir } from '../helpers/files';
import { writeTrainingFile } from '../helpers/fine-tuning-data';
import { root } from '../helpers/processes';

// docs/cli.md's fine-tuning section is run as written, against the scripted server through
// OPENAI_BASE_URL, so the documented commands, options and output cannot drift from the CLI.

const doc = readFileSync(join(root, 'docs', 'cli.md'), 'utf8');
const section = doc.slice(doc.indexOf('## Fine-tuning: `files` and `jobs`'), doc.indexOf('## `eval`'));
const blocks = (language: string) => [...section.matchAll(new RegExp(`\`\`\`${language}\\n([\\s\\S]*?)\`\`\``, 'g'))].map((m) => (m[1] as string).trim().split('\n'));
const commands = blocks('sh').flat().filter((line) => line.startsWith('fn-distil '));

let fake: FakeFineTuning;
const tmp = tempDir();
beforeAll(async () => {
  fake = await startFakeFineTuning();
  // The ids the docs use, and servers that answer at once (the docs keep the default intervals).
  fake.fileScript = () => ({ polls: 0 });
  fake.jobScript = () => [{ status: 'validating_files', events: [{ message: 'Validating training file' }] }, ...finishes];
  for (const id of ['file-abc123', 'file-def456', 'file-res789']) fake.addFile({ id, filename: `${id}.jsonl`, content: '{}\n' });
  fake.addJob({ id: 'ftjob-abc123', trainingFile: 'file-abc123', stages: [{ status: 'running' }, ...finishes] });
  fake.addJob({ id: 'ftjob-ghi012', trainingFile: 'file-abc123', stages: [{ status: 'running' }, ...finishes] });
  writeTrainingFile(join(tmp.dir, 'train.jsonl'), 30);
  writeTrainingFile(join(tmp.dir, 'valid.jsonl'), 10, 2);
});
afterAll(async () => {
  await fake.close();
  tmp.remove();
});
afterEach(() => expect(fake.violations).toEqual([]));
const finishes: JobStage[] = [{ status: 'succeeded', events: [{ message: 'Step 1/1: training loss=0.10' }, { message: 'The job has successfully completed' }] }];

const run = (command: string) =>
  runCli(command.split(' ').slice(1), { cwd: tmp.dir, env: { OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: fake.baseURL } });

/** A documented output line as a pattern: ids, numbers, dates and model names vary. */
function shape(line: string): RegExp {
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(
    `^${escaped
      .replace(/ft:[^\s]+/g, 'ft:\\S+')
      .replace(/(file|ftjob)-[a-z0-9]+/g, '$1-\\w+')
      .replace(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/g, '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d')
      .replace(/(?<![\\\w])\d[\d,]*(?![\w])/g, '[\\d,]+')
      // Warnings depend on the data, not on the command: `no errors, 2 warnings (...)`.
      .replace(/no errors\\\./, 'no errors(, .+)?\\.')}$`,
  );
}

describe('docs/cli.md, files and jobs', () => {
  it('documents at least one runnable command per files and jobs command', () => {
    const documented = new Set(commands.map((c) => c.split(' ').slice(1, 3).join(' ')));
    for (const command of ['files upload', 'files list', 'files download', 'files delete', 'jobs create-from-file', 'jobs create-from-id', 'jobs watch', 'jobs events', 'jobs list', 'jobs cancel']) {
      expect(documented).toContain(command);
    }
  });

  it('the one-command path prints what the docs show', async () => {
    const [quick] = commands;
    const { code, stdout, stderr } = await run(quick as string);
    expect(stderr).not.toContain('fn-distil:');
    expect(code).toBe(0);
    const printed = `${stderr}${stdout}`.trim().split('\n');
    const expected = (blocks('text')[0] as string[]).filter((line) => line !== '...' && !/^\d{4}-/.test(line));
    expect(expected.length).toBeGreaterThan(4);
    for (const line of expected) expect(printed).toContainEqual(expect.stringMatching(shape(line)));
  });

  it.each(commands.slice(1))('`%s` runs as documented', async (command) => {
    const { code, stderr } = await run(command);
    expect(stderr).not.toContain('fn-distil:');
    expect(code).toBe(0);
  });

  it.each(['files upload', 'files list', 'files status', 'files download', 'files delete', 'jobs create-from-file', 'jobs create-from-id', 'jobs watch', 'jobs events', 'jobs list', 'jobs cancel'])(
    'documents every option of `%s`',
    async (command) => {
      const { stdout } = await runCli([...command.split(' '), '--help']);
      const options = [...stdout.matchAll(/^\s+(?:-\w, )?(--[\w-]+)/gm)].map((m) => m[1] as string).filter((o) => o !== '--help');
      expect(options.length).toBeGreaterThan(2);
      const heading = section.search(new RegExp(`### \`fn-distil ${command}[ \`]`));
      expect(heading).toBeGreaterThan(0);
      const own = section.slice(heading, section.indexOf('\n### ', heading + 1) === -1 ? undefined : section.indexOf('\n### ', heading + 1));
      for (const option of options) expect(['--base-url', '--timeout', '--max-retries'].includes(option) ? section : own).toContain(`\`${option}`);
    },
  );
});
