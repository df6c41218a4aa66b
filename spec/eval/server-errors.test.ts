import winston from 'winston';
import { distil } from 'fn-distil';
import { runCli } from '../helpers/cli';
import { apiError, completion, fakeOpenAIPerFile, type FakeOpenAI, type Reply } from '../helpers/fake-openai';
import { readJsonLines, tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';

// What a server configuration error does to `eval`: not retried as transient, and the same
// refusal example after example stops the run with the server's own words (exit 1).
let server: FakeOpenAI;
const tmp = tempDir();
fakeOpenAIPerFile((started) => (server = started));
afterAll(() => tmp.remove());

async function heldOut(count: number): Promise<string> {
  const filename = tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);
  const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', transports: [new winston.transports.File({ filename })] });
  for (let i = 0; i < count; i++) multiply(100 + i, 7);
  await multiply.close();
  return filename;
}

const evalCli = (dataset: string, ...extra: string[]) =>
  runCli(['eval', '--model', 'm', '--dataset', dataset, '--base-url', server.baseURL, '--server', 'openai', '--concurrency', '1', '--json', ...extra], { env: { OPENAI_API_KEY: 'k' } });

const always = (reply: ReturnType<typeof apiError>): Reply => () => reply;

describe('eval and a server that refuses every request', () => {
  afterEach(() => (server.fallback = defaultFallback));
  let defaultFallback: Reply;
  beforeAll(() => (defaultFallback = server.fallback));

  it('a 400 for every request stops after 3 examples, exit 1, with the server message and what to check', async () => {
    const dataset = await heldOut(12);
    server.fallback = always(apiError(400, '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set'));
    const { code, stdout, stderr } = await evalCli(dataset, '--max-retries', '2');
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/refused 3 requests in a row with the same error, so the run stopped \(0 examples answered this run.*HTTP 400 "auto" tool choice requires --enable-auto-tool-choice.*Check how the server was started for this format and `server` \(now 'openai'\)/);
    // Never retried: one request per example, three examples.
    expect(server.requests).toHaveLength(3);
  });

  it('the same 500 twice is configuration, not a passing fault: later examples skip the retries', async () => {
    const dataset = await heldOut(12);
    server.fallback = always(apiError(500, 'tools param requires --jinja flag'));
    const { code, stderr } = await evalCli(dataset, '--max-retries', '2');
    expect(code).toBe(1);
    expect(stderr).toMatch(/HTTP 500 tools param requires --jinja flag \(the same error again/);
    // The first example: the 500, its retry with the same 500; the next two: one request each.
    expect(server.requests).toHaveLength(4);
  });

  it('a 500 that changes is retried with the budget, and an answer after it is kept', async () => {
    const dataset = await heldOut(2);
    server.script(apiError(500, 'overloaded'), apiError(503, 'try later'));
    const { code, stdout } = await evalCli(dataset, '--max-retries', '2');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ evaluated: 2, exactMatch: 1 });
    expect(server.requests).toHaveLength(4);
  });

  it('a re-ask the server refuses leaves the example unanswered (asked again next run), not an invalid answer', async () => {
    const dataset = await heldOut(2);
    const results = tmp.path('reask-refused.results.jsonl');
    server.script((request) => ({ body: completion(request, { arguments: '{"a":1}' }) }), apiError(400, 'context length exceeded'));
    const { code, stdout, stderr } = await evalCli(dataset, '--reasks', '1', '--results', results);
    expect(code).toBe(1);
    expect(JSON.parse(stdout)).toMatchObject({ evaluated: 1, failed: 1, exactMatch: 1, lastFailure: 'HTTP 400 context length exceeded' });
    expect(stderr).toContain('1 example got no answer');
    expect(readJsonLines(results)).toEqual([expect.objectContaining({ line: 2, valid: true })]);
  });
});
