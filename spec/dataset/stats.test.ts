import fc from 'fast-check';
import { countTokens as cl100k } from 'gpt-tokenizer/encoding/cl100k_base';
import { countTokens as o200k } from 'gpt-tokenizer/encoding/o200k_base';
import { datasetStats } from 'fn-distil';
import { defaultEpochs } from '../../lib/dataset/epochs';
import { percentile, Samples } from '../../lib/dataset/percentiles';
import { tempDir } from '../helpers/files';
import { toolsLine, writeLines } from '../helpers/training-lines';

const tmp = tempDir();
afterAll(() => tmp.remove());

type Message = { role: string; content: string };
const chat = (...contents: string[]): { messages: Message[] } => ({
  messages: contents.map((content, i) => ({ role: i === 0 ? 'system' : i % 2 === 1 ? 'user' : 'assistant', content })),
});
// OpenAI's way of counting a chat example, done here with the tokenizer itself.
const tokensOf = (example: { messages: Message[] }, count: (text: string) => number) => {
  const perMessage = example.messages.map((m) => 3 + count(m.role) + count(m.content));
  return {
    total: 3 + perMessage.reduce((a, b) => a + b, 0),
    assistant: example.messages.reduce((sum, m, i) => sum + (m.role === 'assistant' ? (perMessage[i] as number) : 0), 0),
  };
};

describe('percentiles', () => {
  it('interpolate between ranks on known sets', () => {
    expect(percentile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(percentile([1, 2, 3, 4], 0.1)).toBeCloseTo(1.3);
    expect(percentile([1, 2, 3, 4], 0.9)).toBeCloseTo(3.7);
    expect(percentile([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110], 0.1)).toBe(20);
    expect(percentile([7], 0.9)).toBe(7);
    expect(percentile([], 0.5)).toBe(0);
  });

  it('a distribution keeps min <= p10 <= median <= p90 <= max and the exact mean, for any numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1e6 }), { minLength: 1, maxLength: 3000 }), (values) => {
        const samples = new Samples();
        for (const value of values) samples.add(value);
        const d = samples.distribution();
        const sorted = [...values].sort((a, b) => a - b);
        expect(d.min).toBe(sorted[0]);
        expect(d.max).toBe(sorted.at(-1));
        expect(d.mean).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 6);
        expect(d.min <= d.p10 && d.p10 <= d.median && d.median <= d.p90 && d.p90 <= d.max).toBe(true);
        if (sorted.length % 2 === 1) expect(d.median).toBe(sorted[(sorted.length - 1) / 2]);
      }),
    );
  });
});

describe('the default epochs', () => {
  it.each([
    [1, 25],
    [4, 25],
    [5, 20],
    [6, 17],
    [10, 10],
    // 33 x 3 = 99 trains on fewer than 100 examples: raised until it reaches 100 (the cookbook's floor would say 3).
    [33, 4],
    [34, 3],
    [8333, 3],
    [8334, 2],
    [12_500, 2],
    [12_501, 1],
    [30_000, 1],
  ])('a job on %i examples runs %i epoch(s) by default', (examples, epochs) => {
    expect(defaultEpochs(examples)).toBe(epochs);
  });

  it('is 3, raised for small files until 100 examples are trained and lowered for big ones to stay within 25,000, within 1 to 25, and never adjusted further than needed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100_000 }), (examples) => {
        const epochs = defaultEpochs(examples);
        expect(epochs).toBeGreaterThanOrEqual(1);
        expect(epochs).toBeLessThanOrEqual(25);
        if (examples * 3 >= 100 && examples * 3 <= 25_000) expect(epochs).toBe(3);
        if (examples * 3 > 25_000) expect(examples * epochs <= 25_000 || epochs === 1).toBe(true);
        if (examples * 3 > 25_000 && epochs > 1) expect(examples * (epochs + 1)).toBeGreaterThan(25_000);
        if (examples * 3 < 100) expect(examples * epochs >= 100 || epochs === 25).toBe(true);
        if (examples * 3 < 100) expect(examples * (epochs - 1)).toBeLessThan(100);
      }),
    );
  });
});

describe('datasetStats', () => {
  const examples = [
    chat('You multiply.', 'Return multiply(3, 7)', '{"result":21}'),
    chat('You multiply.', 'Return multiply(30, 70)', '{"result":2100}'),
    chat('You multiply.', 'Return multiply(133, 539)', '{"result":71687}', 'And 2 x 2?', '{"result":4}'),
    chat('You multiply.', 'Return multiply(1, 1)', '1'),
  ];

  it('measures messages, total and assistant tokens per example as the tokenizer counts them', async () => {
    const file = writeLines(tmp.path('four.jsonl'), examples);
    const stats = await datasetStats(file);
    const counted = examples.map((example) => tokensOf(example, o200k));
    const totals = counted.map(({ total }) => total).sort((a, b) => a - b);
    const assistants = counted.map(({ assistant }) => assistant).sort((a, b) => a - b);
    expect(stats.examples).toBe(4);
    expect(stats.model).toEqual({ model: 'gpt-4o-mini-2024-07-18', encoding: 'o200k_base', tokenLimit: 65_536 });
    expect(stats.messages).toEqual({ min: 3, max: 5, mean: 3.5, median: 3, p10: 3, p90: 4.4 });
    expect(stats.totalTokens).toMatchObject({ min: totals[0], max: totals[3], median: ((totals[1] as number) + (totals[2] as number)) / 2 });
    expect(stats.totalTokens.mean).toBeCloseTo(totals.reduce((a, b) => a + b, 0) / 4);
    expect(stats.assistantTokens).toMatchObject({ min: assistants[0], max: assistants[3] });
    const billed = totals.reduce((a, b) => a + b, 0);
    expect(stats).toMatchObject({ overLimit: 0, epochs: 25, defaultEpochs: 25, billingTokensPerEpoch: billed, billingTokens: billed * 25 });
    expect(stats.estimatedCost).toBeUndefined();
  });

  it("measures a TRL prompt-completion line as the chat example of its prompt then completion", async () => {
    const lines = Array.from({ length: 12 }, (_, i) => toolsLine(i * 37));
    const split = lines.map((line) => {
      const { messages, ...rest } = line as { messages: unknown[] };
      return { prompt: messages.slice(0, -1), completion: messages.slice(-1), ...rest };
    });
    const chatStats = await datasetStats(writeLines(tmp.path('chat-for-trl.jsonl'), lines));
    const trlStats = await datasetStats(writeLines(tmp.path('trl.jsonl'), split));
    expect({ ...trlStats, file: '' }).toEqual({ ...chatStats, file: '' });
  });

  it('counts with the model\'s tokenizer: cl100k for gpt-3.5-turbo, o200k for gpt-4o, with different results', async () => {
    const example = chat('Réponds en français, s\'il te plaît.', 'Combien font 133 × 539 ? Explique-moi étape par étape.', 'Soixante et onze mille six cent quatre-vingt-sept.');
    const file = writeLines(tmp.path('french.jsonl'), [example]);
    const turbo = await datasetStats(file, { model: 'gpt-3.5-turbo-0125' });
    const mini = await datasetStats(file, { model: 'gpt-4o-mini-2024-07-18' });
    expect(turbo.totalTokens.max).toBe(tokensOf(example, cl100k).total);
    expect(mini.totalTokens.max).toBe(tokensOf(example, o200k).total);
    expect(turbo.totalTokens.max).not.toBe(mini.totalTokens.max);
    expect(turbo.model.encoding).toBe('cl100k_base');
  });

  it('bills each example up to the token limit, times the epochs, at the price given', async () => {
    const file = writeLines(tmp.path('capped.jsonl'), examples);
    const counted = examples.map((example) => tokensOf(example, cl100k).total);
    const limit = [...counted].sort((a, b) => a - b)[1] as number;
    const capped = counted.reduce((sum, total) => sum + Math.min(total, limit), 0);
    const stats = await datasetStats(file, { model: 'my-model', encoding: 'cl100k_base', tokenLimit: limit, epochs: 4, pricePerMTok: 8 });
    expect(stats).toMatchObject({ overLimit: counted.filter((total) => total > limit).length, epochs: 4, defaultEpochs: 25, billingTokensPerEpoch: capped, billingTokens: capped * 4, pricePerMTok: 8 });
    expect(stats.estimatedCost).toBeCloseTo((capped * 4 * 8) / 1e6, 12);
  });

  it('picks the default epochs for the examples in the file: 10 examples train 10 epochs, 33 train 4, 34 train 3', async () => {
    for (const [count, epochs] of [[10, 10], [33, 4], [34, 3]] as const) {
      const stats = await datasetStats(writeLines(tmp.path(`n${count}.jsonl`), Array.from({ length: count }, (_, i) => toolsLine(i))));
      expect([stats.examples, stats.epochs]).toEqual([count, epochs]);
    }
  });

  it('a line without a messages list is a DatasetError with its line number: it is not a chat example', async () => {
    const file = writeLines(tmp.path('raw.jsonl'), [toolsLine(1), { fn_name: 'multiply', args: { a: 1 }, resp: { result: 7 } }]);
    await expect(datasetStats(file)).rejects.toMatchObject({ name: 'DatasetError', file, line: 2, message: expect.stringContaining(`${file}:2: the line has no "messages": it is not a chat training example.`) });
  });

  it('a line that is not a JSON object is a DatasetError with its line number', async () => {
    const file = writeLines(tmp.path('broken.jsonl'), [examples[0], '', '{"messages": [', examples[1]]);
    await expect(datasetStats(file)).rejects.toMatchObject({ name: 'DatasetError', file, line: 3, message: expect.stringContaining(`${file}:3: the line is not valid JSON (`) });
    const array = writeLines(tmp.path('array.jsonl'), [examples[0], '[1]']);
    await expect(datasetStats(array)).rejects.toMatchObject({ name: 'DatasetError', line: 2, message: expect.stringContaining(`${array}:2: the line is JSON but not an object (an array)`) });
  });

  it('an empty file has nothing to measure; bad options name themselves', async () => {
    await expect(datasetStats(writeLines(tmp.path('empty.jsonl'), ['']))).rejects.toMatchObject({ name: 'DatasetError', message: expect.stringContaining('has no examples') });
    await expect(datasetStats(tmp.path('x.jsonl'), { epochs: 0 })).rejects.toMatchObject({ name: 'ConfigurationError', option: 'epochs' });
    await expect(datasetStats(tmp.path('x.jsonl'), { pricePerMTok: -1 })).rejects.toMatchObject({ name: 'ConfigurationError', option: 'pricePerMTok' });
    await expect(datasetStats(tmp.path('x.jsonl'), { model: 'llama-3' })).rejects.toMatchObject({ name: 'ConfigurationError', option: 'model' });
  });
});
