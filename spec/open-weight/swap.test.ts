// swap() in each mode against the real llama-server serving the model TRL trained on the
// function's own captured calls. Run by `npm run test:open-weight`, like llama-server.test.ts.
import OpenAI from 'openai';
import { swap } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { sentimentData, trainArgs, type Line } from './data';
import { startLlamaServer, type LlamaServer } from './llama-server';
import { describeWithParts } from './parts';
import { trainCached } from './python';
import { distilledSentiment, sentiment } from './sentiment';

const minute = 60_000;

describeWithParts('open-weight: swap() against llama-server serving the trained model', () => {
  const tmp = tempDir('fn-distil-open-weight-swap-');
  let server: LlamaServer;
  let client: OpenAI;
  let heldOut: string[];
  const classify = distilledSentiment(tmp.path('swap-captured.jsonl'));

  beforeAll(async () => {
    const files = await sentimentData(tmp.path);
    // The review each held-out line asked about: `Return sentiment("<review>")`.
    heldOut = (readJsonLines(files.val) as Line[]).slice(0, 20).map(({ messages }) => JSON.parse(messages[1]!.content.slice('Return sentiment('.length, -1)) as string);
    server = await startLlamaServer({ model: (await trainCached(files.promptCompletion, trainArgs.learned, 10 * minute)).gguf });
    client = new OpenAI({ baseURL: server.baseURL, apiKey: 'none', maxRetries: 0 });
  }, 12 * minute);
  afterAll(async () => {
    await server?.stop();
    await classify.close();
    tmp.remove();
  });

  it("mode 'model': every call is answered by the model, each answer the function's own", async () => {
    const fast = swap(classify, { model: server.alias, client, format: 'json', temperature: 0 });
    for (const review of heldOut) expect(await fast(review)).toEqual(sentiment(review));
    expect(fast.stats()).toMatchObject({ calls: heldOut.length, modelCalls: heldOut.length, invalidAnswers: 0, errors: 0, fallbacks: 0 });
  });

  it("mode 'shadow': the original answers, the model is asked alongside and agrees every time", async () => {
    const shadow = swap(classify, { model: server.alias, client, format: 'json', mode: 'shadow', temperature: 0 });
    for (const review of heldOut) expect(await shadow(review)).toEqual(sentiment(review));
    await shadow.flush();
    expect(shadow.stats().agreement).toMatchObject({ comparisons: heldOut.length, exact: 1 }); // a rate
  });

  it("mode 'canary': some calls go to the model, and every answer is still the function's own", async () => {
    const canary = swap(classify, { model: server.alias, client, format: 'json', mode: 'canary', ratio: 0.5, fallback: true, temperature: 0 });
    for (const review of heldOut) expect(await canary(review)).toEqual(sentiment(review));
    const stats = canary.stats();
    expect(stats).toMatchObject({ calls: heldOut.length, invalidAnswers: 0, errors: 0, fallbacks: 0 });
    expect(stats.modelCalls).toBeGreaterThan(0);
  });
});
