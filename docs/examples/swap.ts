// swap() from shadow to canary to model: `npx tsx docs/examples/swap.ts [model] [format] [server]`.
// With OPENAI_BASE_URL set (your llama.cpp, vLLM, SGLang or Ollama serving the fine-tuned model)
// or a model named (OpenAI, with OPENAI_API_KEY), the calls go to that model. With neither, a
// stand-in on 127.0.0.1 plays the fine-tuned model, so this runs anywhere with no API key.
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import OpenAI from 'openai';
import winston from 'winston';
import { distil, swap, type ServerName, type SwapStats } from 'fn-distil';

const Multiply = Type.Object(
  { a: Type.Integer(), b: Type.Integer(), result: Type.Integer() },
  { $id: 'Multiply', description: 'The product of two integers' },
);
const dir = mkdtempSync(join(tmpdir(), 'fn-distil-swap-'));
const filename = join(dir, 'math_finetunes.jsonl');

const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
  name: 'three_digit_multiply',
  transports: [new winston.transports.File({ filename })],
});

const [model = 'my-multiply', format = 'json', server = 'generic'] = process.argv.slice(2) as [string?, string?, ServerName?];
if (format !== 'messages' && format !== 'tools' && format !== 'json') {
  console.error(`The format the model was trained on is json, tools or messages, not ${format}.`);
  process.exit(2);
}
const standIn = process.env['OPENAI_BASE_URL'] === undefined && process.argv[2] === undefined ? await startStandIn() : undefined;
if (standIn !== undefined) console.log(`No OPENAI_BASE_URL and no model named: a stand-in at ${standIn.baseURL} plays the fine-tuned model.`);

// Without a baseURL, the client reads OPENAI_BASE_URL, else calls OpenAI; servers you run yourself
// often need no key. `format` is that of the lines the model was trained on (distil()'s default is
// 'json'), and `server` the one that serves it ('llama.cpp', 'vllm', 'openai', ...): what each
// request carries. Left out, swap() takes 'openai' for api.openai.com, 'generic' for any other.
const client = new OpenAI({ baseURL: standIn?.baseURL, apiKey: process.env['OPENAI_API_KEY'] ?? 'none' });

const randomThreeDigits = (): number => 100 + Math.floor(Math.random() * 900);
const print = (mode: string, stats: SwapStats): void => console.log(`${mode} stats(): ${JSON.stringify(stats)}`);

// 1. Shadow: the original answers every call; the model is asked alongside and compared.
const shadow = swap(multiply, {
  model,
  client,
  format,
  server,
  mode: 'shadow',
  capture: true, // the default: calls the original answers keep feeding the dataset
  onCompare: ({ exact, args, original, model: answer, error }) => {
    if (!exact) console.log('disagreement:', args, original, answer ?? error?.message);
  },
});
for (let i = 0; i < 20; i++) await shadow(randomThreeDigits(), randomThreeDigits());
await shadow.flush(); // waits for the comparisons still in flight
print('shadow', shadow.stats());

// 2. Canary: a quarter of the calls go to the model; without a valid answer, the original answers.
const canary = swap(multiply, { model, client, format, server, mode: 'canary', ratio: 0.25, fallback: true });
for (let i = 0; i < 40; i++) await canary(randomThreeDigits(), randomThreeDigits());
print('canary', canary.stats());

// 3. Model: every call goes to the model.
const shutdown = new AbortController(); // shutdown.abort() stops the calls in flight, e.g. on SIGTERM
const fast = swap(multiply, {
  model,
  client,
  format,
  mode: 'model',
  maxRetries: 2, // re-asks after an invalid answer, with the errors sent back
  fallback: true, // keep it while the original can still run
  timeoutMs: 30_000, // of each attempt, to the reply's last byte
  signal: shutdown.signal, // an aborted call throws a SwapError and never falls back
  omitSchema: true, // the model has learned the schema: declare the function by name only
  temperature: 0, // the default: a function answers the same way each time
  maxTokens: 256, // most tokens of one answer; a cut-off answer is a 'length' failure
  server,
});
console.log('fast(133, 539) =', await fast(133, 539));
for (let i = 0; i < 9; i++) await fast(randomThreeDigits(), randomThreeDigits());
print('model', fast.stats());

// A plain function, not from distil(), takes its schema and the prompt options it was distilled with.
const plain = swap((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { model, client, server, name: 'three_digit_multiply', format });
console.log('plain(12, 34) =', await plain(12, 34));

await multiply.close(); // the calls the original answered are in the dataset
const captured = readFileSync(filename, 'utf8').split('\n').filter(Boolean).length;
console.log(`${captured} examples captured while swapping`);
rmSync(dir, { recursive: true });
await standIn?.close();

/**
 * A stand-in for the fine-tuned model, not a model: an OpenAI-compatible chat server that reads
 * `Return three_digit_multiply(a, b)` in the prompt and answers with the correct product, as the
 * function call, tool call or JSON content the request asks for.
 */
async function startStandIn(): Promise<{ baseURL: string; close: () => Promise<void> }> {
  const server = createServer(async (request, response) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    if (request.method !== 'POST' || request.url !== '/v1/chat/completions') return void response.writeHead(404).end();
    const ask = JSON.parse(body) as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming;
    const prompt = String(ask.messages.find((message) => message.role === 'user')?.content);
    const [a, b] = JSON.parse(`[${prompt.slice(prompt.indexOf('(') + 1, prompt.lastIndexOf(')'))}]`) as [number, number];
    const answer = JSON.stringify({ a, b, result: a * b });
    const tool = ask.tools?.[0]?.type === 'function' ? ask.tools[0].function.name : undefined;
    const fn = ask.functions?.[0]?.name;
    const message: OpenAI.Chat.ChatCompletionMessage =
      tool !== undefined
        ? { role: 'assistant', content: null, refusal: null, tool_calls: [{ id: 'call_0', type: 'function', function: { name: tool, arguments: answer } }] }
        : fn !== undefined
          ? { role: 'assistant', content: null, refusal: null, function_call: { name: fn, arguments: answer } }
          : { role: 'assistant', content: answer, refusal: null };
    const completion: OpenAI.Chat.ChatCompletion = {
      id: `chatcmpl-stand-in-${a}-${b}`,
      object: 'chat.completion',
      created: Math.floor(Date.now() / 1000),
      model: ask.model,
      choices: [{ index: 0, message, finish_reason: tool !== undefined ? 'tool_calls' : fn !== undefined ? 'function_call' : 'stop', logprobs: null }],
    };
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(completion));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    close: () => {
      server.closeAllConnections(); // the client keeps its connections alive
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
