import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { openApiValidator } from './openapi';

/** What the server answers to one request. */
export interface Scripted {
  readonly status?: number;
  readonly body?: unknown;
  readonly delayMs?: number;
  /** The reply is held until this settles: a test decides when a request is answered. */
  readonly hold?: Promise<unknown>;
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Sent as it is instead of `body`, with no contract check: a 200 from something that is not the
   * API, such as a proxy's HTML page (set its content-type in `headers`) or JSON without `choices`.
   */
  readonly raw?: string;
}
type ChatRequest = { model: string; messages: Array<Record<string, any>>; tools?: unknown[]; functions?: unknown[]; response_format?: { type: string }; temperature?: number };
export type Reply = (request: ChatRequest) => Scripted;

// Compiled on first use, so a server started with `validate: false` (the benchmark) never loads the spec.
let schemas: Record<'request' | 'response' | 'error', ReturnType<typeof openApiValidator>> | undefined;
const official = () =>
  (schemas ??= {
    request: openApiValidator('openapi.json', 'CreateChatCompletionRequest'),
    response: openApiValidator('openapi.json', 'CreateChatCompletionResponse'),
    error: openApiValidator('openapi.json', 'ErrorResponse'),
  });

let sequence = 0;

/** A chat completion in the official response shape, answering with `answer` the way the request asked. */
export function completion(
  request: ChatRequest,
  answer: { arguments?: string; refusal?: string; finishReason?: 'stop' | 'length' | 'tool_calls' | 'function_call'; noCall?: boolean },
  usage = { prompt_tokens: 100, completion_tokens: 20 },
): Record<string, unknown> {
  const text = answer.arguments ?? null;
  let message: Record<string, unknown> = { role: 'assistant', content: null, refusal: null };
  let finish: string = answer.finishReason ?? 'stop';
  if (answer.refusal !== undefined) message = { ...message, refusal: answer.refusal };
  else if (answer.noCall === true) message = { ...message, content: 'I would rather chat.' };
  else if (request.tools !== undefined) {
    message = { ...message, tool_calls: [{ id: `call_${++sequence}`, type: 'function', function: { name: toolName(request), arguments: text ?? '' } }] };
    finish = answer.finishReason ?? 'tool_calls';
  } else if (request.functions !== undefined) {
    message = { ...message, function_call: { name: toolName(request), arguments: text ?? '' } };
    finish = answer.finishReason ?? 'function_call';
  } else message = { ...message, content: text };
  return {
    id: `chatcmpl-${++sequence}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: request.model,
    choices: [{ index: 0, message, finish_reason: finish, logprobs: null }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

function toolName(request: ChatRequest): string {
  const tool = (request.tools?.[0] as { function?: { name: string } } | undefined)?.function?.name;
  return tool ?? (request.functions?.[0] as { name: string } | undefined)?.name ?? 'unknown';
}

/** The right answer for the demo function: parses `Return name(a, b)` and multiplies. */
export const multiplies: Reply = (request) => {
  const user = [...request.messages].reverse().find((m) => m['role'] === 'user')?.['content'] as string;
  const first = request.messages.find((m) => m['role'] === 'user')?.['content'] as string;
  const [a, b] = JSON.parse(`[${(first ?? user).slice(first.indexOf('(') + 1, -1)}]`) as [number, number];
  return { body: completion(request, { arguments: JSON.stringify({ a, b, result: a * b }) }) };
};

export interface FakeOpenAI {
  readonly baseURL: string;
  /** Bodies of every chat request received, in order. */
  readonly requests: ChatRequest[];
  /** The HTTP headers of each of `requests`, at the same index. */
  readonly headers: IncomingHttpHeaders[];
  /** Request bodies the official CreateChatCompletionRequest schema rejected, with Ajv's errors. */
  readonly violations: unknown[];
  /** Requests received and not yet answered (or dropped by the client), now. */
  readonly inFlight: number;
  /** The most requests ever in flight at once; a test may set it back to 0. */
  maxInFlight: number;
  /**
   * Queues replies for the next requests, in the order they arrive; when the queue is empty,
   * `fallback` answers. Only for requests sent one after another: concurrent requests (shadow
   * calls, `Promise.all`) arrive in any order, so give those replies with {@link scriptFor}.
   */
  script(...replies: Array<Scripted | Reply>): void;
  /**
   * Queues replies for the requests of one call only: those whose first user message is `user`
   * (e.g. `'Return three_digit_multiply(2, 3)'`; its re-asks have the same one), taken in order
   * before the general queue. Whatever order concurrent requests arrive in, each gets its own.
   */
  scriptFor(user: string, ...replies: Array<Scripted | Reply>): void;
  /** Scripted replies not taken yet (checked to be none after each test by {@link fakeOpenAIPerFile}). */
  readonly unused: number;
  /** Drops the scripted replies not taken yet. */
  forget(): void;
  fallback: Reply;
  close(): Promise<void>;
}

/**
 * An OpenAI-compatible chat server on 127.0.0.1, scripted by the tests. `validate: false` skips
 * the contract checks and `record: false` keeps no request bodies (the benchmark's long runs).
 */
export async function startFakeOpenAI(options: { validate?: boolean; record?: boolean } = {}): Promise<FakeOpenAI> {
  const queue: Array<Scripted | Reply> = [];
  const byCall = new Map<string, Array<Scripted | Reply>>();
  const requests: ChatRequest[] = [];
  const headers: IncomingHttpHeaders[] = [];
  const violations: unknown[] = [];
  const validate = options.validate ?? true;
  let inFlight = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, inFlight);
    // 'close' comes once per request, whether it was answered or the client went away.
    res.once('close', () => inFlight--);
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'not found', type: 'invalid_request_error', param: null, code: null } }));
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChatRequest;
      if (options.record !== false) {
        requests.push(body);
        headers.push(req.headers);
      }
      if (validate && !official().request(body)) violations.push({ body, errors: official().request.errors });
      const user = body.messages?.find((message) => message['role'] === 'user')?.['content'];
      const next = (typeof user === 'string' ? byCall.get(user)?.shift() : undefined) ?? queue.shift() ?? fake.fallback;
      const scripted = typeof next === 'function' ? next(body) : next;
      const status = scripted.status ?? 200;
      if (validate && scripted.raw === undefined && status === 200 && !official().response(scripted.body)) {
        throw new Error(`a scripted reply does not have the official response shape: ${JSON.stringify(official().response.errors)}`);
      }
      if (validate && scripted.raw === undefined && status >= 400 && !official().error(scripted.body)) {
        throw new Error(`a scripted error does not have the official ErrorResponse shape: ${JSON.stringify(official().error.errors)}`);
      }
      const send = (): void => {
        if (res.destroyed) return;
        res.writeHead(status, { 'content-type': 'application/json', ...scripted.headers }).end(scripted.raw ?? JSON.stringify(scripted.body ?? {}));
      };
      const delayed = (): void => void (scripted.delayMs === undefined ? send() : setTimeout(send, scripted.delayMs));
      if (scripted.hold === undefined) delayed();
      else void scripted.hold.finally(delayed);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const fake: FakeOpenAI = {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    headers,
    violations,
    get inFlight() {
      return inFlight;
    },
    maxInFlight: 0,
    script: (...replies) => void queue.push(...replies),
    scriptFor: (user, ...replies) => void byCall.set(user, [...(byCall.get(user) ?? []), ...replies]),
    get unused() {
      let count = queue.length;
      for (const replies of byCall.values()) count += replies.length;
      return count;
    },
    forget: () => {
      queue.length = 0;
      byCall.clear();
    },
    fallback: multiplies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return fake;
}

/** An error body in the official shape. */
export function apiError(status: number, message: string): Scripted {
  return { status, body: { error: { message, type: status === 429 ? 'rate_limit_error' : 'server_error', param: null, code: null } } };
}

/**
 * For a test file sharing one chat server: starts it before the file's tests (handed to `use`),
 * checks after each test that every request sent is one the official spec accepts and that every
 * scripted reply was taken (one left over would answer a later test's request), forgets the
 * requests and replies, and closes the server at the end.
 */
export function fakeOpenAIPerFile(use: (server: FakeOpenAI) => void): void {
  let server: FakeOpenAI | undefined;
  beforeAll(async () => {
    server = await startFakeOpenAI();
    use(server);
  });
  afterEach(() => {
    const unused = server?.unused;
    if (server !== undefined) {
      server.forget();
      server.requests.length = server.headers.length = 0;
      server.maxInFlight = 0;
    }
    expect(server?.violations).toEqual([]);
    expect({ unusedScriptedReplies: unused }).toEqual({ unusedScriptedReplies: 0 });
  });
  afterAll(() => server?.close());
}
