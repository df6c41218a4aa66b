import { readFileSync } from 'node:fs';
import { prismPerFile, runCli } from '../helpers/cli';
import { tempDir } from '../helpers/files';
import { writeTrainingFile } from '../helpers/fine-tuning-data';

// Every files and jobs request the CLI makes, sent to Stoplight Prism mocking OpenAI's official
// spec: Prism answers 422 to any request the spec does not allow, so exit code 0 means the real
// API would accept what the CLI sent. Prism answers static examples (a file stays `uploaded`, a
// job stays `validating_files`), hence the options that skip waiting.

const tmp = tempDir();
afterAll(() => tmp.remove());
const prismUrl = prismPerFile();
const cli = (args: string[]) => runCli([...args, '--base-url', prismUrl()], { env: { OPENAI_API_KEY: 'test-key' } });

describe("the CLI's requests against OpenAI's spec (Prism)", () => {
  it('Prism does check requests: a job with a numeric training_file is a 422', async () => {
    const response = await fetch(`${prismUrl()}/fine_tuning/jobs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer test-key' },
      body: JSON.stringify({ model: 'gpt-4o-mini-2024-07-18', training_file: 123 }),
    });
    expect(response.status).toBe(422);
  });

  it('Prism checks multipart uploads too: an unknown purpose is a 422', async () => {
    const form = new FormData();
    form.append('purpose', 'training');
    form.append('file', new Blob(['{}\n']), 'train.jsonl');
    const response = await fetch(`${prismUrl()}/files`, { method: 'POST', headers: { authorization: 'Bearer test-key' }, body: form });
    expect(response.status).toBe(422);
  });

  it.each([
    ['files upload', (train: string) => ['files', 'upload', train, '--no-wait']],
    ['files upload --purpose batch', (train: string) => ['files', 'upload', train, '--purpose', 'batch', '--no-wait', '--json']],
    ['files list', () => ['files', 'list', '--purpose', 'fine-tune', '--limit', '3']],
    ['files status', () => ['files', 'status', 'file-abc123', '--json']],
    ['files delete', () => ['files', 'delete', 'file-abc123']],
    ['jobs create-from-id', () => ['jobs', 'create-from-id', 'file-abc123', '--validation-file-id', 'file-def456', '--model', 'gpt-4o-mini-2024-07-18', '--n-epochs', '3', '--batch-size', 'auto', '--learning-rate-multiplier', '0.5', '--suffix', 'multiply', '--seed', '42', '--no-wait-for-files']],
    ['jobs create-from-file', (train: string) => ['jobs', 'create-from-file', train, '--validation-file', train, '--n-epochs', 'auto', '--batch-size', '8', '--learning-rate-multiplier', 'auto', '--no-wait-for-files', '--json']],
    ['jobs list', () => ['jobs', 'list', '--limit', '5']],
    ['jobs events', () => ['jobs', 'events', 'ftjob-abc123', '--limit', '10']],
    ['jobs cancel', () => ['jobs', 'cancel', 'ftjob-abc123']],
  ])('%s succeeds', async (_name, args) => {
    const train = writeTrainingFile(tmp.path('train.jsonl'));
    const { code, stderr } = await cli(args(train));
    expect(stderr).not.toContain('fn-distil:');
    expect(code).toBe(0);
  });

  it('files download succeeds and writes exactly what the server sent', async () => {
    const output = tmp.path('download.jsonl');
    const { code, stderr } = await cli(['files', 'download', 'file-abc123', output]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const sent = await fetch(`${prismUrl()}/files/file-abc123/content`, { headers: { authorization: 'Bearer test-key', accept: '*/*' } });
    expect(readFileSync(output, 'utf8')).toBe(await sent.text());
  });

  it("jobs watch's requests are accepted: it follows until --wait-timeout, as Prism's job never moves", async () => {
    const { code, stdout, stderr } = await cli(['jobs', 'watch', 'ftjob-abc123', '--poll-interval', '100', '--wait-timeout', '500']);
    expect(stdout).not.toBe('');
    expect(stderr).toMatch(/^fn-distil: Stopped waiting for job ftjob-abc123 after \d+ m?s: it is still validating_files/);
    expect(code).toBe(1);
  });
});
