// The real parts: Debian's llama-server serving models that TRL trained here on a dataset that
// distil() captured, scored by the built `fn-distil eval`. Run by `npm run test:open-weight`
// after `bash .ci/open-weight-setup.sh`; without the parts every test is skipped in one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { Value } from '@sinclair/typebox/value';
import OpenAI from 'openai';
import { runCli } from '../helpers/cli';
import { readJsonLines, tempDir } from '../helpers/files';
import { sentimentData, trainArgs, type Line, type SentimentData } from './data';
import { startLlamaServer, type LlamaServer } from './llama-server';
import { describeWithParts } from './parts';
import { runPython, trainCached, type TrainedModel } from './python';
import { Sentiment } from './sentiment';

const minute = 60_000;

describeWithParts('open-weight: a distil() dataset trained with TRL and served by llama-server', () => {
  const tmp = tempDir('fn-distil-open-weight-');
  let files: SentimentData;
  const servers: LlamaServer[] = [];
  const serve = async (model: TrainedModel): Promise<LlamaServer> => {
    const server = await startLlamaServer({ model: model.gguf });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    files = await sentimentData(tmp.path);
  }, 2 * minute);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    tmp.remove();
  });

  describe('a model trained for 30 steps', () => {
    let server: LlamaServer;
    beforeAll(async () => {
      server = await serve(await trainCached(files.promptCompletion, trainArgs.barely, 5 * minute));
    }, 6 * minute);

    it('starts on its GGUF file, lists the model by its alias and reports healthy', async () => {
      const models = await new OpenAI({ baseURL: server.baseURL, apiKey: 'none' }).models.list();
      expect(models.data.map((model) => model.id)).toContain(server.alias);
    });

    it('answers a chat completion from the openai client with JSON that response_format json_schema forces to match the schema', async () => {
      const [line] = readJsonLines(files.val) as Line[];
      const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'none', maxRetries: 0 });
      const schema = JSON.parse(line!.messages[0]!.content.split('JSON Schema:\n')[1]!) as Record<string, unknown>;
      const reply = await client.chat.completions.create({
        model: server.alias,
        messages: line!.messages.slice(0, -1) as OpenAI.Chat.ChatCompletionMessageParam[],
        response_format: { type: 'json_schema', json_schema: { name: 'Sentiment', schema } },
        temperature: 0,
        max_tokens: 64,
      });
      const [choice] = reply.choices;
      expect(choice?.finish_reason).toBe('stop');
      expect(Value.Check(Sentiment, JSON.parse(choice?.message.content ?? ''))).toBe(true);
    });

    it('stops: the port refuses connections once stop() resolves', async () => {
      const own = await serve(await trainCached(files.promptCompletion, trainArgs.barely, 5 * minute));
      await own.stop();
      await expect(fetch(own.baseURL.replace(/\/v1$/, '/health'))).rejects.toThrow();
    });
  });

  describe('a model trained by TRL until it learned the function', () => {
    let model: TrainedModel;
    let server: LlamaServer;
    beforeAll(async () => {
      model = await trainCached(files.promptCompletion, trainArgs.learned, 10 * minute);
      if (model.training !== undefined) process.stdout.write(`open-weight: trained ${JSON.stringify(model.training)}\n`);
      server = await serve(model);
    }, 12 * minute);

    it("answers like transformers' own greedy decoding, token for token, held-out and unseen reviews alike", async () => {
      const val = (readJsonLines(files.val) as Line[]).slice(0, 6).map(({ messages }) => messages.slice(0, -1));
      const system = val[0]![0]!;
      const unseen = ['I loved it, truly great', 'Nothing happened at all', 'The bus was dirty but friendly', 'Completely unrelated text 123'];
      const conversations = [...val, ...unseen.map((review) => [system, { role: 'user', content: `Return sentiment(${JSON.stringify(review)})` }])];
      const messagesFile = tmp.path('conversations.json');
      writeFileSync(messagesFile, JSON.stringify(conversations));
      const expected = await runPython<string[]>('generate.py', ['--model', model.dir, '--messages', messagesFile, '--max-tokens', '24'], 2 * minute);

      const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'none', maxRetries: 0 });
      const served: string[] = [];
      for (const messages of conversations) {
        const reply = await client.chat.completions.create({ model: server.alias, messages: messages as OpenAI.Chat.ChatCompletionMessageParam[], temperature: 0, max_tokens: 24 });
        served.push(reply.choices[0]?.message.content ?? '');
      }
      expect(served).toEqual(expected);
    }, 3 * minute);

    it('scores at least 95% exact match on the held-out examples through the built `fn-distil eval`', async () => {
      const { code, stdout, stderr } = await runCli(
        ['eval', '--base-url', server.baseURL, '--model', server.alias, '--dataset', files.val, '--temperature', '0', '--results', tmp.path('results.jsonl'), '--fresh', '--json'],
        { timeoutMs: 5 * minute },
      );
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(stdout) as { examples: number; evaluated: number; exactMatch: number; invalidAnswers: number; failed: number; latencyMs: { p50: number; p95: number } };
      process.stdout.write(`open-weight: fn-distil eval ${JSON.stringify({ examples: report.examples, exactMatch: report.exactMatch, invalidAnswers: report.invalidAnswers, failed: report.failed, latencyMs: report.latencyMs })}\n`);
      expect(report.evaluated).toBe(readFileSync(files.val, 'utf8').trim().split('\n').length);
      expect(report.failed).toBe(0);
      expect(report.exactMatch).toBeGreaterThanOrEqual(0.95);
    }, 6 * minute);
  });
});
