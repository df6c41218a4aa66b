import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import winston from 'winston';
import { distil, type ExampleFormat } from 'fn-distil';
import { cliPath, runCli } from '../helpers/cli';
import { apiError, completion, fakeOpenAIPerFile, type FakeOpenAI, type Reply } from '../helpers/fake-openai';
import { readJsonLines, tempDir } from '../helpers/files';
import { refusedPort } from '../helpers/ports';
import { Multiply, multiplyImpl } from '../helpers/schemas';

let server: FakeOpenAI;
const tmp = tempDir();
const pairs: Array<[number, number]> = Array.from({ length: 12 }, (_, i) => [101 + i * 37, 202 + i * 11]);

/** A held-out file of the demo function, captured by distil() in `format`. */
async function heldOut(format: ExampleFormat, name = `${format}-${Math.random().toString(36).slice(2)}`): Promise<string> {
  const filename = tmp.path(`${name}.jsonl`);
  const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format, transports: [new winston.transports.File({ filename })] });
  for (const [a, b] of pairs) multiply(a, b);
  await multiply.close();
  return filename;
}

const evalCli = (dataset: string, ...extra: string[]) =>
  runCli(['eval', '--model', 'ft:test', '--dataset', dataset, '--base-url', server.baseURL, '--server', 'openai', '--max-retries', '0', ...extra], { env: { OPENAI_API_KEY: 'test-key' } });

const wrong = (result: unknown): Reply => (request) => {
  const user = request.messages.find((m) => m['role'] === 'user')?.['content'] as string;
  const [a, b] = JSON.parse(`[${user.slice(user.indexOf('(') + 1, -1)}]`) as [number, number];
  return { body: completion(request, { arguments: JSON.stringify({ a, b, result }) }) };
};

// Contract: every request sent is one OpenAI's official spec accepts (checked after each test).
fakeOpenAIPerFile((started) => (server = started));
afterAll(() => tmp.remove());

describe('fn-distil eval', () => {
  it.each(['messages', 'tools', 'json'] as const)('replays %s examples with their exact training prompt and the request shape of swap()', async (format) => {
    const dataset = await heldOut(format);
    const { code, stdout, stderr } = await evalCli(dataset, '--json');
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ examples: 12, evaluated: 12, exactMatch: 1, invalidRate: 0, fields: { a: 1, b: 1, result: 1 }, tokens: { prompt: 1200, completion: 240, total: 1440 } });
    const lines = readJsonLines(dataset) as Array<{ messages: unknown[] }>;
    const sent = [...server.requests].sort((x, y) => JSON.stringify(x.messages).localeCompare(JSON.stringify(y.messages)));
    const expected = lines.map((line) => JSON.stringify(line.messages.slice(0, 2))).sort();
    expect(sent.map((request) => JSON.stringify(request.messages))).toEqual(expected);
    const request = server.requests[0]!;
    if (format === 'messages') expect(request).toMatchObject({ function_call: { name: 'Multiply' }, functions: [{ name: 'Multiply' }] });
    if (format === 'tools') expect(request).toMatchObject({ tool_choice: { type: 'function', function: { name: 'Multiply' } } });
    if (format === 'json') expect(request).toMatchObject({ response_format: { type: 'json_schema', json_schema: { name: 'Multiply' } } });
  });

  it('measures exact match, per-field accuracy and invalid answers against the recorded outputs', async () => {
    const dataset = await heldOut('tools');
    server.script(wrong(-1), (request) => ({ body: completion(request, { arguments: '{"a":1}' }) }), wrong('six'));
    const { code, stdout } = await evalCli(dataset, '--json', '--concurrency', '1');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(report.exactMatch).toBeCloseTo(9 / 12);
    expect(report.invalidAnswers).toBe(2);
    expect(report.invalidRate).toBeCloseTo(2 / 12);
    expect(report.fields).toEqual({ a: 10 / 12, b: 10 / 12, result: 9 / 12 });
  });

  it('re-asks with the validation errors when --reasks is given', async () => {
    const dataset = await heldOut('tools');
    server.script((request) => ({ body: completion(request, { arguments: '{"a":1}' }) }));
    const { stdout } = await evalCli(dataset, '--json', '--concurrency', '1', '--reasks', '1');
    const report = JSON.parse(stdout);
    expect(report).toMatchObject({ exactMatch: 1, invalidAnswers: 0, reasks: 1 });
    expect(server.requests).toHaveLength(13);
    expect(server.requests[1]!.messages.slice(-2)).toMatchObject([{ role: 'assistant', content: expect.any(String) }, { role: 'user', content: expect.stringContaining('must have required property') }]);
  });

  it('prints a table by default and writes JSON and Markdown reports', async () => {
    const dataset = await heldOut('messages');
    const [json, md] = [tmp.path('report.json'), tmp.path('report.md')];
    const { code, stdout } = await evalCli(dataset, '--report-json', json, '--report-md', md);
    expect(code).toBe(0);
    expect(stdout).toMatch(/exact match\s*│\s*100\.0%/);
    expect(stdout).toMatch(/result\s*│\s*100\.0%/);
    expect(JSON.parse(readFileSync(json, 'utf8'))).toMatchObject({ model: 'ft:test', evaluated: 12, exactMatch: 1 });
    const markdown = readFileSync(md, 'utf8');
    expect(markdown).toContain('# Evaluation of ft:test');
    expect(markdown).toContain('| exact match | 100.0% |');
    expect(markdown).toContain('| result | 100.0% |');
  });

  it('--concurrency 3 keeps at most three requests in flight on a slow server, and does reach three; --concurrency 1 asks one at a time', async () => {
    const dataset = await heldOut('tools');
    const good = server.fallback;
    // A server that answers nothing until `concurrency` requests are in flight at once (or the
    // last one has come): the run must fill its pool to go on, however slow the machine.
    const fillUp = (concurrency: number): Reply => {
      let waiting: Array<() => void> = [];
      return (request) => {
        const hold = new Promise<void>((resolve) => waiting.push(resolve));
        if (server.inFlight >= concurrency || server.requests.length === pairs.length) {
          for (const release of waiting.splice(0)) release();
        }
        return { ...good(request), hold };
      };
    };
    server.fallback = fillUp(3);
    try {
      const three = await evalCli(dataset, '--json', '--concurrency', '3', '--fresh');
      expect(three.code).toBe(0);
      expect(JSON.parse(three.stdout)).toMatchObject({ evaluated: 12, exactMatch: 1 });
      expect(server.requests).toHaveLength(12);
      expect(server.maxInFlight).toBe(3);

      server.maxInFlight = 0;
      server.requests.length = 0;
      server.fallback = fillUp(1);
      const one = await evalCli(dataset, '--json', '--concurrency', '1', '--fresh');
      expect(one.code).toBe(0);
      expect(server.requests).toHaveLength(12);
      expect(server.maxInFlight).toBe(1);
    } finally {
      server.fallback = good;
    }
  });

  it('a run cut short by HTTP errors resumes without asking twice', async () => {
    const dataset = await heldOut('tools');
    const good = server.fallback;
    server.fallback = () => apiError(500, 'overloaded');
    server.script(good, good, good, good, good);
    const first = await evalCli(dataset, '--concurrency', '1');
    expect(first.code).toBe(1);
    expect(first.stderr).toContain('7 examples got no answer');
    expect(first.stderr).toContain('run the same command again');
    expect(server.requests).toHaveLength(12);
    server.fallback = good;
    server.requests.length = 0;
    const second = await evalCli(dataset, '--json');
    expect(second.code).toBe(0);
    expect(server.requests).toHaveLength(7);
    expect(JSON.parse(second.stdout)).toMatchObject({ evaluated: 12, resumed: 5, exactMatch: 1, failed: 0 });
    // A third run asks nothing; --fresh asks everything again.
    server.requests.length = 0;
    await evalCli(dataset);
    expect(server.requests).toHaveLength(0);
    await evalCli(dataset, '--fresh');
    expect(server.requests).toHaveLength(12);
  });

  it('Ctrl-C stops the run, keeps what was answered, and the next run resumes', async () => {
    const dataset = await heldOut('tools');
    const results = tmp.path('interrupted.results.jsonl');
    const good = server.fallback;
    // Two answers, then the third request is held until after the signal: nothing is left to chance.
    let release = (): void => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    server.script(good, good, (request) => ({ ...good(request), hold: held }));
    const child = spawn(process.execPath, [cliPath, 'eval', '--model', 'ft:test', '--dataset', dataset, '--base-url', server.baseURL, '--server', 'openai', '--concurrency', '1', '--results', results], {
      env: { ...process.env, OPENAI_API_KEY: 'test-key', NODE_OPTIONS: '' },
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    while (server.requests.length < 3) await new Promise((resolve) => setTimeout(resolve, 10));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    release();
    expect(stderr).toContain('interrupted with 10 of 12 examples left');
    expect(readJsonLines(results)).toHaveLength(2);
    server.requests.length = 0;
    const resumed = await evalCli(dataset, '--json', '--results', results);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ evaluated: 12, resumed: 2 });
    expect(server.requests).toHaveLength(10);
  });

  it('a result is reused only for the same model and settings', async () => {
    const dataset = await heldOut('tools');
    await evalCli(dataset, '--limit', '4');
    for (const changed of [['--omit-schema'], ['--reasks', '1'], ['--temperature', '0.5'], ['--max-tokens', '99'], ['--server', 'vllm']]) {
      server.requests.length = 0;
      const { stdout } = await evalCli(dataset, '--limit', '4', '--json', ...changed);
      expect([changed, JSON.parse(stdout).resumed]).toEqual([changed, 0]);
      expect(server.requests).toHaveLength(4);
    }
    server.requests.length = 0;
    const again = await evalCli(dataset, '--limit', '4', '--json', '--omit-schema');
    expect(JSON.parse(again.stdout).resumed).toBe(4);
    expect(server.requests).toHaveLength(0);
  });

  it('validates answers against a schema of any JSON Schema draft the line declares', async () => {
    const dataset = await heldOut('tools');
    const lines = (readJsonLines(dataset) as Array<{ tools: Array<{ function: { parameters: Record<string, unknown> } }> }>).map((line) => {
      line.tools[0]!.function.parameters = { $schema: 'https://json-schema.org/draft/2020-12/schema', ...line.tools[0]!.function.parameters };
      return JSON.stringify(line);
    });
    const file = tmp.path('draft2020.jsonl');
    writeFileSync(file, `${lines.join('\n')}\n`);
    server.script((request) => ({ body: completion(request, { arguments: '{"a":1}' }) }));
    const { code, stdout } = await evalCli(file, '--json', '--concurrency', '1');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ evaluated: 12, invalidAnswers: 1, exactMatch: 11 / 12 });
  });

  it('a server failing every request: the error line gives its status and message, and the table shows no latency, not 0 ms', async () => {
    const dataset = await heldOut('tools');
    const good = server.fallback;
    server.fallback = () => apiError(500, 'boom');
    try {
      const { code, stdout, stderr } = await evalCli(dataset);
      expect(code).toBe(1);
      expect(stderr).toBe('fn-distil: 12 examples got no answer (HTTP errors, timeouts or replies that were not chat completions; last error: HTTP 500 boom); run the same command again to ask only those.\n');
      expect(stdout).toMatch(/│ examples evaluated\s+│ 0 of 12\s+│/);
      expect(stdout).toMatch(/│ latency p50 \/ p95\s+│ n\/a\s+│/);
      const json = await evalCli(dataset, '--json');
      expect(JSON.parse(json.stdout)).toMatchObject({ evaluated: 0, failed: 12, lastFailure: 'HTTP 500 boom' });
    } finally {
      server.fallback = good;
    }
  });

  it('the table formats its numbers: 1,200 + 240 = 1,440 tokens', async () => {
    const { code, stdout } = await evalCli(await heldOut('tools'));
    expect(code).toBe(0);
    expect(stdout).toMatch(/│ tokens \(prompt \+ completion\)\s+│ 1,200 \+ 240 = 1,440\s+│/);
  });

  it('a dataset with no examples is an error: there is nothing to evaluate', async () => {
    const dataset = tmp.path('empty.jsonl');
    writeFileSync(dataset, '\n \n');
    const { code, stdout, stderr } = await evalCli(dataset);
    expect({ code, stdout }).toEqual({ code: 1, stdout: '' });
    expect(stderr).toBe(`fn-distil: ${dataset} has no examples: there is nothing to evaluate. Give a file of held-out examples, e.g. the validation file of \`fn-distil dataset split\`.\n`);
    expect(server.requests).toHaveLength(0);
  });

  it('an example the API refuses (400) is counted and asked again next run; the others are evaluated', async () => {
    const dataset = await heldOut('tools');
    server.script({ status: 400, body: { error: { message: "This model's maximum context length is 65536 tokens.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } } });
    const { code, stdout, stderr } = await evalCli(dataset, '--json', '--concurrency', '1');
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ evaluated: 11, failed: 1, exactMatch: 1 });
    expect(stderr).toContain("fn-distil: 1 example got no answer (HTTP errors, timeouts or replies that were not chat completions; last error: HTTP 400 This model's maximum context length is 65536 tokens.); run");
  });

  it.each([
    ["a proxy's HTML page", { raw: '<html><body>502 Bad Gateway</body></html>', headers: { 'content-type': 'text/html' } }, 'it is text, not JSON): <html><body>502 Bad Gateway</body></html>'],
    ['JSON without choices', { raw: '{"detail":"upstream busy"}' }, 'it has no "choices" list): {"detail":"upstream busy"}'],
  ])('a 200 reply that is not a chat completion (%s) is counted as failed and asked again next run; the others are evaluated', async (_label, reply, said) => {
    const dataset = await heldOut('tools');
    server.script(reply);
    const first = await evalCli(dataset, '--json', '--concurrency', '1');
    expect(first.code).toBe(1);
    expect(JSON.parse(first.stdout)).toMatchObject({ evaluated: 11, failed: 1, exactMatch: 1, invalidAnswers: 0 });
    expect(first.stderr).toBe(
      `fn-distil: 1 example got no answer (HTTP errors, timeouts or replies that were not chat completions; last error: the reply is not a chat completion (${said}); run the same command again to ask only those (answered ones are kept in ${dataset.replace(/\.jsonl$/, '.eval-results.jsonl')}).\n`,
    );
    expect(server.requests).toHaveLength(12);
    server.requests.length = 0;
    const second = await evalCli(dataset, '--json');
    expect(second.code).toBe(0);
    expect(JSON.parse(second.stdout)).toMatchObject({ evaluated: 12, resumed: 11, failed: 0, exactMatch: 1 });
    expect(server.requests).toHaveLength(1);
  });

  it('a torn last line in the results file (a killed run) is asked again, not trusted', async () => {
    const dataset = await heldOut('tools');
    const results = tmp.path('torn.results.jsonl');
    await evalCli(dataset, '--results', results, '--limit', '3');
    const text = readFileSync(results, 'utf8').trim().split('\n');
    writeFileSync(results, `${text[0]}\n${text[1]}\n${text[2]!.slice(0, 20)}`);
    server.requests.length = 0;
    const { stdout } = await evalCli(dataset, '--json', '--results', results);
    expect(JSON.parse(stdout)).toMatchObject({ evaluated: 12, resumed: 2 });
    expect(server.requests).toHaveLength(10);
    expect(readJsonLines(results)).toHaveLength(12);
  });
});

describe('fn-distil eval errors are one clear line', () => {
  it.each<[string, () => Promise<{ code: number | null; stderr: string }>, RegExp]>([
    ['a missing API key for OpenAI', async () => runCli(['eval', '--model', 'ft:x', '--dataset', await heldOut('tools')]), /OPENAI_API_KEY is not set/],
    ['a missing dataset', async () => evalCli(tmp.path('nope.jsonl')), /Cannot read .*nope\.jsonl: no such file/],
    [
      'a malformed line',
      async () => {
        const file = tmp.path('malformed.jsonl');
        writeFileSync(file, `${readFileSync(await heldOut('tools'), 'utf8').split('\n').slice(0, 2).join('\n')}\n{"messages": [\n`);
        return evalCli(file);
      },
      /malformed\.jsonl:3: the line is not valid JSON \(.+\)\. Run `fn-distil dataset validate/,
    ],
    [
      'a line holding only a non-breaking space (an error, as in every dataset command)',
      async () => {
        const file = tmp.path('nbsp.jsonl');
        writeFileSync(file, `${readFileSync(await heldOut('tools'), 'utf8').split('\n').slice(0, 2).join('\n')}\n\n\u00a0\n`);
        return evalCli(file);
      },
      /nbsp\.jsonl:4: the line is not valid JSON/,
    ],
    [
      'an unknown model (the API answers 404)',
      async () => {
        server.fallback = () => ({ status: 404, body: { error: { message: 'The model `ft:test` does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' } } });
        try {
          return await evalCli(await heldOut('tools'));
        } finally {
          server.fallback = (await import('../helpers/fake-openai')).multiplies;
        }
      },
      /API error: 404 The model `ft:test` does not exist/,
    ],
  ])('%s', async (_label, run, message) => {
    const { code, stderr } = await run();
    expect(code).toBe(1);
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('an unreachable server stops the run with one line, not a report of zeros', async () => {
    const dataset = await heldOut('tools');
    const { code, stdout, stderr } = await runCli(['eval', '--model', 'm', '--dataset', dataset, '--base-url', 'http://127.0.0.1:9/v1', '--max-retries', '0'], { env: { OPENAI_API_KEY: 'test-key' } });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fn-distil: Cannot reach the API/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it("an unreachable server stops the run also with --timeout shorter than the client's retries", async () => {
    const dataset = await heldOut('tools');
    const { port, release } = await refusedPort();
    const { code, stdout, stderr } = await runCli(['eval', '--model', 'm', '--dataset', dataset, '--base-url', `http://127.0.0.1:${port}/v1`, '--max-retries', '1', '--timeout', '100', '--concurrency', '1'], {
      env: { OPENAI_API_KEY: 'test-key' },
    }).finally(release);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^fn-distil: Cannot reach the API/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('a usage error names the missing option and exits 2', async () => {
    const { code, stderr } = await runCli(['eval', '--dataset', 'x.jsonl']);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--model <model>' not specified");
  });
});
