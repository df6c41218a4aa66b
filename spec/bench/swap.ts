// swap() against the same requests made directly with the openai client, both over loopback HTTP
// to the same fake server; and retained memory over many swapped calls.
import OpenAI from 'openai';
import { swap } from 'fn-distil';
import { startFakeOpenAI, type FakeOpenAI } from '../helpers/fake-openai';
import { retainedHeap } from '../helpers/memory';
import { Multiply } from './capture';

const multiplyImpl = (a: number, b: number) => ({ a, b, result: a * b });
const argsAt = (i: number): [number, number] => [100 + (i % 900), 100 + ((i * 7) % 900)];
const system = 'Predict the results of this function:\n\nthree_digit_multiply(a, b)';
const parameters = JSON.parse(JSON.stringify(Multiply)) as Record<string, unknown>;
delete parameters['$id'];
const functions = [{ name: 'Multiply', description: 'The product of two integers', parameters }];

export interface SwapTimes {
  /** Nanoseconds of each call, in order. */
  readonly swapped: number[];
  readonly direct: number[];
  /** A second, identical direct call: the ratio of the two is the noise floor of the method. */
  readonly control: number[];
}

function client(server: FakeOpenAI): OpenAI {
  return new OpenAI({ apiKey: 'bench', baseURL: server.baseURL, maxRetries: 0 });
}

/**
 * Runs `calls` sequential calls of each kind, interleaved one by one in rotating order so that
 * the machine's noise falls on all alike; the duration of every call. The ratio of medians is
 * robust to the GC pauses and scheduler hiccups that dominate sums on a shared machine.
 */
export async function swapVersusDirect(server: FakeOpenAI, calls: number): Promise<SwapTimes> {
  // The request the direct call makes by hand: OpenAI's 'messages' shape, as swap() sends it.
  const fast = swap(multiplyImpl, Multiply, { model: 'ft:bench', client: client(server), server: 'openai', format: 'messages', name: 'three_digit_multiply' });
  const openai = client(server);
  // The baseline does the least a caller of the model must: the same request, then parse the answer.
  const direct = async (a: number, b: number): Promise<unknown> => {
    const completion = await openai.chat.completions.create({
      model: 'ft:bench',
      messages: [
        { role: 'system', content: system },
        { role: 'user', content: `Return three_digit_multiply(${a}, ${b})` },
      ],
      functions,
      function_call: { name: 'Multiply' },
      max_completion_tokens: 1024,
      temperature: 0,
    });
    return JSON.parse(completion.choices[0]?.message.function_call?.arguments ?? 'null');
  };
  const kinds = { swapped: fast, direct, control: direct } as const;
  const times: SwapTimes = { swapped: [], direct: [], control: [] };
  const rotations = [
    ['swapped', 'direct', 'control'],
    ['direct', 'control', 'swapped'],
    ['control', 'swapped', 'direct'],
  ] as const;
  for (let i = 0; i < calls; i++) {
    const [a, b] = argsAt(i);
    for (const kind of rotations[i % 3] as (typeof rotations)[number]) {
      const start = process.hrtime.bigint();
      await kinds[kind](a, b);
      times[kind].push(Number(process.hrtime.bigint() - start));
    }
  }
  return times;
}

/** Retained heap after `warmup` calls and after `calls` more, `concurrency` at a time, in bytes. */
export async function swapMemory(server: FakeOpenAI, calls: number, concurrency = 32): Promise<{ before: number; after: number; seconds: number }> {
  const fast = swap(multiplyImpl, Multiply, { model: 'ft:bench', client: client(server), server: 'openai', format: 'messages', name: 'three_digit_multiply' });
  const run = async (count: number, offset: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) await fast(...argsAt(offset + next++));
      }),
    );
  };
  await run(5_000, 0);
  const before = retainedHeap();
  const start = process.hrtime.bigint();
  await run(calls, 5_000);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const after = retainedHeap();
  if (fast.stats().calls !== calls + 5_000) throw new Error(`expected ${calls + 5_000} calls, stats say ${fast.stats().calls}`);
  return { before, after, seconds };
}

export { startFakeOpenAI };
