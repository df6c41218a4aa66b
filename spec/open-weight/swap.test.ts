// swap() with `server: 'llama.cpp'` against the real llama-server serving the model TRL trained on
// the function's own captured calls, through a recording proxy that shows what each request
// carried. Run by `npm run test:open-weight`, like llama-server.test.ts.
import { Value } from '@sinclair/typebox/value';
import OpenAI from 'openai';
import { ConfigurationError, SwapError, swap } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { sentimentData, trainArgs, type Line } from './data';
import { startLlamaServer, type LlamaServer } from './llama-server';
import { describeWithParts } from './parts';
import { trainCached } from './python';
import { startRecordingProxy, type Exchange, type RecordingProxy } from './recording-proxy';
import { Sentiment, distilledSentiment, sentiment } from './sentiment';

const minute = 60_000;

describeWithParts("open-weight: swap() with server 'llama.cpp' against llama-server serving the trained model", () => {
  const tmp = tempDir('fn-distil-open-weight-swap-');
  let server: LlamaServer;
  let proxy: RecordingProxy;
  let client: OpenAI;
  let heldOut: string[];
  const classify = distilledSentiment(tmp.path('swap-captured.jsonl'));
  const options = (): { model: string; client: OpenAI; server: 'llama.cpp' } => ({ model: server.alias, client, server: 'llama.cpp' });

  beforeAll(async () => {
    const files = await sentimentData(tmp.dir);
    // The review each held-out line asked about: `Return sentiment("<review>")`.
    heldOut = (readJsonLines(files.val) as Line[]).slice(0, 20).map(({ messages }) => JSON.parse(messages[1]!.content.slice('Return sentiment('.length, -1)) as string);
    server = await startLlamaServer({ model: (await trainCached(files, trainArgs.learned, 10 * minute)).gguf });
    proxy = await startRecordingProxy(server.baseURL);
    client = new OpenAI({ baseURL: proxy.baseURL, apiKey: 'none', maxRetries: 0 });
  }, 12 * minute);
  afterEach(() => proxy?.take());
  afterAll(async () => {
    await proxy?.close();
    await server?.stop();
    await classify.close();
    tmp.remove();
  });

  /** What every `'json'` request must carry on llama.cpp: the defaults fn-distil documents, and the schema's grammar. */
  const expectJsonRequests = (exchanges: Exchange[], count: number): void => {
    expect(exchanges).toHaveLength(count);
    for (const { body, status } of exchanges) {
      expect(status).toBe(200);
      expect(body).toMatchObject({ model: server.alias, max_tokens: 1024, temperature: 0, response_format: { type: 'json_schema' } });
      expect(body).not.toHaveProperty('tool_choice');
    }
  };

  it("mode 'model': every call is answered by the model, each answer the function's own, each request with max_tokens 1024 and temperature 0", async () => {
    const fast = swap(classify, { ...options(), fallback: true });
    for (const review of heldOut) expect(await fast(review)).toEqual(sentiment(review));
    expect(fast.stats()).toMatchObject({ calls: heldOut.length, modelCalls: heldOut.length, invalidAnswers: 0, errors: 0, fallbacks: 0 });
    expectJsonRequests(proxy.take(), heldOut.length);
  });

  it("mode 'shadow': the original answers, the model is asked alongside and agrees every time", async () => {
    const disagreements: unknown[] = [];
    const shadow = swap(classify, { ...options(), mode: 'shadow', onCompare: (c) => c.exact || disagreements.push(c) });
    for (const review of heldOut) expect(await shadow(review)).toEqual(sentiment(review));
    await shadow.flush();
    expect(disagreements).toEqual([]);
    expect(shadow.stats().agreement).toMatchObject({ comparisons: heldOut.length, exact: 1 }); // a rate
    expectJsonRequests(proxy.take(), heldOut.length);
  });

  it("mode 'canary': some calls go to the model, and every answer is still the function's own", async () => {
    const canary = swap(classify, { ...options(), mode: 'canary', ratio: 0.5, fallback: true });
    for (const review of heldOut) expect(await canary(review)).toEqual(sentiment(review));
    const stats = canary.stats();
    expect(stats).toMatchObject({ calls: heldOut.length, invalidAnswers: 0, errors: 0, fallbacks: 0 });
    expect(stats.modelCalls).toBeGreaterThan(0);
    expectJsonRequests(proxy.take(), stats.modelCalls);
  });

  it("format 'tools': tools are sent without tool_choice, the answer comes back in content as bare JSON and is read", async () => {
    const tools = swap(classify, { ...options(), format: 'tools' });
    for (const review of heldOut) expect(Value.Check(Sentiment, await tools(review))).toBe(true);
    expect(tools.stats()).toMatchObject({ calls: heldOut.length, modelCalls: heldOut.length, invalidAnswers: 0, errors: 0 });
    const exchanges = proxy.take();
    expect(exchanges).toHaveLength(heldOut.length);
    for (const { body, reply } of exchanges) {
      expect(body).toMatchObject({ max_tokens: 1024, temperature: 0, tools: [{ type: 'function', function: { name: 'Sentiment' } }] });
      expect(body).not.toHaveProperty('tool_choice');
      const { message } = (reply as { choices: [{ message: { content: string; tool_calls?: unknown } }] }).choices[0];
      expect(message.tool_calls).toBeUndefined();
      expect(Value.Check(Sentiment, JSON.parse(message.content))).toBe(true);
    }
  });

  it("format 'messages' is refused when wrapping, with a ConfigurationError, and nothing reaches the server", () => {
    const direct = new OpenAI({ baseURL: server.baseURL, apiKey: 'none' });
    expect(() => swap(classify, { model: server.alias, client: direct, server: 'llama.cpp', format: 'messages' })).toThrow(ConfigurationError);
    expect(() => swap(classify, { model: server.alias, client: direct, server: 'llama.cpp', format: 'messages' })).toThrow(/messages/);
    expect(proxy.take()).toHaveLength(0);
  });

  it("a cut-off answer (maxTokens: 3) is a SwapError whose one attempt is 'length', from one request, not retried", async () => {
    // The client's default retry budget (2): a 'length' failure must not spend it.
    const retrying = new OpenAI({ baseURL: proxy.baseURL, apiKey: 'none' });
    const short = swap(classify, { model: server.alias, client: retrying, server: 'llama.cpp', maxTokens: 3 });
    const error = await short(heldOut[0]!).then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(SwapError);
    expect((error as SwapError).attempts.map(({ kind }) => kind)).toEqual(['length']);
    const exchanges = proxy.take();
    expect(exchanges).toHaveLength(1);
    // Measured: a 200 cut off at 3 tokens (`{"sentiment":"`); the 500 a grammar gives for a
    // cut-off answer is the profile's `cutOff`, tested against fakes in spec/swap.
    expect(exchanges[0]).toMatchObject({ body: { max_tokens: 3 }, status: 200, reply: { choices: [{ finish_reason: 'length' }] } });
  });
});
