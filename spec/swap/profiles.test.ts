import OpenAI from 'openai';
import { ConfigurationError, swap, SwapError, type ExampleFormat } from 'fn-distil';
import { apiError, startFakeOpenAI } from '../helpers/fake-openai';
import { multiplyAnswer, startFakeServer, type FakeServer, type FakeServerName } from '../helpers/fake-servers';
import { Multiply, multiplyImpl } from '../helpers/schemas';

// The formats × servers table of docs/open-weight.md, for the servers that cannot run here: each
// cell against a contract fake that answers as the server's source says (spec/helpers/fake-servers.ts).
// llama.cpp's cells run against the real llama-server in `npm run test:open-weight`.

const fakes: FakeServerName[] = ['vllm', 'sglang', 'ollama', 'lmstudio', 'tgi', 'transformers'];
const client = (server: FakeServer, maxRetries = 2): OpenAI => new OpenAI({ apiKey: 'none', baseURL: server.baseURL, maxRetries });
const wrap = (server: FakeServer, format: ExampleFormat, extra: Record<string, unknown> = {}) =>
  swap(multiplyImpl, Multiply, { name: 'three_digit_multiply', format, model: 'my-multiply', server: server.name, client: client(server), ...extra });

describe.each(fakes)('server %s', (name) => {
  let server: FakeServer;
  beforeAll(async () => {
    server = await startFakeServer(name);
  });
  afterEach(() => void (server.requests.length = 0));
  afterAll(() => server.close());

  it.each(['json', 'tools'] as const)("format '%s' is served: the answer is read where the server puts it, in one request", async (format) => {
    const fast = wrap(server, format);
    await expect(fast(133, 539)).resolves.toEqual({ a: 133, b: 539, result: 71687 });
    await expect(fast(7, 6)).resolves.toEqual({ a: 7, b: 6, result: 42 });
    expect(server.requests).toHaveLength(2);
    const [request] = server.requests;
    // Deterministic by default, and bounded in the field this server reads.
    expect(request).toMatchObject({ temperature: 0, max_tokens: 1024 });
    expect(request).not.toHaveProperty('max_completion_tokens');
  });

  it("format 'messages' is refused when wrapping, saying to use 'json'", () => {
    expect(() => wrap(server, 'messages')).toThrow(ConfigurationError);
    expect(() => wrap(server, 'messages')).toThrow(/does not read `functions`.*format 'json'/);
  });

  it('the request carries what this server honours', async () => {
    await wrap(server, 'json')(1, 2);
    await wrap(server, 'tools')(1, 2);
    const [json, tools] = server.requests as [Record<string, unknown>, Record<string, unknown>];
    const schema = expect.objectContaining({ type: 'object', required: ['a', 'b', 'result'] });
    const expected: Record<FakeServerName, { json: unknown; toolChoice: unknown }> = {
      vllm: { json: { type: 'json_schema', json_schema: { name: 'Multiply', schema } }, toolChoice: { type: 'function', function: { name: 'Multiply' } } },
      sglang: { json: { type: 'json_schema', json_schema: { name: 'Multiply', schema } }, toolChoice: { type: 'function', function: { name: 'Multiply' } } },
      ollama: { json: { type: 'json_schema', json_schema: { name: 'Multiply', schema } }, toolChoice: undefined },
      lmstudio: { json: { type: 'json_schema', json_schema: { name: 'Multiply', schema } }, toolChoice: 'required' },
      tgi: { json: { type: 'json_schema', value: { name: 'Multiply', schema } }, toolChoice: { type: 'function', function: { name: 'Multiply' } } },
      transformers: { json: undefined, toolChoice: undefined },
    };
    expect(json['response_format']).toEqual(expected[name].json);
    expect(tools['tool_choice']).toEqual(expected[name].toolChoice);
    expect(tools['tools']).toEqual([{ type: 'function', function: expect.objectContaining({ name: 'Multiply' }) }]);
  });

  it('a re-ask sends the bad answer as assistant text and the errors as a user message, which the server accepts', async () => {
    // The first answer is not even JSON: echoed back as a tool call, vLLM, SGLang and Ollama would
    // refuse the re-ask with a 400 (their fakes check it); as text, every server takes it.
    let calls = 0;
    const flaky = await startFakeServer(name, { answerText: () => (++calls === 1 ? '{"a":' : undefined) });
    try {
      const fast = wrap(flaky, 'tools');
      await expect(fast(3, 4)).resolves.toEqual({ a: 3, b: 4, result: 12 });
      expect(flaky.requests).toHaveLength(2);
      const reask = flaky.requests[1]!['messages'] as Array<Record<string, unknown>>;
      // The answer as the server gave it, as text (where the call sat in content, that whole text).
      expect(reask.slice(2)).toEqual([
        { role: 'assistant', content: expect.stringContaining('{"a":') },
        { role: 'user', content: expect.stringMatching(/^Validation Error found:\n(the answer is not JSON: |the reply has no call to Multiply)/) },
      ]);
    } finally {
      await flaky.close();
    }
  });
});

describe('what the fakes refuse (proof that the profiles matter)', () => {
  it("vLLM refuses tools without a named or required tool_choice: 'rejected', sent once, not retried", async () => {
    const vllm = await startFakeServer('vllm');
    try {
      // Ollama's profile sends no tool_choice: vLLM takes that as "auto".
      const fast = swap(multiplyImpl, Multiply, { format: 'tools', model: 'm', server: 'ollama', client: client(vllm) });
      const error = (await fast(1, 2).catch((e: unknown) => e)) as SwapError;
      expect(error).toBeInstanceOf(SwapError);
      expect(error.attempts.map((attempt) => attempt.kind)).toEqual(['rejected']);
      expect(error.message).toMatch(/"auto" tool choice requires --enable-auto-tool-choice/);
      expect(error.message).toMatch(/server refuses this request, so it was not retried/);
      expect(vllm.requests).toHaveLength(1);
    } finally {
      await vllm.close();
    }
  });

  it("TGI refuses OpenAI's json_schema shape with a 422, which its own profile avoids", async () => {
    const tgi = await startFakeServer('tgi');
    try {
      const generic = swap(multiplyImpl, Multiply, { format: 'json', model: 'm', server: 'generic', client: client(tgi) });
      const error = (await generic(1, 2).catch((e: unknown) => e)) as SwapError;
      expect(error.attempts[0]).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/^422 /) });
      await expect(swap(multiplyImpl, Multiply, { format: 'json', model: 'm', server: 'tgi', client: client(tgi) })(1, 2)).resolves.toEqual({ a: 1, b: 2, result: 2 });
    } finally {
      await tgi.close();
    }
  });

  it('LM Studio refuses a named tool_choice and json_object; its profile sends "required" and no json_object', async () => {
    const lmstudio = await startFakeServer('lmstudio');
    try {
      const named = swap(multiplyImpl, Multiply, { format: 'tools', model: 'm', server: 'vllm', client: client(lmstudio) });
      await expect(named(1, 2)).rejects.toThrow(/Invalid tool_choice type: 'object'/);
      const omitting = swap(multiplyImpl, Multiply, { format: 'json', model: 'm', server: 'lmstudio', omitSchema: true, client: client(lmstudio) });
      await expect(omitting(5, 5)).resolves.toEqual({ a: 5, b: 5, result: 25 });
      expect(lmstudio.requests[1]).not.toHaveProperty('response_format');
    } finally {
      await lmstudio.close();
    }
  });

  it('transformers serve refuses response_format, tool_choice and max_completion_tokens; its profile sends none of them', async () => {
    const transformers = await startFakeServer('transformers');
    try {
      const openaiShaped = swap(multiplyImpl, Multiply, { format: 'json', model: 'm', server: 'openai', client: client(transformers) });
      await expect(openaiShaped(1, 2)).rejects.toThrow(/422 .*Unsupported fields in the request: \{'response_format', 'max_completion_tokens'\}/);
    } finally {
      await transformers.close();
    }
  });

  it('SGLang without a tool-call parser leaves the call in content; with one, in tool_calls: both are read', async () => {
    const plain = await startFakeServer('sglang');
    const parsed = await startFakeServer('sglang', { toolParser: true });
    try {
      for (const server of [plain, parsed]) await expect(wrap(server, 'tools')(12, 12)).resolves.toEqual({ a: 12, b: 12, result: 144 });
      expect(plain.requests).toHaveLength(1);
      expect(parsed.requests).toHaveLength(1);
    } finally {
      await Promise.all([plain.close(), parsed.close()]);
    }
  });
});

describe("llama.cpp's profile", () => {
  it("reads llama-server's 500 for a grammar-bound answer cut off as a 'length' failure: one request, not retried", async () => {
    // Measured on llama.cpp-tools 0.7.0 (b11669): json_schema + an answer cut by max_tokens.
    const fake = await startFakeOpenAI();
    try {
      fake.script(apiError(500, 'The model produced output that does not match the expected peg-native format'));
      const fast = swap(multiplyImpl, Multiply, { model: 'm', server: 'llama.cpp', maxTokens: 8, client: new OpenAI({ apiKey: 'none', baseURL: fake.baseURL }) });
      const error = (await fast(1, 2).catch((e: unknown) => e)) as SwapError;
      expect(error.attempts.map((attempt) => attempt.kind)).toEqual(['length']);
      expect(error.message).toMatch(/cut off by the token limit or the context, .*Raise `maxTokens`/);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({ max_tokens: 8, temperature: 0 });
      expect(fake.requests[0]).not.toHaveProperty('tool_choice');
    } finally {
      await fake.close();
    }
  });
});

describe('the default server', () => {
  it("is 'openai' for api.openai.com, so format 'messages' is served there", () => {
    expect(() => swap(multiplyImpl, Multiply, { format: 'messages', model: 'm', client: new OpenAI({ apiKey: 'k' }) })).not.toThrow();
  });

  it("is 'generic' for any other base URL, which refuses 'messages' and names the option", () => {
    const local = new OpenAI({ apiKey: 'k', baseURL: 'http://127.0.0.1:8080/v1' });
    expect(() => swap(multiplyImpl, Multiply, { format: 'messages', model: 'm', client: local })).toThrow(/server: 'generic'/);
    expect(() => swap(multiplyImpl, Multiply, { format: 'messages', model: 'm', client: local, server: 'openai' })).not.toThrow();
  });

  it('an unknown server name is refused when wrapping, with the names it takes', () => {
    expect(() => swap(multiplyImpl, Multiply, { model: 'm', server: 'vLLM' as 'vllm' })).toThrow(/`server` must be one of 'openai', 'vllm', 'sglang', 'llama.cpp'/);
  });
});
