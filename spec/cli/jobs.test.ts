import { readFileSync, writeFileSync } from 'node:fs';
import { canRunInTerminal, runCli, runCliInTerminal, visibleLines } from '../helpers/cli';
import { failing, fakeFineTuningPerTest, succeeding, type FakeFineTuning, type JobStage, type UploadBody } from '../helpers/fake-finetuning';
import { tempDir } from '../helpers/files';
import { defaultModel } from '../../lib/dataset/models';
import { validateDataset } from '../../lib/dataset/validate';
import { openApiValidator } from '../helpers/openapi';
import { trainingLines, writeTrainingFile } from '../helpers/fine-tuning-data';

let fake: FakeFineTuning;
const cli = fakeFineTuningPerTest((started) => (fake = started));
const tmp = tempDir();
afterAll(() => tmp.remove());

const fast = ['--poll-interval', '10'];
const jobRequests = () => fake.requestsTo('POST', /^\/fine_tuning\/jobs$/).map((r) => r.body as Record<string, unknown>);
const errorLines = (stderr: string) => stderr.split('\n').filter((line) => line.startsWith('fn-distil: '));
const running = (steps: number): JobStage[] => [
  { status: 'running', events: [{ message: 'Fine-tuning job started' }] },
  ...Array.from({ length: steps }, (_, i): JobStage => ({ status: 'running', events: [{ message: `Step ${i + 1}/${steps}`, type: 'metrics', data: { step: i + 1 } }] })),
  { status: 'succeeded', events: [{ message: 'The job has successfully completed' }] },
];

describe('fn-distil jobs create-from-file', () => {
  it('checks, uploads and waits for both files, creates a supervised job with the hyperparameters, and follows it to the model', async () => {
    const train = writeTrainingFile(tmp.path('train.jsonl'), 20);
    const valid = writeTrainingFile(tmp.path('valid.jsonl'), 10, 2);
    fake.fileScript = () => ({ polls: 2 });
    const { code, stdout, stderr } = await cli([
      'jobs', 'create-from-file', train, '--validation-file', valid, '--model', 'gpt-4.1-mini-2025-04-14',
      '--n-epochs', '3', '--batch-size', '4', '--learning-rate-multiplier', '0.5', '--suffix', 'multiply', '--seed', '7', '--wait', ...fast,
    ]);
    expect(stderr).toContain(`Checked ${train}: 20 examples, no errors`);
    expect(stderr).toContain(`Checked ${valid}: 10 examples, no errors`);
    expect(code).toBe(0);
    const sent = fake.requestsTo('POST', /^\/files$/).map((r) => r.body as UploadBody);
    expect(sent.map((u) => u.files[0]?.content.toString())).toEqual([readFileSync(train, 'utf8'), readFileSync(valid, 'utf8')]);
    const [trainId, validId] = [...fake.files.keys()];
    // Both files were polled until processed before the job was created.
    const order = fake.requests.map((r) => `${r.method} ${r.path}`);
    expect(order.lastIndexOf(`GET /files/${validId}`)).toBeLessThan(order.indexOf('POST /fine_tuning/jobs'));
    expect(fake.requestsTo('GET', new RegExp(`^/files/(${trainId}|${validId})$`))).toHaveLength(4);
    expect(jobRequests()).toEqual([
      {
        model: 'gpt-4.1-mini-2025-04-14',
        training_file: trainId,
        validation_file: validId,
        suffix: 'multiply',
        seed: 7,
        method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 3, batch_size: 4, learning_rate_multiplier: 0.5 } } },
      },
    ]);
    const [job] = [...fake.jobs.values()];
    const model = job?.object['fine_tuned_model'] as string;
    expect(model).toMatch(/^ft:gpt-4\.1-mini-2025-04-14:fake-org:multiply:/);
    const printedEvents = stdout.split('\n').filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}\w+/.test(line)).map((line) => line.slice(28));
    expect(printedEvents).toEqual(job?.events.map((e) => e['message']));
    expect(stdout.trim().split('\n').at(-1)).toBe(`Job ${String(job?.object['id'])} succeeded. Fine-tuned model: ${model}`);
  });

  it('without --wait prints the new job and how to follow it', async () => {
    const train = writeTrainingFile(tmp.path('nowait.jsonl'));
    const { code, stdout } = await cli(['jobs', 'create-from-file', train, ...fast]);
    expect(code).toBe(0);
    const [id] = [...fake.jobs.keys()];
    expect(stdout).toContain(`Created ${id} (gpt-4o-mini-2024-07-18, validating_files). Follow it with \`fn-distil jobs watch ${id}\`.`);
    expect(jobRequests()[0]).toEqual({ model: 'gpt-4o-mini-2024-07-18', training_file: [...fake.files.keys()][0], method: { type: 'supervised', supervised: { hyperparameters: {} } } });
    expect(fake.requestsTo('GET', /^\/fine_tuning\/jobs\//)).toEqual([]);
  });

  it.each([
    ['the training file', 'train'],
    ['the validation file', 'valid'],
  ])('refuses to upload anything when %s has errors', async (_which, bad) => {
    const train = writeTrainingFile(tmp.path(`t-${bad}.jsonl`));
    const valid = writeTrainingFile(tmp.path(`v-${bad}.jsonl`), 10, 3);
    const file = bad === 'train' ? train : valid;
    writeFileSync(file, `${trainingLines(12).join('\n')}\n{broken\n`);
    const { code, stderr } = await cli(['jobs', 'create-from-file', train, '--validation-file', valid, '--wait', ...fast]);
    expect(code).toBe(1);
    const { errors } = await validateDataset([file]);
    expect(errors.map((e) => e.line)).toEqual([13]);
    expect(stderr).toContain(`${file}:13: `);
    expect(errorLines(stderr)).toEqual([expect.stringContaining(`${file} has 1 error; nothing was uploaded.`)]);
    expect(fake.requests).toEqual([]);
  });

  it("holds the training file to OpenAI's 10-example minimum, not a smaller validation file", async () => {
    const train = writeTrainingFile(tmp.path('min-train.jsonl'), 12);
    const valid = writeTrainingFile(tmp.path('min-valid.jsonl'), 3, 2);
    const accepted = await cli(['jobs', 'create-from-file', train, '--validation-file', valid, ...fast]);
    expect(accepted.stderr).toContain(`Checked ${valid}: 3 examples, no errors`);
    expect(accepted.code).toBe(0);
    const refused = await cli(['jobs', 'create-from-file', valid, ...fast]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('nothing was uploaded');
  });

  it('an unknown base model (the server answers 404) is refused before anything is uploaded, in one line saying how to list models', async () => {
    const train = writeTrainingFile(tmp.path('unknown-model.jsonl'));
    const { code, stdout, stderr } = await cli(['jobs', 'create-from-file', train, '--model', 'Qwen/Qwen2.5-7B-Instruct', '--encoding', 'o200k_base', '--token-limit', '65536', ...fast]);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(errorLines(stderr)).toEqual([
      `fn-distil: The server does not have the base model Qwen/Qwen2.5-7B-Instruct (404 The model 'Qwen/Qwen2.5-7B-Instruct' does not exist or you do not have access to it): nothing was uploaded. ` +
        `List its models with \`curl ${fake.baseURL}/models -H "Authorization: Bearer $OPENAI_API_KEY"\` and pass one with --model.`,
    ]);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /models/Qwen%2FQwen2.5-7B-Instruct', 'GET /models']);
  });

  it.each([
    ['has no models endpoint (405)', () => fake.fail({ method: 'GET', path: /^\/models\// }, 405, 'Method Not Allowed')],
    ['fails to answer about models (501)', () => fake.fail({ method: 'GET', path: /^\/models\// }, 501, 'Not Implemented', 3)],
    ['cannot find an id with a slash, but lists it', () => {
      fake.models.add('Qwen/Qwen2.5-7B-Instruct');
      fake.fail({ method: 'GET', path: /^\/models\/.+/ }, 404, 'Unknown route GET /models/Qwen%2FQwen2.5-7B-Instruct');
    }],
  ])('when the server %s, the model is not refused: the files are uploaded and the job created', async (_case, setUp) => {
    fake.models.add('Qwen/Qwen2.5-7B-Instruct');
    setUp();
    const train = writeTrainingFile(tmp.path('qwen.jsonl'));
    const { code, stderr } = await cli(['jobs', 'create-from-file', train, '--model', 'Qwen/Qwen2.5-7B-Instruct', '--encoding', 'o200k_base', '--token-limit', '65536', '--max-retries', '2', ...fast]);
    expect(errorLines(stderr)).toEqual([]);
    expect(code).toBe(0);
    expect(jobRequests()).toEqual([expect.objectContaining({ model: 'Qwen/Qwen2.5-7B-Instruct' })]);
  });

  it('a model the server has but does not fine-tune is the API 400 at job creation, shown with its message', async () => {
    fake.otherModels.add('gpt-4o-mini-2099-01-01');
    const train = writeTrainingFile(tmp.path('model.jsonl'));
    const { code, stderr } = await cli(['jobs', 'create-from-file', train, '--model', 'gpt-4o-mini-2099-01-01', '--encoding', 'o200k_base', '--token-limit', '65536', ...fast]);
    expect(code).toBe(1);
    expect(errorLines(stderr)).toEqual(['fn-distil: API error: 400 Model gpt-4o-mini-2099-01-01 is not available for fine-tuning or does not exist.']);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stderr).toContain(`The files are uploaded; once the cause is fixed, start the job with \`fn-distil jobs create-from-id ${[...fake.files.keys()][0]} ...\`.`);
  });

  it('a job that fails while --wait follows it exits 1 with the reason', async () => {
    fake.jobScript = () => failing('Training file has 3 examples; at least 10 are required');
    const train = writeTrainingFile(tmp.path('fails.jsonl'));
    const { code, stdout, stderr } = await cli(['jobs', 'create-from-file', train, '--wait', ...fast]);
    expect(code).toBe(1);
    const [id] = [...fake.jobs.keys()];
    expect(stdout).toMatch(/ error  Job failed: Training file has 3 examples/);
    expect(errorLines(stderr)).toEqual([`fn-distil: Job ${id} failed: Training file has 3 examples; at least 10 are required (invalid_training_file, training_file). Fix the cause and start a new job.`]);
  });

  it('--no-wait-for-files creates the job right after uploading, and the server says if the file is not ready', async () => {
    fake.fileScript = () => ({ polls: 5 });
    const train = writeTrainingFile(tmp.path('notready.jsonl'));
    const { code, stderr } = await cli(['jobs', 'create-from-file', train, '--no-wait-for-files']);
    expect(code).toBe(1);
    expect(fake.requestsTo('GET', /^\/files\//)).toEqual([]);
    expect(stderr).toContain('fn-distil: API error: 400 File file-000001 is not ready: it is still uploaded.');
  });

  it('--json --wait prints one JSON object per line: each event once, then the succeeded job', async () => {
    fake.jobScript = () => succeeding(150);
    const train = writeTrainingFile(tmp.path('json.jsonl'));
    const { code, stdout, stderr } = await cli(['jobs', 'create-from-file', train, '--wait', '--json', ...fast]);
    expect(code).toBe(0);
    expect(stderr).toContain('Uploaded');
    const lines = stdout.trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const job = lines.pop();
    expect(job).toMatchObject({ object: 'fine_tuning.job', status: 'succeeded' });
    expect(openApiValidator('openapi.json', 'FineTuningJob')(job)).toBe(true);
    const stored = fake.jobs.get(job?.['id'] as string);
    expect(lines).toEqual(stored?.events);
    expect(lines.filter((e) => e['type'] === 'metrics')).toHaveLength(150);
  });
});

describe('fn-distil jobs create-from-id', () => {
  it('waits for the uploaded files, then creates the job on them', async () => {
    fake.addFile({ id: 'file-train', filename: 'train.jsonl', content: 'x\n', status: 'uploaded' });
    fake.files.get('file-train')!.pollsLeft = 2;
    fake.addFile({ id: 'file-valid', filename: 'valid.jsonl', content: 'y\n' });
    const { code, stdout } = await cli(['jobs', 'create-from-id', 'file-train', '--validation-file-id', 'file-valid', '--n-epochs', 'auto', '--batch-size', '8', ...fast]);
    expect(code).toBe(0);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /files/file-train', 'GET /files/file-train', 'GET /files/file-valid', 'POST /fine_tuning/jobs']);
    expect(jobRequests()[0]).toEqual({
      model: 'gpt-4o-mini-2024-07-18',
      training_file: 'file-train',
      validation_file: 'file-valid',
      method: { type: 'supervised', supervised: { hyperparameters: { n_epochs: 'auto', batch_size: 8 } } },
    });
    expect(stdout).toContain('Created ftjob-');
  });

  it('a training file the server could not process stops before any job is created', async () => {
    fake.addFile({ id: 'file-broken', filename: 'broken.jsonl', content: 'x\n', status: 'error' });
    const { code, stderr } = await cli(['jobs', 'create-from-id', 'file-broken']);
    expect(code).toBe(1);
    expect(stderr).toBe('fn-distil: The server could not process broken.jsonl (file-broken): Invalid file format. Fix the file and upload it again.\n');
    expect(jobRequests()).toEqual([]);
  });

  it('a cancelled job while --wait follows it exits 1 and says no model was made', async () => {
    fake.addFile({ id: 'file-train', filename: 'train.jsonl', content: 'x\n' });
    fake.jobScript = () => [{ status: 'validating_files' }, { status: 'running' }, { status: 'cancelled', events: [{ message: 'Job cancelled by user' }] }];
    const { code, stdout, stderr } = await cli(['jobs', 'create-from-id', 'file-train', '--wait', ...fast]);
    expect(code).toBe(1);
    expect(stdout).toContain('Job cancelled by user');
    expect(stderr).toMatch(/^fn-distil: Job ftjob-\d+ was cancelled; no model was made\./);
  });

  it.each([
    ['--n-epochs', '0'],
    ['--n-epochs', '2.5'],
    ['--batch-size', 'many'],
    ['--learning-rate-multiplier', '-1'],
    ['--seed', 'x'],
    ['--seed', '-1'],
  ])('%s %s is a usage error (exit code 2) before any request', async (option, value) => {
    const { code, stderr } = await cli(['jobs', 'create-from-id', 'file-x', option, value]);
    expect(code).toBe(2);
    expect(stderr).toContain(`option '${option} <`);
    expect(fake.requests).toEqual([]);
  });

  it('without --model, the job fine-tunes the default model', async () => {
    fake.addFile({ id: 'file-train', filename: 'train.jsonl', content: trainingLines(10).join('\n') });
    const { code } = await cli(['jobs', 'create-from-id', 'file-train', ...fast]);
    expect(code).toBe(0);
    expect(jobRequests().map((job) => job['model'])).toEqual([defaultModel]);
  });
});

describe('fn-distil jobs watch, events, list, cancel', () => {
  it('watch prints each event once, as it appears, and the fine-tuned model', async () => {
    fake.addJob({ id: 'ftjob-run', trainingFile: 'file-t', stages: running(5) });
    const { code, stdout } = await cli(['jobs', 'watch', 'ftjob-run', ...fast]);
    expect(code).toBe(0);
    const messages = stdout.trim().split('\n').map((line) => line.slice(28));
    expect(messages.slice(0, -1)).toEqual(['Fine-tuning job started', 'Step 1/5', 'Step 2/5', 'Step 3/5', 'Step 4/5', 'Step 5/5', 'The job has successfully completed']);
    expect(stdout).toContain('Fine-tuned model: ft:gpt-4o-mini-2024-07-18:fake-org::');
    // One look per stage after the current one: it stopped as soon as the job succeeded.
    expect(fake.requestsTo('GET', /^\/fine_tuning\/jobs\/ftjob-run$/)).toHaveLength(6);
  });

  it('watch of a finished job prints its history and result at once', async () => {
    fake.addJob({ id: 'ftjob-done', trainingFile: 'file-t', stages: running(2) });
    await cli(['jobs', 'watch', 'ftjob-done', ...fast]);
    fake.requests.length = 0;
    const { code, stdout } = await cli(['jobs', 'watch', 'ftjob-done', '--poll-interval', '60000']);
    expect(code).toBe(0);
    expect(stdout.split('\n').filter((line) => line.includes('Step '))).toHaveLength(2);
    expect(fake.requestsTo('GET', /^\/fine_tuning\/jobs\/ftjob-done$/)).toHaveLength(1);
  });

  it('watch gives up at --wait-timeout with exit code 1; the job keeps running', async () => {
    fake.addJob({ id: 'ftjob-slow', trainingFile: 'file-t', stages: Array.from({ length: 10_000 }, () => ({ status: 'running' as const })) });
    const { code, stderr } = await cli(['jobs', 'watch', 'ftjob-slow', '--poll-interval', '20', '--wait-timeout', '300']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/^fn-distil: Stopped waiting for job ftjob-slow after \d+ m?s: it is still running and keeps running\. Follow it with `fn-distil jobs watch ftjob-slow`\.\n$/);
    expect(fake.jobs.get('ftjob-slow')?.object['status']).toBe('running');
  });

  it("watch rides out a 500 with the client's retries, and reports it with --max-retries 0", async () => {
    fake.addJob({ id: 'ftjob-flaky', trainingFile: 'file-t', stages: running(1) });
    fake.fail({ method: 'GET', path: /^\/fine_tuning\/jobs\/ftjob-flaky$/ }, 500, 'The server had an error while processing your request.');
    await expect(cli(['jobs', 'watch', 'ftjob-flaky', ...fast])).resolves.toMatchObject({ code: 0 });
    fake.fail({ method: 'GET', path: /^\/fine_tuning\/jobs\/ftjob-flaky$/ }, 500, 'The server had an error while processing your request.');
    const { code, stderr } = await cli(['jobs', 'watch', 'ftjob-flaky', '--max-retries', '0', ...fast]);
    expect(code).toBe(1);
    expect(stderr).toBe('fn-distil: API error: 500 The server had an error while processing your request.\n');
  });

  it('events lists the latest events oldest first; --json prints them', async () => {
    fake.addJob({ id: 'ftjob-ev', trainingFile: 'file-t', stages: [{ status: 'running', events: Array.from({ length: 30 }, (_, i) => ({ message: `event ${i + 1}` })) }] });
    const { code, stdout } = await cli(['jobs', 'events', 'ftjob-ev', '--limit', '5']);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n').map((line) => line.slice(28))).toEqual(['event 26', 'event 27', 'event 28', 'event 29', 'event 30']);
    const json = await cli(['jobs', 'events', 'ftjob-ev', '--json']);
    expect((JSON.parse(json.stdout) as Array<{ message: string }>).map((e) => e.message)).toEqual(Array.from({ length: 20 }, (_, i) => `event ${i + 11}`));
  });

  it('list prints a table of jobs, newest first, and --json their objects', async () => {
    fake.addJob({ id: 'ftjob-old', trainingFile: 'file-a', stages: running(0) });
    fake.addJob({ id: 'ftjob-new', trainingFile: 'file-b', stages: [{ status: 'queued' }] });
    const { code, stdout } = await cli(['jobs', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ID.*Status.*Model.*Fine-tuned model.*Training file/);
    expect(stdout.indexOf('ftjob-new')).toBeLessThan(stdout.indexOf('ftjob-old'));
    expect(stdout).toMatch(/ftjob-new.*queued.*gpt-4o-mini-2024-07-18.*file-b/);
    const json = await cli(['jobs', 'list', '--limit', '1', '--json']);
    expect((JSON.parse(json.stdout) as Array<{ id: string }>).map((j) => j.id)).toEqual(['ftjob-new']);
    expect(fake.requests.at(-1)?.query).toEqual({ limit: '1' });
  });

  it('cancel stops a running job; cancelling a finished one is the API 400', async () => {
    fake.addJob({ id: 'ftjob-live', trainingFile: 'file-t', stages: running(3) });
    const { code, stdout } = await cli(['jobs', 'cancel', 'ftjob-live']);
    expect(code).toBe(0);
    expect(stdout).toBe('Cancelled ftjob-live (status: cancelled).\n');
    const again = await cli(['jobs', 'cancel', 'ftjob-live']);
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('fn-distil: API error: 400 Job ftjob-live has already cancelled; it cannot be cancelled.\n');
  });

  it('an unknown job id is the API 404, with a hint', async () => {
    const { code, stderr } = await cli(['jobs', 'watch', 'ftjob-nope']);
    expect(code).toBe(1);
    expect(stderr).toBe("fn-distil: API error: 404 No such fine-tuning job: 'ftjob-nope'. Check the id or model name.\n");
  });
});

describe('fn-distil jobs --help', () => {
  it.each(['create-from-file', 'create-from-id', 'list', 'watch', 'events', 'cancel'])('jobs %s --help describes the command', async (command) => {
    const { code, stdout } = await runCli(['jobs', command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: fn-distil jobs ${command} `));
    expect(stdout).toContain('--base-url <url>');
  });

  /** An option's help text, its wrapped lines joined. */
  const optionHelp = (help: string, flag: string): string => {
    const start = help.indexOf(`  ${flag} `);
    const end = help.indexOf('\n  -', start + 1);
    return help.slice(start + flag.length + 2, end).replace(/\s+/g, ' ').trim();
  };

  it.each([
    ['create-from-file', 'base model to fine-tune; also picks the tokenizer and per-example token limit of the local checks'],
    ['create-from-id', 'base model to fine-tune'],
  ])('jobs %s --help says --model is the base model to fine-tune, by default the library\'s', async (command, description) => {
    const { stdout } = await runCli(['jobs', command, '--help']);
    expect(optionHelp(stdout, '--model <model>')).toBe(`${description} (default: "${defaultModel}")`);
  });
});

describe('the job status line in a terminal', () => {
  const quiet = (id: string): JobStage[] => [
    { status: 'validating_files' },
    { status: 'queued' },
    { status: 'queued' },
    { status: 'queued' },
    { status: 'running', events: [{ message: 'Fine-tuning job started' }] },
    { status: 'running' },
    { status: 'succeeded', events: [{ message: `Job ${id} has successfully completed` }] },
  ];
  const inTerminal = (args: string[]) => runCliInTerminal([...args, '--base-url', fake.baseURL], { env: { OPENAI_API_KEY: 'test-key' } });
  const eventLine = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d {2}info {3}/;

  (canRunInTerminal ? it : it.skip)('jobs watch shows the status and time watched on each poll without an event, and clears it before each line it prints', async () => {
    fake.addJob({ id: 'ftjob-quiet', trainingFile: 'file-t', stages: quiet('ftjob-quiet') });
    const { code, screen } = await inTerminal(['jobs', 'watch', 'ftjob-quiet', '--poll-interval', '100']);
    expect(code).toBe(0);
    const shown = [...screen.matchAll(/Job ftjob-quiet is (\w+) \(watching for \d+ m?s\)/g)].map((match) => match[1]);
    // One status per look at the job that did not find it finished: queued thrice, running twice.
    const looks = fake.requestsTo('GET', /^\/fine_tuning\/jobs\/ftjob-quiet$/).length;
    expect(shown).toEqual(['queued', 'queued', 'queued', 'running', 'running']);
    expect(shown).toHaveLength(looks - 1);
    // What stays on the screen: the events and the result, with no status left over on any line.
    const lines = visibleLines(screen);
    expect(lines).toEqual([
      expect.stringMatching(eventLine),
      expect.stringMatching(eventLine),
      expect.stringMatching(/^Job ftjob-quiet succeeded\. Fine-tuned model: ft:/),
    ]);
    expect(lines.slice(0, 2).map((line) => line.slice(28))).toEqual(['Fine-tuning job started', 'Job ftjob-quiet has successfully completed']);
  });

  (canRunInTerminal ? it : it.skip)('is cleared before the error of a wait that times out', async () => {
    fake.addJob({ id: 'ftjob-stuck', trainingFile: 'file-t', stages: Array.from({ length: 1000 }, () => ({ status: 'queued' as const })) });
    const { code, screen } = await inTerminal(['jobs', 'watch', 'ftjob-stuck', '--poll-interval', '50', '--wait-timeout', '300']);
    expect(code).toBe(1);
    expect(screen).toContain('Job ftjob-stuck is queued (watching for ');
    expect(visibleLines(screen)).toEqual([expect.stringMatching(/^fn-distil: Stopped waiting for job ftjob-stuck after /)]);
  });

  (canRunInTerminal ? it : it.skip)('jobs create-from-file --wait shows the upload, the wait for the file and the job status while the job validates and queues', async () => {
    const train = writeTrainingFile(tmp.path('terminal.jsonl'), 12);
    fake.fileScript = () => ({ polls: 3 });
    fake.jobScript = () => quiet('new');
    const { code, screen } = await inTerminal(['jobs', 'create-from-file', train, '--wait', '--poll-interval', '100']);
    expect(code).toBe(0);
    const order = ['Checking terminal.jsonl [', 'Uploading terminal.jsonl [', 'Waiting for terminal.jsonl to be processed [', 'Created ftjob-', ' is queued (watching for ', 'Fine-tuning job started', ' is running (watching for ', ' succeeded. Fine-tuned model: '];
    const at = order.map((text) => screen.indexOf(text));
    expect(at.every((index) => index >= 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
  });

  it('never shows through pipes or with --json, even in a terminal', async () => {
    fake.addJob({ id: 'ftjob-piped', trainingFile: 'file-t', stages: quiet('ftjob-piped') });
    const piped = await cli(['jobs', 'watch', 'ftjob-piped', ...fast]);
    expect(piped.code).toBe(0);
    expect(piped.stderr).toBe('');
    expect(piped.stdout).not.toContain('watching for');
    if (!canRunInTerminal) return;
    fake.addJob({ id: 'ftjob-json', trainingFile: 'file-t', stages: quiet('ftjob-json') });
    const json = await inTerminal(['jobs', 'watch', 'ftjob-json', '--json', ...fast]);
    expect(json.code).toBe(0);
    expect(json.screen).not.toContain('watching for');
    expect(json.screen).not.toContain('\x1b');
    const objects = json.screen.trim().split('\r\n').map((line) => JSON.parse(line) as { object: string });
    expect(objects.map((o) => o.object)).toEqual(['fine_tuning.job.event', 'fine_tuning.job.event', 'fine_tuning.job']);
  });
});
