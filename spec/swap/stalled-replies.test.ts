import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI from 'openai';
import { evaluateModel, swap, SwapError, distil } from 'fn-distil';
import winston from 'winston';
import { tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';

// timeoutMs bounds each attempt from the request to the reply's last byte: the openai client's own
// timeout stops at the headers, so a server that stalls after them would hold the call (issue 11).
const completion = JSON.stringify({
  id: 'chatcmpl-1',
  object: 'chat.completion',
  created: 1,
  model: 'm',
  choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"a":1,"b":1,"result":1}' } }],
});

let server: Server;
let baseURL: string;
let requests = 0;
const open = new Set<ServerResponse>();
const tmp = tempDir();

beforeAll(async () => {
  server = createServer((req, res) => {
    requests++;
    open.add(res);
    res.on('close', () => open.delete(res));
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url?.startsWith('/stall/')) res.write(completion.slice(0, 20)); // then nothing, ever
      else {
        // One byte every 20 ms: the whole body would take over 5 s.
        let sent = 0;
        const drip = setInterval(() => {
          if (res.destroyed || sent >= completion.length) {
            clearInterval(drip);
            if (!res.destroyed) res.end();
            return;
          }
          res.write(completion[sent++]);
        }, 20);
        res.on('close', () => clearInterval(drip));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseURL = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => void (requests = 0));
afterAll(async () => {
  for (const res of open) res.destroy();
  await new Promise((resolve) => server.close(resolve));
  tmp.remove();
});

const client = (path: string, maxRetries = 0) => new OpenAI({ apiKey: 'k', baseURL: `${baseURL}/${path}/v1`, maxRetries });

describe('a reply that stalls after its headers', () => {
  it.each(['stall', 'drip'])('%s: the call fails as a timeout, however long the server would hold it', async (path) => {
    const fast = swap(multiplyImpl, Multiply, { model: 'm', server: 'openai', timeoutMs: 300, client: client(path) });
    const error = (await fast(1, 1).catch((e: unknown) => e)) as SwapError;
    expect(error).toBeInstanceOf(SwapError);
    expect(error.attempts).toEqual([expect.objectContaining({ kind: 'timeout', message: 'no complete reply within 300 ms: the server sent nothing, or stopped part-way through the body' })]);
    expect(error.message).toMatch(/raise the client's `maxRetries` or the `timeoutMs` option/);
  });

  it('each retry gets its own timeoutMs: maxRetries + 1 attempts in all, then a timeout', async () => {
    const fast = swap(multiplyImpl, Multiply, { model: 'm', server: 'openai', timeoutMs: 200, client: client('stall', 2) });
    const error = (await fast(1, 1).catch((e: unknown) => e)) as SwapError;
    expect(error.attempts.map((attempt) => attempt.kind)).toEqual(['timeout']);
    expect(requests).toBe(3);
  });

  it('eval with a timeout counts the example as unanswered instead of waiting for the body', async () => {
    const dataset = tmp.path('stalled.jsonl');
    const multiply = distil(multiplyImpl, Multiply, { transports: [new winston.transports.File({ filename: dataset })] });
    multiply(1, 1);
    multiply(2, 2);
    await multiply.close();
    const report = await evaluateModel({ dataset, model: 'm', client: client('stall'), server: 'openai', timeoutMs: 200, resultsFile: tmp.path('stalled.results.jsonl') });
    expect(report).toMatchObject({ examples: 2, evaluated: 0, failed: 2, lastFailure: expect.stringMatching(/^no complete reply within 200 ms/) });
  });
});
