// `fn-distil eval`'s throughput against the real llama-server, next to the same requests sent
// directly with the openai client to the same server, interleaved run by run. It needs the parts
// of `bash .ci/open-weight-setup.sh` and a model the open-weight suite trained (it caches them).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import OpenAI from 'openai';
import { evaluateModel, splitDataset } from 'fn-distil';
import { readHeldOut } from '../../lib/eval/examples';
import { serverProfiles } from '../../lib/servers/index';
import { swapDefaults } from '../../lib/swap/options';
import { chatRequest, type Message } from '../../lib/swap/request';
import { openWeightDir, partsInstalled } from '../open-weight/parts';
import { startLlamaServer } from '../open-weight/llama-server';
import { captureSentiment } from '../open-weight/sentiment';

export interface EvalBench {
  readonly examples: number;
  /** Seconds of each run, in order. */
  readonly eval: number[];
  readonly direct: number[];
  readonly exactMatch: number;
  readonly model: string;
}

/** The newest trained model's GGUF in the open-weight cache, if any. */
function trainedModel(): string | undefined {
  const models = join(openWeightDir, 'models');
  if (!existsSync(models)) return undefined;
  const ggufs = readdirSync(models)
    .filter((name) => !name.endsWith('.partial'))
    .map((name) => join(models, name, 'model.gguf'))
    .filter((file) => existsSync(file));
  return ggufs.sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
}

/** Why the section cannot run here, or undefined when it can. */
export function evalBenchUnavailable(): string | undefined {
  if (!partsInstalled) return 'open-weight parts not installed: run `bash .ci/open-weight-setup.sh` then `npm run test:open-weight` (it trains the model this needs)';
  if (trainedModel() === undefined) return `no trained model in ${join(openWeightDir, 'models')}: run \`npm run test:open-weight\` once (it trains and caches one)`;
  return undefined;
}

/**
 * `rounds` runs of each, alternating which goes first: `evaluateModel()` over the held-out
 * sentiment examples (`concurrency` requests in flight, fresh results each run), and the same
 * requests, built by the code eval sends them with, made with the openai client with the same
 * concurrency, each answer parsed. One llama-server serves both.
 */
export async function evalVersusDirect(dir: string, rounds: number, concurrency: number): Promise<EvalBench> {
  const gguf = trainedModel();
  if (gguf === undefined) throw new Error('no trained model');
  const captured = join(dir, 'sentiment.jsonl');
  await captureSentiment(captured, 500);
  const { validation } = await splitDataset(captured, { validation: 0.2, seed: 1 });
  const val = validation.file;
  const examples = await readHeldOut(val, undefined);
  // Two slots, so that concurrent requests are served side by side as in a deployment.
  const server = await startLlamaServer({ model: gguf, contextSize: 2048, args: ['-np', String(Math.max(1, concurrency))] });
  try {
    const client = new OpenAI({ baseURL: server.baseURL, apiKey: 'none', maxRetries: 0 });
    const profile = serverProfiles['llama.cpp'];
    const bodies = examples.map(({ call }) =>
      chatRequest(
        { format: call.format, toolName: call.toolName ?? 'answer', toolDescription: call.toolDescription ?? '', parameters: call.parameters ?? {} },
        server.alias,
        call.prompt as unknown as Message[],
        { server: profile, omitSchema: false, temperature: swapDefaults.temperature, maxTokens: swapDefaults.maxTokens },
      ),
    );
    const direct = async (): Promise<void> => {
      let next = 0;
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < bodies.length) {
            const completion = await client.chat.completions.create(bodies[next++] as OpenAI.Chat.ChatCompletionCreateParamsNonStreaming);
            JSON.parse(completion.choices[0]?.message.content ?? 'null');
          }
        }),
      );
    };
    let exactMatch = 0;
    const viaEval = async (): Promise<void> => {
      const report = await evaluateModel({ dataset: val, model: server.alias, client, server: 'llama.cpp', concurrency, fresh: true, resultsFile: join(dir, 'results.jsonl') });
      exactMatch = report.exactMatch;
    };
    await viaEval(); // warm-up: the server's caches and the client's connections
    await direct();
    const times = { eval: [] as number[], direct: [] as number[] };
    for (let r = 0; r < rounds; r++) {
      const order = r % 2 === 0 ? (['eval', 'direct'] as const) : (['direct', 'eval'] as const);
      for (const kind of order) {
        const start = process.hrtime.bigint();
        await (kind === 'eval' ? viaEval() : direct());
        times[kind].push(Number(process.hrtime.bigint() - start) / 1e9);
      }
    }
    return { examples: examples.length, ...times, exactMatch, model: gguf };
  } finally {
    await server.stop();
  }
}
