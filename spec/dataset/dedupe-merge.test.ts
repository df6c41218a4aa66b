import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { DatasetError, dedupeDataset, mergeDatasets, type SkippedLine } from 'fn-distil';
import { ValueDigestSet } from '../../lib/dataset/value-digests';
import { fixtureWriter, linesOf, tempDir } from '../helpers/files';

const tmp = tempDir();
afterAll(() => tmp.remove());
const write = fixtureWriter(tmp);
let outputs = 0;

/** The same JSON value spelled differently: keys shuffled and spaced out, as another writer might. */
function respell(value: unknown, order: number): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  if (Array.isArray(value)) return `[ ${value.map((item) => respell(item, order)).join(' , ')} ]`;
  const keys = Object.keys(value);
  const rotated = keys.map((_, i) => keys[(i + order) % keys.length] as string).reverse();
  return `{ ${rotated.map((key) => `${JSON.stringify(key)} : ${respell((value as Record<string, unknown>)[key], order)}`).join(' , ')} }`;
}

/** The reference: first occurrence of each distinct value, by deep equality (quadratic, obviously right). */
function firstOccurrences(lines: readonly string[]): string[] {
  const kept: Array<{ line: string; value: unknown }> = [];
  for (const line of lines) {
    const value: unknown = JSON.parse(line);
    if (!kept.some((earlier) => isDeepStrictEqual(earlier.value, value))) kept.push({ line, value });
  }
  return kept.map(({ line }) => line);
}

// Small objects from a small pool of keys and values, so that duplicates are frequent.
const smallObject = fc.dictionary(fc.constantFrom('a', 'b', 'messages', 'z'), fc.oneof(fc.integer({ min: 0, max: 2 }), fc.constantFrom('x', 'y'), fc.array(fc.integer({ min: 0, max: 1 }), { maxLength: 2 })), { maxKeys: 3 });
const spelledLines = fc.array(fc.tuple(smallObject, fc.nat(5), fc.boolean()), { maxLength: 60 }).map((items) =>
  items.map(([value, order, plain]) => (plain ? JSON.stringify(value) : respell(value, order))),
);

describe('dedupeDataset()', () => {
  it('keeps the first occurrence of each distinct JSON value, in order, verbatim, whatever the key order and spacing', async () => {
    await fc.assert(
      fc.asyncProperty(spelledLines, async (lines) => {
        const file = write(lines);
        const result = await dedupeDataset(file, { output: tmp.path(`${outputs++}.out.jsonl`) });
        const expected = firstOccurrences(lines);
        expect(linesOf(result.output)).toEqual(expected);
        expect(result).toMatchObject({ file, read: lines.length, written: expected.length, duplicates: lines.length - expected.length, blank: 0, skipped: 0 });
      }),
      { numRuns: 150 },
    );
  });

  it('treats number spellings of one value as duplicates, and array order and types as differences', async () => {
    const file = write(['{"n":1,"a":[1,2]}', '{"a":[1.0,2e0],"n":10e-1}', '{"n":1,"a":[2,1]}', '{"n":"1","a":[1,2]}', '{"n":true,"a":[1,2]}', '{"n":1,"a":[1,2],"x":null}']);
    const result = await dedupeDataset(file);
    expect(result.output).toBe(file.replace(/\.jsonl$/, '.deduped.jsonl'));
    expect(linesOf(result.output)).toEqual(['{"n":1,"a":[1,2]}', '{"n":1,"a":[2,1]}', '{"n":"1","a":[1,2]}', '{"n":true,"a":[1,2]}', '{"n":1,"a":[1,2],"x":null}']);
    expect(result.duplicates).toBe(1);
  });

  it('is idempotent: deduplicating its own output changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(spelledLines, async (lines) => {
        const once = await dedupeDataset(write(lines), { output: tmp.path(`${outputs++}.once.jsonl`) });
        const twice = await dedupeDataset(once.output, { output: tmp.path(`${outputs++}.twice.jsonl`) });
        expect(readFileSync(twice.output, 'utf8')).toBe(readFileSync(once.output, 'utf8'));
        expect(twice.duplicates).toBe(0);
      }),
      { numRuns: 30 },
    );
  });

  it('refuses a line that is not a JSON object with file and line, removing its partial output', async () => {
    const own = tempDir();
    const file = own.path('data.jsonl');
    // Enough lines before the bad one that the writer has flushed to its partial file.
    const good = Array.from({ length: 30_000 }, (_, i) => JSON.stringify({ i, text: 'x'.repeat(40) }));
    writeFileSync(file, `${good.join('\n')}\n{"i": 1,,}\n`);
    const error = await dedupeDataset(file).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DatasetError);
    expect(error).toMatchObject({ file, line: 30_001, message: expect.stringMatching(/^.*data\.jsonl:30001: the line is not valid JSON \(.+\)\. .*--skip-invalid/) });
    expect(readdirSync(own.dir)).toEqual(['data.jsonl']);
    own.remove();
  });

  it('with skipInvalid, leaves bad lines out and reports each one with its line and reason', async () => {
    const file = write(['{"a":1}', 'nope', '', '{"a":1}', '42', '{"b":2']);
    const skipped: SkippedLine[] = [];
    const result = await dedupeDataset(file, { skipInvalid: true, onSkip: (line) => skipped.push(line) });
    expect(linesOf(result.output)).toEqual(['{"a":1}']);
    expect(result).toMatchObject({ read: 5, written: 1, duplicates: 1, blank: 1, skipped: 3 });
    expect(skipped.map(({ file: where, line }) => [where, line])).toEqual([[file, 2], [file, 5], [file, 6]]);
    expect(skipped[1]?.reason).toBe('the line is JSON but not an object (number)');
  });
});

describe('mergeDatasets()', () => {
  it('reads shards that start with a byte order mark, and does not copy the mark into the merged file', async () => {
    const a = write(['\uFEFF{"x":1}', '{"x":2}']);
    const b = write(['\uFEFF{"x":2}', '{"x":3}']);
    const merged = await mergeDatasets([a, b], tmp.path('bom.jsonl'));
    expect(readFileSync(merged.output, 'utf8')).toBe('{"x":1}\n{"x":2}\n{"x":3}\n');
  });

  it('writes what deduplicating the concatenated shards writes, and counts per shard add up', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(spelledLines, { minLength: 1, maxLength: 4 }), async (shards) => {
        const files = shards.map(write);
        const merged = await mergeDatasets(files, tmp.path(`${files.length}-${Math.random()}.merged.jsonl`));
        const concatenated = await dedupeDataset(write(shards.flat()), { output: tmp.path(`${Math.random()}.flat.jsonl`) });
        expect(readFileSync(merged.output, 'utf8')).toBe(readFileSync(concatenated.output, 'utf8'));
        expect(merged.shards.map((shard) => shard.file)).toEqual(files);
        merged.shards.forEach((shard, i) => {
          expect(shard.read).toBe(shards[i]?.length);
          expect(shard.written + shard.duplicates).toBe(shard.read);
        });
        expect(merged.written).toBe(concatenated.written);
        expect(merged.duplicates).toBe(concatenated.duplicates);
      }),
      { numRuns: 60 },
    );
  });

  it('counts a repeat of an earlier shard\'s example as a duplicate of the later shard', async () => {
    const a = write(['{"x":1}', '{"x":2}']);
    const b = write(['{"x":2}', '{"x":3}', '{"x":3}']);
    const merged = await mergeDatasets([a, b], tmp.path('ab.jsonl'));
    expect(linesOf(merged.output)).toEqual(['{"x":1}', '{"x":2}', '{"x":3}']);
    expect(merged.shards.map(({ written, duplicates }) => [written, duplicates])).toEqual([[2, 0], [1, 2]]);
  });

  it('with dedupe off, concatenates the shards line for line', async () => {
    const shards = [write(['{"x":1}', '{"x":1}']), write(['{"x":1}'])];
    const merged = await mergeDatasets(shards, tmp.path('all.jsonl'), { dedupe: false });
    expect(linesOf(merged.output)).toEqual(['{"x":1}', '{"x":1}', '{"x":1}']);
    expect(merged.duplicates).toBe(0);
  });

  it('names the shard and line of a malformed line, and writes no output', async () => {
    const a = write(['{"x":1}']);
    const b = write(['{"x":2}', '{"x":']);
    const output = tmp.path('never.jsonl');
    await expect(mergeDatasets([a, b], output)).rejects.toMatchObject({ name: 'DatasetError', file: b, line: 2 });
    expect(existsSync(output)).toBe(false);
    expect(existsSync(`${output}.partial`)).toBe(false);
  });

  it('refuses no shards, a shard given twice, an output that is a shard, and a missing shard, before writing', async () => {
    const a = write(['{"x":1}']);
    const output = tmp.path('refused.jsonl');
    await expect(mergeDatasets([], output)).rejects.toMatchObject({ name: 'ConfigurationError', option: 'shards' });
    await expect(mergeDatasets([a, a], output)).rejects.toThrow(/given twice/);
    await expect(mergeDatasets([a], a)).rejects.toThrow(/is the input/);
    await expect(mergeDatasets([a, tmp.path('missing.jsonl')], output)).rejects.toThrow(/missing\.jsonl: no such file/);
    expect(existsSync(output)).toBe(false);
  });
});

describe('the digest set behind dedupe', () => {
  it('answers like a Set of the digests, through collisions of slot and growth', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 3 })), { minLength: 3_000, maxLength: 12_000 }), (items) => {
        const set = new ValueDigestSet();
        const reference = new Set<string>();
        let wrong = 0;
        for (const [low, high] of items) {
          // The four digests of one `low` share a home slot, and `low`s share them too, so
          // probing is exercised; thousands of distinct digests make the table grow.
          const digest = new Uint8Array(16);
          const view = new DataView(digest.buffer);
          view.setUint32(0, (low % 4096) * 37, true);
          view.setUint32(8, 1, true); // never all zero, the empty-slot marker
          view.setUint32(12, low * 4 + high, true);
          const key = String(low * 4 + high);
          if (set.add(digest) === reference.has(key)) wrong++;
          reference.add(key);
        }
        expect(wrong).toBe(0);
        expect(set.size).toBe(reference.size);
        expect(set.bytes).toBeGreaterThan(reference.size * 16);
      }),
      { numRuns: 20 },
    );
  });

  it('holds a million digests in 16 bytes a slot, at most 43 bytes each', () => {
    const set = new ValueDigestSet();
    const digest = new Uint8Array(16);
    const view = new DataView(digest.buffer);
    let refused = 0;
    for (let i = 0; i < 1_000_000; i++) {
      view.setUint32(0, Math.imul(i, 0x9e3779b1), true);
      view.setUint32(4, i, true);
      if (!set.add(digest)) refused++;
    }
    expect(refused).toBe(0);
    expect(set.add(digest)).toBe(false);
    expect(set.size).toBe(1_000_000);
    expect(set.bytes / set.size).toBeLessThanOrEqual(43);
  });
});
