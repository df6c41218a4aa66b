import fc from 'fast-check';
import { LineDigestTable, lineDigest } from '../../lib/dataset/line-digests';

const add = (set: LineDigestTable, text: string, id: number): number => {
  const words = new Uint32Array(3);
  lineDigest(text, words, 0);
  return set.add(words, 0, id);
};

describe('the table of line digests behind validate', () => {
  it('returns the id of the first equal line, and 0 for a new one, for any lines', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 4 }), fc.string({ unit: 'binary' })), { maxLength: 300 }), (lines) => {
        const set = new LineDigestTable();
        const first = new Map<string, number>();
        lines.forEach((text, i) => {
          expect(add(set, text, i + 1)).toBe(first.get(text) ?? 0);
          if (!first.has(text)) first.set(text, i + 1);
        });
      }),
    );
  });

  it('tells apart lines that differ in one character, at any length', () => {
    const set = new LineDigestTable();
    const base = '{"messages":[{"role":"user","content":"Return multiply(133, 539)"}]}'.repeat(20);
    const clashes = Array.from(base, (_, i) => add(set, base.slice(0, i) + '#' + base.slice(i + 1), i + 1)).filter((id) => id !== 0);
    expect(clashes).toEqual([]);
    expect(add(set, base.slice(0, 7) + '#' + base.slice(8), 99_999)).toBe(8);
  });

  it.each([
    ['grown as lines come', 0, 23],
    ['sized for the lines expected', 200_000, 18],
  ])('holds 200,000 lines in little memory when %s', (_how, expected, bytesPerLine) => {
    const set = new LineDigestTable(expected);
    let seenBefore = 0;
    for (let i = 1; i <= 200_000; i++) if (add(set, `{"n":${i}}`, i) !== 0) seenBefore++;
    expect(seenBefore).toBe(0);
    for (let i = 1; i <= 200_000; i += 997) expect(add(set, `{"n":${i}}`, 300_000)).toBe(i);
    expect(set.bytes / 200_000).toBeLessThan(bytesPerLine);
  });
});
