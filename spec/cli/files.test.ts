import { once } from 'node:events';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { canRunInTerminal, runCli, runCliInTerminal } from '../helpers/cli';
import { fakeFineTuningPerTest, type FakeFineTuning, type UploadBody } from '../helpers/fake-finetuning';
import { tempDir } from '../helpers/files';
import { refusedPort } from '../helpers/ports';
import { root } from '../helpers/processes';
import { validateDataset } from '../../lib/dataset/validate';
import { openApiValidator } from '../helpers/openapi';
import { trainingLines, writeTrainingFile } from '../helpers/fine-tuning-data';

let fake: FakeFineTuning;
const cli = fakeFineTuningPerTest((started) => (fake = started));
const tmp = tempDir();
afterAll(() => tmp.remove());

const uploads = () => fake.requestsTo('POST', /^\/files$/).map((r) => r.body as UploadBody);
const oneErrorLine = (stderr: string) => stderr.trim().split('\n').filter((line) => line.startsWith('fn-distil: '));

describe('fn-distil files upload', () => {
  it('checks the file, uploads its exact bytes for fine-tuning, and waits until it is processed', async () => {
    const file = writeTrainingFile(tmp.path('train.jsonl'), 12);
    fake.fileScript = () => ({ polls: 3, outcome: 'processed' });
    const { code, stdout, stderr } = await cli(['files', 'upload', file, '--poll-interval', '10']);
    expect(stderr).toContain(`Checked ${file}: 12 examples, no errors`);
    expect(code).toBe(0);
    const [upload] = uploads();
    expect(upload?.fields).toEqual({ purpose: 'fine-tune' });
    expect(upload?.files).toHaveLength(1);
    expect(upload?.files[0]?.filename).toBe('train.jsonl');
    expect(upload?.files[0]?.content.equals(readFileSync(file))).toBe(true);
    const [id] = [...fake.files.keys()];
    expect(fake.requestsTo('GET', new RegExp(`^/files/${id}$`))).toHaveLength(3);
    expect(stdout).toBe(`Uploaded ${file} as ${id} (${readFileSync(file).length.toLocaleString('en-US')} bytes, processed).\n`);
  });

  it('--json prints the processed file object in the official shape', async () => {
    const file = writeTrainingFile(tmp.path('json.jsonl'));
    const { code, stdout } = await cli(['files', 'upload', file, '--json', '--poll-interval', '10']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as Record<string, unknown>;
    expect(openApiValidator('openapi.json', 'OpenAIFile')(printed)).toBe(true);
    expect(printed).toMatchObject({ status: 'processed', purpose: 'fine-tune', filename: 'json.jsonl', bytes: readFileSync(file).length });
  });

  it('refuses a file with errors: shows them with file:line and the count, and sends nothing', async () => {
    const file = tmp.path('bad.jsonl');
    const lines = trainingLines(12);
    lines.splice(2, 0, '{"messages": [');
    lines.splice(7, 0, 'not json');
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { code, stderr } = await cli(['files', 'upload', file]);
    expect(code).toBe(1);
    const { errors } = await validateDataset([file]);
    expect(errors.map((e) => e.line)).toEqual(expect.arrayContaining([3, 8]));
    for (const error of errors) expect(stderr).toContain(`${file}:${error.line}: error [${error.check}] ${error.message}\n`);
    expect(oneErrorLine(stderr)).toEqual([expect.stringContaining(`${file} has ${errors.length} errors; nothing was uploaded.`)]);
    expect(stderr).toContain('--skip-validation');
    expect(fake.requests).toEqual([]);
  });

  it('shows only the first errors of a file with many, and counts them all', async () => {
    const file = tmp.path('many-bad.jsonl');
    writeFileSync(file, `${Array.from({ length: 40 }, () => 'oops').join('\n')}\n`);
    const { code, stderr } = await cli(['files', 'upload', file]);
    expect(code).toBe(1);
    const { errors } = await validateDataset([file]);
    expect(errors.length).toBeGreaterThanOrEqual(40);
    const shown = stderr.split('\n').filter((line) => line.startsWith(`${file}:`));
    expect(shown).toEqual(errors.slice(0, 5).map((e) => `${file}${e.line === undefined ? '' : `:${e.line}`}: error [${e.check}] ${e.message}`));
    expect(stderr).toContain(`${file} has ${errors.length} errors; the first 5 are above; nothing was uploaded.`);
  });

  it('--skip-validation uploads a file the checks would refuse', async () => {
    const file = tmp.path('unchecked.jsonl');
    writeFileSync(file, 'not json\n');
    const { code } = await cli(['files', 'upload', file, '--skip-validation', '--poll-interval', '10']);
    expect(code).toBe(0);
    expect(uploads()[0]?.files[0]?.content.toString()).toBe('not json\n');
  });

  it('uploads files of other purposes without checking them as datasets', async () => {
    const file = tmp.path('batch.jsonl');
    writeFileSync(file, '{"custom_id": "1"}\n');
    const { code, stderr } = await cli(['files', 'upload', file, '--purpose', 'batch', '--poll-interval', '10']);
    expect(code).toBe(0);
    expect(stderr).not.toContain('Checked');
    expect(uploads()[0]?.fields).toEqual({ purpose: 'batch' });
  });

  it('a missing file is one clear line and exit code 1, before any request', async () => {
    const { code, stderr } = await cli(['files', 'upload', tmp.path('nope.jsonl')]);
    expect(code).toBe(1);
    expect(stderr).toBe(`fn-distil: Cannot read ${tmp.path('nope.jsonl')}: no such file. Check the path.\n`);
    expect(fake.requests).toEqual([]);
  });

  it('a file the server cannot process fails with its details and exit code 1', async () => {
    const file = writeTrainingFile(tmp.path('rejected.jsonl'));
    fake.fileScript = () => ({ polls: 2, outcome: 'error', details: 'Line 4: messages must contain an assistant message.' });
    const { code, stderr } = await cli(['files', 'upload', file, '--poll-interval', '10']);
    expect(code).toBe(1);
    const [id] = [...fake.files.keys()];
    expect(oneErrorLine(stderr)).toEqual([
      `fn-distil: The server could not process rejected.jsonl (${id}): Line 4: messages must contain an assistant message. Fix the file and upload it again.`,
    ]);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('--no-wait returns right after the upload, without asking for the status', async () => {
    const file = writeTrainingFile(tmp.path('nowait.jsonl'));
    fake.fileScript = () => ({ polls: 100 });
    const { code, stdout } = await cli(['files', 'upload', file, '--no-wait']);
    expect(code).toBe(0);
    expect(stdout).toContain('uploaded).');
    expect(fake.requestsTo('GET', /^\/files\//)).toEqual([]);
  });

  it('gives up at --wait-timeout with exit code 1, saying how to check later', async () => {
    const file = writeTrainingFile(tmp.path('slow.jsonl'));
    fake.fileScript = () => ({ polls: 1_000_000 });
    // On a clock that moves only by the command's own sleeps (virtual-clock.cjs), the wait looks
    // exactly as often as 300 ms of 20 ms intervals allow, however busy the machine.
    const { code, stderr } = await runCli(['files', 'upload', file, '--poll-interval', '20', '--wait-timeout', '300', '--base-url', fake.baseURL], { env: { OPENAI_API_KEY: 'test-key' }, virtualClock: true });
    expect(code).toBe(1);
    const [id] = [...fake.files.keys()];
    expect(stderr).toContain(`slow.jsonl (${id}) was still uploaded after 300 ms`);
    expect(stderr).toContain(`fn-distil files status ${id}`);
    // It gave up at the timeout, not before, and did not keep asking: a look at 0 ms, then one
    // after each of the 15 intervals of 20 ms.
    expect(fake.requestsTo('GET', /^\/files\//)).toHaveLength(16);
  });

  it('retries an upload the server answered with 503, sending the whole file again', async () => {
    const file = writeTrainingFile(tmp.path('retry.jsonl'));
    fake.fail({ method: 'POST', path: /^\/files$/ }, 503, 'The server is overloaded.');
    const { code } = await cli(['files', 'upload', file, '--poll-interval', '10']);
    expect(code).toBe(0);
    const sent = uploads();
    expect(sent).toHaveLength(2);
    for (const upload of sent) expect(upload.files[0]?.content.equals(readFileSync(file))).toBe(true);
    expect(fake.files.size).toBe(1);
  });

  it('shows an HTTP error as its status and message, without retrying a 400', async () => {
    const file = writeTrainingFile(tmp.path('http.jsonl'));
    fake.fail({ method: 'POST', path: /^\/files$/ }, 400, 'Files of this size are not accepted.');
    const { code, stderr } = await cli(['files', 'upload', file]);
    expect(code).toBe(1);
    expect(stderr).toContain('fn-distil: API error: 400 Files of this size are not accepted.');
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(uploads()).toHaveLength(1);
  });

  it('a rejected API key is a 401 with a hint about OPENAI_API_KEY', async () => {
    fake.apiKey = 'right-key';
    const { code, stderr } = await cli(['files', 'list'], { OPENAI_API_KEY: 'wrong-key' });
    expect(code).toBe(1);
    expect(stderr).toBe('fn-distil: API error: 401 Incorrect API key provided. Check OPENAI_API_KEY.\n');
  });

  it('without OPENAI_API_KEY and without --base-url it stops before any request', async () => {
    const { code, stderr } = await runCli(['files', 'list']);
    expect(code).toBe(1);
    expect(stderr).toContain('fn-distil: OPENAI_API_KEY is not set.');
  });

  it('streams a file of several megabytes byte for byte', async () => {
    const file = tmp.path('large.jsonl');
    const line = trainingLines(1)[0] as string;
    writeFileSync(file, `${Array.from({ length: Math.ceil((6 << 20) / line.length) }, () => line).join('\n')}\n`);
    const { code } = await cli(['files', 'upload', file, '--poll-interval', '10'], {});
    expect(code).toBe(0);
    const sent = uploads()[0]?.files[0]?.content;
    expect(sent?.length).toBe(readFileSync(file).length);
    expect(sent?.equals(readFileSync(file))).toBe(true);
  });
});

describe('fn-distil files list, status, download, delete', () => {
  const seed = () => {
    fake.addFile({ id: 'file-train', filename: 'train.jsonl', content: 'a\n' });
    fake.addFile({ id: 'file-results', filename: 'step_metrics.csv', content: 'step,loss\n', purpose: 'fine-tune-results' });
    fake.addFile({ id: 'file-broken', filename: 'broken.jsonl', content: 'x\n', status: 'error' });
  };

  it('list prints a table of files, newest first', async () => {
    seed();
    const { code, stdout } = await cli(['files', 'list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/ID.*Filename.*Purpose.*Bytes.*Status.*Created/);
    const order = ['file-broken', 'file-results', 'file-train'].map((id) => stdout.indexOf(id));
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
    expect(fake.requests[0]?.query).toMatchObject({ limit: '20', order: 'desc' });
  });

  it('list --purpose and --limit go to the server; --json prints the objects', async () => {
    seed();
    const { code, stdout } = await cli(['files', 'list', '--purpose', 'fine-tune-results', '--limit', '5', '--json']);
    expect(code).toBe(0);
    expect(fake.requests[0]?.query).toMatchObject({ purpose: 'fine-tune-results', limit: '5' });
    const printed = JSON.parse(stdout) as Array<{ id: string }>;
    expect(printed.map((f) => f.id)).toEqual(['file-results']);
  });

  it('list says so when there are no files', async () => {
    await expect(cli(['files', 'list'])).resolves.toMatchObject({ code: 0, stdout: 'No files.\n' });
  });

  it('status shows a processed file, and exits 1 with the details for a file in error', async () => {
    seed();
    const ok = await cli(['files', 'status', 'file-train']);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/file-train.*train\.jsonl.*fine-tune.*processed/);
    const broken = await cli(['files', 'status', 'file-broken']);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toContain('Details: Invalid file format.');
    expect(broken.stderr).toBe('fn-distil: The server could not process broken.jsonl (file-broken): Invalid file format. Fix the file and upload it again.\n');
  });

  it('status --wait waits until the file is processed', async () => {
    const file = writeTrainingFile(tmp.path('status-wait.jsonl'));
    fake.fileScript = () => ({ polls: 4 });
    await cli(['files', 'upload', file, '--no-wait']);
    const [id] = [...fake.files.keys()];
    const { code, stdout } = await cli(['files', 'status', id as string, '--wait', '--poll-interval', '10', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ id, status: 'processed' });
    expect(fake.requestsTo('GET', /^\/files\//)).toHaveLength(4);
  });

  it('status of an unknown id is the API 404, with a hint', async () => {
    const { code, stderr } = await cli(['files', 'status', 'file-nope']);
    expect(code).toBe(1);
    expect(stderr).toBe("fn-distil: API error: 404 No such File: 'file-nope'. Check the id or model name.\n");
  });

  it('download writes the exact content, and - writes it to stdout', async () => {
    const content = `${trainingLines(50).join('\n')}\n`;
    fake.addFile({ id: 'file-x', filename: 'x.jsonl', content });
    const output = tmp.path('downloaded.jsonl');
    const { code, stdout } = await cli(['files', 'download', 'file-x', output]);
    expect(code).toBe(0);
    expect(readFileSync(output, 'utf8')).toBe(content);
    expect(stdout).toBe(`Wrote ${Buffer.byteLength(content).toLocaleString('en-US')} bytes of file-x to ${output}.\n`);
    await expect(cli(['files', 'download', 'file-x', '-'])).resolves.toMatchObject({ code: 0, stdout: content });
  });

  it('a download that breaks off leaves no file behind, and an existing file untouched', async () => {
    fake.addFile({ id: 'file-torn', filename: 'torn.jsonl', content: `${trainingLines(200).join('\n')}\n` });
    (fake.files.get('file-torn') as { truncate?: boolean }).truncate = true;
    // Several at once, so some break off while their file is still being opened.
    mkdirSync(tmp.path('torn'));
    const fresh = [1, 2, 3, 4].map((n) => tmp.path(`torn/new-${n}.jsonl`));
    const results = await Promise.all(fresh.map((output) => cli(['files', 'download', 'file-torn', output])));
    results.forEach(({ code, stderr }, i) => {
      expect(code).toBe(1);
      expect(oneErrorLine(stderr)).toEqual([expect.stringContaining(`Downloading file-torn to ${fresh[i]} failed after`)]);
    });
    expect(readdirSync(tmp.path('torn'))).toEqual([]);
    const existing = tmp.path('torn/existing.jsonl');
    writeFileSync(existing, 'previous content\n');
    const replacing = await cli(['files', 'download', 'file-torn', existing, '--force']);
    expect(oneErrorLine(replacing.stderr)).toEqual([expect.stringContaining(`Downloading file-torn to ${existing} failed after`)]);
    expect(readFileSync(existing, 'utf8')).toBe('previous content\n');
    expect(existsSync(`${existing}.partial`)).toBe(false);
  });

  it('download refuses an existing output before asking for anything, and replaces it with --force', async () => {
    fake.addFile({ id: 'file-y', filename: 'y.jsonl', content: 'new\n' });
    const existing = tmp.path('users-dataset.jsonl');
    writeFileSync(existing, 'the user\'s data\n');
    const refused = await cli(['files', 'download', 'file-y', existing]);
    expect(refused).toMatchObject({ code: 1, stdout: '' });
    expect(refused.stderr).toBe(`fn-distil: ${existing} already exists: nothing was downloaded. Give another output, or replace it with --force (\`overwrite: true\` in code).\n`);
    expect(readFileSync(existing, 'utf8')).toBe('the user\'s data\n');
    expect(fake.requestsTo('GET', /\/content$/)).toHaveLength(0);
    const forced = await cli(['files', 'download', 'file-y', existing, '--force']);
    expect(forced.code).toBe(0);
    expect(readFileSync(existing, 'utf8')).toBe('new\n');
  });

  it('download into a folder that does not exist, or onto a folder, is refused before asking for anything', async () => {
    fake.addFile({ id: 'file-z', filename: 'z.jsonl', content: 'z\n' });
    const missing = tmp.path('no-such-folder/z.jsonl');
    const { code, stderr } = await cli(['files', 'download', 'file-z', missing]);
    expect(code).toBe(1);
    expect(stderr).toBe(`fn-distil: The folder ${tmp.path('no-such-folder')} does not exist: nothing was downloaded. Create it first, or give an output in a folder that exists.\n`);
    expect(existsSync(tmp.path('no-such-folder'))).toBe(false);
    const onFolder = await cli(['files', 'download', 'file-z', tmp.dir, '--force']);
    expect(onFolder.code).toBe(1);
    expect(onFolder.stderr).toBe(`fn-distil: ${tmp.dir} is a directory: give the file to write, e.g. ${join(tmp.dir, 'file-z')}. Nothing was downloaded.\n`);
    expect(fake.requestsTo('GET', /\/content$/)).toHaveLength(0);
  });

  it('delete removes each file and says so; an unknown id stops with the 404', async () => {
    seed();
    const { code, stdout } = await cli(['files', 'delete', 'file-train', 'file-results']);
    expect(code).toBe(0);
    expect(stdout).toBe('Deleted file-train.\nDeleted file-results.\n');
    expect([...fake.files.keys()]).toEqual(['file-broken']);
    const missing = await cli(['files', 'delete', 'file-train', '--json']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("404 No such File: 'file-train'");
  });
});

describe('fn-distil files --help', () => {
  it.each(['upload', 'list', 'status', 'download', 'delete'])('files %s --help describes the command', async (command) => {
    const { code, stdout } = await runCli(['files', command, '--help']);
    expect(code).toBe(0);
    expect(stdout).toMatch(new RegExp(`^Usage: fn-distil files ${command} `));
    expect(stdout).toContain('--base-url <url>');
  });
});

describe('connection settings and problems', () => {
  /** A server that accepts requests and never answers them. */
  async function silentServer(): Promise<{ url: string; close: () => Promise<void> }> {
    const server = createServer(() => undefined);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}/v1`,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }

  /** A server in front of the fake that holds the answers to `slow` requests for `delayMs`. */
  async function delayingProxy(slow: (method: string, path: string) => boolean, delayMs: number): Promise<{ url: string; close: () => Promise<void> }> {
    const target = new URL(fake.baseURL);
    const server = createServer((incoming, outgoing) => {
      const upstream = request({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers }, (answer) => {
        setTimeout(() => {
          outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(outgoing);
        }, slow(incoming.method ?? '', incoming.url ?? '') ? delayMs : 0);
      });
      incoming.pipe(upstream);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    return {
      url: `http://127.0.0.1:${port}${target.pathname}`,
      close: () => {
        server.closeAllConnections();
        return new Promise((resolve) => server.close(() => resolve()));
      },
    };
  }

  it.each([
    ['--base-url notaurl', ['--base-url', 'notaurl'], {}, 'notaurl'],
    ['OPENAI_BASE_URL=localhost:8000/v1', [], { OPENAI_BASE_URL: 'localhost:8000/v1' }, 'localhost:8000/v1'],
  ])('%s (not an http or https URL) is one line naming the setting and the value', async (_where, args, env, value) => {
    const { code, stdout, stderr } = await runCli(['files', 'list', ...args], { env: { OPENAI_API_KEY: 'test-key', ...env } });
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`fn-distil: --base-url (or OPENAI_BASE_URL) must be an http or https URL such as http://localhost:8000/v1, got ${JSON.stringify(value)}.\n`);
  });

  it('a server that never answers fails at --timeout with one line and no doubled full stop', async () => {
    const silent = await silentServer();
    try {
      const { code, stderr } = await runCli(['files', 'list', '--base-url', silent.url, '--timeout', '300', '--max-retries', '0'], { env: { OPENAI_API_KEY: 'test-key' } });
      expect(code).toBe(1);
      expect(stderr).toBe('fn-distil: The request timed out. Check --base-url, raise --timeout, or try again.\n');
      expect(readFileSync(join(root, 'docs', 'cli.md'), 'utf8').replace(/\s+/g, ' ')).toContain(`\`${stderr.trim()}\``);
    } finally {
      await silent.close();
    }
  });

  it('a server that refuses connections is named by the cause, in one line', async () => {
    const { port, release } = await refusedPort();
    const { code, stderr } = await runCli(['files', 'list', '--base-url', `http://127.0.0.1:${port}/v1`, '--max-retries', '0'], { env: { OPENAI_API_KEY: 'test-key' } }).finally(release);
    expect(code).toBe(1);
    expect(stderr).toBe(`fn-distil: Cannot reach the API (connect ECONNREFUSED 127.0.0.1:${port}). Check --base-url / OPENAI_BASE_URL and your network.\n`);
  });

  it('a short --timeout does not cut off an upload, which may take at least 10 minutes', async () => {
    const proxy = await delayingProxy((method, path) => method === 'POST' && path.endsWith('/files'), 1_500);
    try {
      const file = writeTrainingFile(tmp.path('slow-answer.jsonl'));
      const { code, stderr } = await runCli(['files', 'upload', file, '--timeout', '500', '--max-retries', '0', '--poll-interval', '10', '--base-url', proxy.url], {
        env: { OPENAI_API_KEY: 'test-key' },
      });
      expect(stderr).not.toContain('fn-distil:');
      expect(code).toBe(0);
      expect(uploads()).toHaveLength(1);
      // The other requests of the same command keep the short timeout.
      fake.addFile({ id: 'file-x', filename: 'x.jsonl', content: 'a\n' });
      const slowStatus = await delayingProxy((method, path) => method === 'GET' && path.endsWith('/files/file-x'), 1_500);
      try {
        const status = await runCli(['files', 'status', 'file-x', '--timeout', '500', '--max-retries', '0', '--base-url', slowStatus.url], { env: { OPENAI_API_KEY: 'test-key' } });
        expect(status.code).toBe(1);
        expect(status.stderr).toContain('The request timed out.');
      } finally {
        await slowStatus.close();
      }
    } finally {
      await proxy.close();
    }
  });

  it('a command still running at the test limit is killed and fails its test with what it printed', async () => {
    const silent = await silentServer();
    try {
      await expect(runCli(['files', 'list', '--base-url', silent.url, '--timeout', '30000'], { env: { OPENAI_API_KEY: 'test-key' }, timeoutMs: 1_000 })).rejects.toThrow(
        /^`fn-distil files list --base-url \S+ --timeout 30000` did not finish within 1 s and was killed\.\n--- stdout ---\n\n--- stderr ---\n$/,
      );
    } finally {
      await silent.close();
    }
  });
});

describe('the progress displays of files upload', () => {
  (canRunInTerminal ? it : it.skip)('show the bytes uploaded and the time waited for processing in a terminal, and nothing of them through pipes', async () => {
    // Megabytes, so the upload is sent in several chunks (1 MiB each).
    const file = writeTrainingFile(tmp.path('big.jsonl'), 15_000);
    const megabytes = String(Math.round(statSync(file).size / 1e5) / 10).replace('.', '\\.');
    fake.fileScript = () => ({ polls: 4 });
    const args = ['files', 'upload', file, '--poll-interval', '100', '--wait-timeout', '60000'];
    const { code, screen } = await runCliInTerminal([...args, '--base-url', fake.baseURL], { env: { OPENAI_API_KEY: 'test-key' } });
    expect(code).toBe(0);
    expect(screen).toMatch(new RegExp(`Uploading big\\.jsonl \\[-+\\] 0% 0/${megabytes} MB`));
    expect(screen).toMatch(new RegExp(`Uploading big\\.jsonl \\[=+\\] 100% ${megabytes}/${megabytes} MB`));
    expect(screen).toMatch(/Waiting for big\.jsonl to be processed \[[=-]+\] \d+% \d+\/60 s/);
    expect(screen.indexOf('Uploading big.jsonl')).toBeLessThan(screen.indexOf('Waiting for big.jsonl'));
    expect(screen).toMatch(new RegExp(`Uploaded ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} as file-\\w+ \\([\\d,]+ bytes, processed\\)\\.`));
    const piped = await cli(args);
    expect(piped.code).toBe(0);
    expect(piped.stderr).not.toMatch(/Uploading|Waiting/);
    expect(piped.stderr).toMatch(new RegExp(`^Checked \\S+big\\.jsonl: 15,000 examples, no errors.*\\.\\n$`));
  });
});
