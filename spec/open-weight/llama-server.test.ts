// The real parts: Debian's llama-server serving models that docs/examples/open-weight/train_trl.py
// trained here on a dataset that distil() captured and docs/open-weight.md's commands exported,
// scored by the built `fn-distil eval --server llama.cpp`. Run by `npm run test:open-weight`
// after `bash .ci/open-weight-setup.sh`; without the parts every test is skipped in one line.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Value } from '@sinclair/typebox/value';
import OpenAI from 'openai';
import { runCli } from '../helpers/cli';
import { readJsonLines, tempDir } from '../helpers/files';
import { evalCommand } from './commands';
import { sentimentData, stem, trainArgs, type Line, type SentimentData } from './data';
import { startLlamaServer, type LlamaServer } from './llama-server';
import { describeWithParts } from './parts';
import { runPython, trainCached, type TrainedModel } from './python';
import { startRecordingProxy } from './recording-proxy';
import { Sentiment } from './sentiment';

const minute = 60_000;

describeWithParts('open-weight: a distil() dataset trained with TRL and served by llama-server', () => {
  const tmp = tempDir('fn-distil-open-weight-');
  let files: SentimentData;
  const servers: LlamaServer[] = [];
  const serve = async (model: TrainedModel, jinja = true): Promise<LlamaServer> => {
    const server = await startLlamaServer({ model: model.gguf, jinja });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    files = await sentimentData(tmp.dir);
  }, 2 * minute);
  afterAll(async () => {
    await Promise.all(servers.map((server) => server.stop()));
    tmp.remove();
  });

  describe('a model trained for 30 steps', () => {
    let server: LlamaServer;
    beforeAll(async () => {
      server = await serve(await trainCached(files, trainArgs.barely, 5 * minute));
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
      const own = await serve(await trainCached(files, trainArgs.barely, 5 * minute));
      await own.stop();
      await expect(fetch(own.baseURL.replace(/\/v1$/, '/health'))).rejects.toThrow();
    });
  });

  describe('a model trained by train_trl.py until it learned the function', () => {
    let model: TrainedModel;
    let server: LlamaServer;
    beforeAll(async () => {
      model = await trainCached(files, trainArgs.learned, 10 * minute);
      server = await serve(model);
      await cli(['dataset', 'convert', `${stem}.val.jsonl`, '--to', 'tools', '-o', `${stem}_tools.val.jsonl`]);
      await cli(['dataset', 'convert', `${stem}.val.jsonl`, '--to', 'messages', '-o', `${stem}_messages.val.jsonl`]);
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

    it('scores at least 95% exact match on the held-out examples through the built `fn-distil eval --server llama.cpp`, as docs/open-weight.md runs it', async () => {
      const report = await evaluate(evalCommand(stem, server.baseURL, server.alias));
      expect(report.evaluated).toBe(readFileSync(files.val, 'utf8').trim().split('\n').length);
      expect(report.failed).toBe(0);
      expect(report.exactMatch).toBeGreaterThanOrEqual(0.95);
    }, 6 * minute);

    it("reads the answers of a `--to tools` validation file from content, where llama-server leaves them, with `--server llama.cpp`", async () => {
      const report = await evaluate(['eval', '--base-url', server.baseURL, '--server', 'llama.cpp', '--model', server.alias, '--dataset', `${stem}_tools.val.jsonl`]);
      expect(report).toMatchObject({ evaluated: 100, failed: 0, invalidAnswers: 0 });
    }, 6 * minute);

    it("refuses a `--to messages` file for `--server llama.cpp` before asking anything", async () => {
      const proxy = await startRecordingProxy(server.baseURL);
      const { code, stderr } = await runCli(['eval', '--base-url', proxy.baseURL, '--server', 'llama.cpp', '--model', server.alias, '--dataset', `${stem}_messages.val.jsonl`], { cwd: files.dir });
      expect(code).toBe(1);
      expect(stderr).toMatch(/messages/);
      const sent = proxy.take();
      await proxy.close();
      expect(sent).toHaveLength(0);
    });

    it('started with --no-jinja, stops eval of a tools file after 3 identical refusals (4 requests) with exit 1 and the line docs/cli.md quotes', async () => {
      const noJinja = await serve(model, false);
      const proxy = await startRecordingProxy(noJinja.baseURL);
      const args = ['eval', '--base-url', proxy.baseURL, '--server', 'llama.cpp', '--model', noJinja.alias, '--dataset', `${stem}_tools.val.jsonl`, '--fresh'];
      const one = await runCli([...args, '--concurrency', '1'], { cwd: files.dir, timeoutMs: 2 * minute });
      // The first example's 500 is retried once (the client's budget), seen to repeat, and the
      // next two are refused at their first request.
      const sent = proxy.take();
      expect(sent.map(({ status, reply }) => [status, reply])).toEqual(Array(4).fill([500, { error: { code: 500, message: 'tools param requires --jinja flag', type: 'server_error' } }]));
      expect({ code: one.code, stdout: one.stdout }).toEqual({ code: 1, stdout: '' });
      const quoted = /^`` (fn-distil: llama\.cpp's llama-server refused 3 requests in a row.*) ``$/m.exec(readFileSync(join(__dirname, '..', '..', 'docs', 'cli.md'), 'utf8'));
      expect(one.stderr.trim()).toBe(quoted?.[1]?.replaceAll('math_tools', `${stem}_tools`));

      // With the default concurrency (4), the examples already in flight count too, and the run still stops early.
      const four = await runCli(args, { cwd: files.dir, timeoutMs: 2 * minute });
      expect(four.code).toBe(1);
      expect(four.stderr).toMatch(/^fn-distil: llama\.cpp's llama-server refused \d+ requests in a row with the same error, so the run stopped .*HTTP 500 tools param requires --jinja flag/);
      expect(proxy.take().length).toBeLessThanOrEqual(12);
      await proxy.close();
    }, 3 * minute);
  });

  const cli = async (args: string[]): Promise<void> => {
    const { code, stderr } = await runCli(args, { cwd: files.dir });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  };

  type Report = { examples: number; evaluated: number; exactMatch: number; invalidAnswers: number; failed: number; latencyMs: { p50: number; p95: number } };
  /** Runs `fn-distil <args> --fresh --json` in the dataset's folder, expects exit 0, prints and returns the report. */
  const evaluate = async (args: string[]): Promise<Report> => {
    const { code, stdout, stderr } = await runCli([...args, '--fresh', '--json'], { cwd: files.dir, timeoutMs: 5 * minute });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(stdout) as Report;
    const { examples, exactMatch, invalidAnswers, failed, latencyMs } = report;
    process.stdout.write(`open-weight: fn-distil eval ${args.at(-1)} ${JSON.stringify({ examples, exactMatch, invalidAnswers, failed, latencyMs })}\n`);
    return report;
  };
});
