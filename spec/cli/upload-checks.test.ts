import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { fakeFineTuningPerTest, type FakeFineTuning } from '../helpers/fake-finetuning';
import { tempDir } from '../helpers/files';
import { trainingLines, writeTrainingFile } from '../helpers/fine-tuning-data';
import { root } from '../helpers/processes';

let fake: FakeFineTuning;
const cli = fakeFineTuningPerTest((started) => (fake = started));
const tmp = tempDir();
afterAll(() => tmp.remove());

const fast = ['--poll-interval', '10'];
const note = /^Note: fn-distil does not know the tokenizer and token limit of llama-3-8b, so the examples are checked for everything but their length\. To check that too, give --encoding \(o200k_base or cl100k_base\) and --token-limit\.$/;
const notes = (stderr: string): string[] => stderr.split('\n').filter((line) => line.startsWith('Note: '));

describe('the checks before an upload', () => {
  it('refuse a file with the count of all its errors, not only of those listed', async () => {
    const file = tmp.path('many.jsonl');
    // 125 lines that are not JSON: more than validate lists per check (100).
    writeFileSync(file, `${[...trainingLines(12), ...Array.from({ length: 125 }, (_, i) => `oops ${i}`)].join('\n')}\n`);
    const { code, stderr } = await cli(['files', 'upload', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`fn-distil: ${file} has 125 errors; the first 5 are above; nothing was uploaded.`);
    expect(fake.requests).toEqual([]);
  });

  it('list the errors exactly as dataset validate prints them', async () => {
    const file = tmp.path('bad.jsonl');
    const lines = trainingLines(12);
    lines.splice(2, 0, '{"messages": [');
    lines.splice(7, 0, '[1, 2]');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const [upload, validate] = await Promise.all([cli(['files', 'upload', file]), runCli(['dataset', 'validate', file])]);
    const listed = upload.stderr.split('\n').filter((line) => line.startsWith(`${file}:`));
    expect(listed).toEqual([expect.stringMatching(/:3: error \[invalid_json\] /), expect.stringMatching(/:8: error \[not_an_object\] /)]);
    expect(validate.stdout.split('\n').slice(0, 2)).toEqual(listed);
  });

  it('for a model fn-distil does not know, run every check but the token limit, and say so once', async () => {
    fake.models.add('llama-3-8b');
    const train = writeTrainingFile(tmp.path('train.jsonl'), 20);
    const valid = writeTrainingFile(tmp.path('valid.jsonl'), 10, 2);
    const { code, stderr } = await cli(['jobs', 'create-from-file', train, '--validation-file', valid, '--model', 'llama-3-8b', ...fast]);
    expect(stderr).not.toContain('fn-distil:');
    expect(code).toBe(0);
    expect(notes(stderr)).toEqual([expect.stringMatching(note)]);
    expect(stderr).toContain(`Checked ${train}: 20 examples, no errors.`);
    expect(stderr).toContain(`Checked ${valid}: 10 examples, no errors.`);
    expect(fake.requestsTo('POST', /^\/fine_tuning\/jobs$/).map((r) => (r.body as { model: string }).model)).toEqual(['llama-3-8b']);
  });

  it('for a model fn-distil does not know, still refuse a file with other errors', async () => {
    const file = tmp.path('llama-bad.jsonl');
    writeFileSync(file, `${trainingLines(12).join('\n')}\n{"messages": []}\n`);
    const { code, stderr } = await cli(['files', 'upload', file, '--model', 'llama-3-8b']);
    expect(code).toBe(1);
    expect(notes(stderr)).toEqual([expect.stringMatching(note)]);
    expect(stderr).toContain(`${file}:13: error [invalid_messages] `);
    expect(fake.requests).toEqual([]);
  });

  it('print the note and the issues as docs/cli.md shows them', () => {
    const documented = /`(Note: fn-distil does not know [^`]+)`/.exec(readFileSync(join(root, 'docs', 'cli.md'), 'utf8'))?.[1];
    expect(documented).toMatch(note);
    expect(readFileSync(join(root, 'docs', 'cli.md'), 'utf8')).toContain('printed as `dataset validate` prints them (`file:line: error [check] message`)');
  });

  it('with --encoding and --token-limit, check the token limit of a model fn-distil does not know, without a note', async () => {
    const file = writeTrainingFile(tmp.path('limited.jsonl'), 12);
    const { code, stderr } = await cli(['files', 'upload', file, '--model', 'llama-3-8b', '--encoding', 'cl100k_base', '--token-limit', '20']);
    expect(code).toBe(1);
    expect(notes(stderr)).toEqual([]);
    expect(stderr).toMatch(/:1: error \[too_many_tokens\] the example has \d+ tokens, over the 20 that llama-3-8b trains on/);
    expect(fake.requests).toEqual([]);
  });
});
