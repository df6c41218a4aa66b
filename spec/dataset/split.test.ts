import { appendFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { ConfigurationError, DatasetError, splitDataset } from 'fn-distil';
import { seededRandom, selectionSampler } from '../../lib/dataset/random';
import { linesOf, tempDir } from '../helpers/files';

const tmp = tempDir();
afterAll(() => tmp.remove());
let files = 0;
const fresh = (name = 'data.jsonl'): string => tmp.path(`${files++}-${name}`);
const lineOf = (i: number): string => JSON.stringify({ messages: [{ role: 'user', content: `example ${i}` }, { role: 'assistant', content: String(i) }] });
const dataset = (lines: readonly string[], name?: string): string => {
  const file = fresh(name);
  writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
  return file;
};

describe('splitDataset()', () => {
  it('puts every example in exactly one file, keeps the input order in each, and picks exactly round(n × share) for validation', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 2, max: 300 }),
        fc.double({ min: 0.01, max: 0.99, noNaN: true }),
        fc.integer({ min: -(2 ** 53) + 1, max: 2 ** 53 - 1 }),
        async (n, share, seed) => {
          const k = Math.round(n * share);
          fc.pre(k > 0 && k < n);
          const input = Array.from({ length: n }, (_, i) => lineOf(i));
          const file = dataset(input);
          const result = await splitDataset(file, { validation: share, seed });
          const train = linesOf(result.train.file);
          const validation = linesOf(result.validation.file);
          expect(validation).toHaveLength(k);
          expect(result).toMatchObject({ examples: n, blank: 0, seed, train: { examples: n - k }, validation: { examples: k } });
          // Order kept: each output is a subsequence of the input, and together they are all of it.
          const position = new Map(input.map((line, i) => [line, i]));
          for (const output of [train, validation]) {
            const positions = output.map((line) => position.get(line) as number);
            expect(positions.every((p, i) => p !== undefined && (i === 0 || p > (positions[i - 1] as number)))).toBe(true);
          }
          expect([...train, ...validation].sort()).toEqual([...input].sort());
        },
      ),
      { numRuns: 60 },
    );
  });

  it('writes byte-identical files for the same input and seed, and a different validation set for another seed', async () => {
    const input = Array.from({ length: 200 }, (_, i) => lineOf(i));
    const file = dataset(input);
    const run = async (seed: number, tag: string) => {
      const result = await splitDataset(file, { seed, trainOutput: tmp.path(`${tag}.train.jsonl`), validationOutput: tmp.path(`${tag}.val.jsonl`) });
      return { train: readFileSync(result.train.file, 'utf8'), validation: readFileSync(result.validation.file, 'utf8') };
    };
    const first = await run(42, 'a');
    expect(await run(42, 'b')).toEqual(first);
    const others = await Promise.all([43, 0, -42, 2 ** 40].map((seed, i) => run(seed, `c${i}`)));
    for (const other of others) expect(other.validation).not.toBe(first.validation);
  });

  it('picks every line for validation equally often over seeds (selection sampling is uniform)', () => {
    const n = 20;
    const k = 5;
    const runs = 20_000;
    const hits = new Array<number>(n).fill(0);
    for (let seed = 0; seed < runs; seed++) {
      const pick = selectionSampler(n, k, seededRandom(seed));
      let picked = 0;
      for (let i = 0; i < n; i++) if (pick()) (hits[i] as number)++, picked++;
      expect(picked).toBe(k);
    }
    // Each line is picked with probability 1/4: 5,000 expected, standard deviation about 61.
    for (const count of hits) expect(Math.abs(count - (runs * k) / n)).toBeLessThan(300);
  });

  it('writes data.train.jsonl and data.val.jsonl next to the input by default, and leaves blank lines, \\r and a byte order mark out', async () => {
    const file = fresh('data.jsonl');
    writeFileSync(file, `\uFEFF${lineOf(1)}\r\n\r\n${lineOf(2)}\n   \n${lineOf(3)}\n${lineOf(4)}`);
    const result = await splitDataset(file, { validation: 0.25 });
    expect(result.train.file).toBe(file.replace(/\.jsonl$/, '.train.jsonl'));
    expect(result.validation.file).toBe(file.replace(/\.jsonl$/, '.val.jsonl'));
    expect(result).toMatchObject({ examples: 4, blank: 2 });
    expect([...linesOf(result.train.file), ...linesOf(result.validation.file)].sort()).toEqual([1, 2, 3, 4].map(lineOf).sort());
  });

  it('refuses a line that is not a JSON object with its file and line, and writes nothing', async () => {
    const own = tempDir();
    const file = own.path('data.jsonl');
    writeFileSync(file, [lineOf(1), lineOf(2), '{"messages": [', lineOf(4)].join('\n'));
    const error = await splitDataset(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ file, line: 3 });
    expect((error as Error).message).toContain(`${file}:3: the line is not valid JSON`);
    const again = await splitDataset(dataset([lineOf(1), '[1, 2]'])).catch((caught: unknown) => caught);
    expect(again).toMatchObject({ line: 2, message: expect.stringContaining('not an object (an array)') });
    expect(readdirSync(own.dir)).toEqual(['data.jsonl']);
    own.remove();
  });

  it('refuses a file that changes between its two passes, and leaves no output', async () => {
    const own = tempDir();
    const file = own.path('data.jsonl');
    writeFileSync(file, [1, 2, 3, 4].map(lineOf).join('\n'));
    let appended = false;
    const grow = (bytesRead: number, total: number) => {
      // The end of the counting pass: another process appends an example.
      if (appended || bytesRead !== total / 2) return;
      appendFileSync(file, `\n${lineOf(5)}`);
      appended = true;
    };
    await expect(splitDataset(file, { validation: 0.5, onProgress: grow })).rejects.toThrow(/changed while it was being split: nothing was written/);
    expect(appended).toBe(true);
    expect(readdirSync(own.dir)).toEqual(['data.jsonl']);
    own.remove();
  });

  it('refuses a share that would leave a file empty, and an empty file', async () => {
    await expect(splitDataset(dataset([lineOf(1), lineOf(2), lineOf(3)]), { validation: 0.1 })).rejects.toThrow(/leaves the validation file empty\. Raise the share/);
    await expect(splitDataset(dataset([lineOf(1), lineOf(2)]), { validation: 0.9 })).rejects.toThrow(/leaves the training file empty\. Lower the share/);
    await expect(splitDataset(dataset([]))).rejects.toThrow(/has no examples to split/);
  });

  it('refuses bad options before reading anything, naming the option', async () => {
    const file = dataset([lineOf(1), lineOf(2)]);
    for (const validation of [0, 1, -0.5, 1.5, Number.NaN]) {
      await expect(splitDataset(file, { validation })).rejects.toMatchObject({ name: 'ConfigurationError', option: 'validation' });
    }
    await expect(splitDataset(file, { seed: 1.5 })).rejects.toMatchObject({ option: 'seed' });
    await expect(splitDataset(file, { trainOutput: file })).rejects.toThrow(ConfigurationError);
    await expect(splitDataset(file, { trainOutput: tmp.path('same.jsonl'), validationOutput: tmp.path('same.jsonl') })).rejects.toThrow(/Two outputs are the same file/);
    await expect(splitDataset(file, { validationOutput: tmp.dir })).rejects.toThrow(/is a directory/);
    expect(existsSync(tmp.path('same.jsonl'))).toBe(false);
  });

  it('says a missing file is missing', async () => {
    await expect(splitDataset(tmp.path('nope.jsonl'))).rejects.toMatchObject({ name: 'DatasetError', message: expect.stringContaining('no such file') });
  });
});
