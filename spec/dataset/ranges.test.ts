import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import { readLineBatches, type ByteRange } from '../../lib/dataset/lines';
import { splitLines } from '../../lib/dataset/ranges';
import { tempDir } from '../helpers/files';

const tmp = tempDir();
afterAll(() => tmp.remove());

async function linesOf(file: string, range?: ByteRange): Promise<string[]> {
  const lines: string[] = [];
  for await (const batch of readLineBatches(file, range)) {
    expect(batch.firstLine).toBe(lines.length + 1);
    lines.push(...batch.lines);
  }
  return lines;
}

const line = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii', maxLength: 3000 }), fc.constant(''));

describe('reading a file in ranges of whole lines', () => {
  it.each([
    ['\r', []],
    ['a\n\r', ['a']],
    ['a\r\nb\r', ['a', 'b']],
  ])('a file ending in a lone CR (%j) has no extra empty line', async (content, lines) => {
    const file = tmp.path(`cr${Math.random()}.jsonl`);
    writeFileSync(file, content);
    expect(await linesOf(file)).toEqual(lines);
  });

  it('a line holding a CR before a CRLF ending keeps its own CR: only the ending\'s is taken off', async () => {
    const file = tmp.path(`crcrlf${Math.random()}.jsonl`);
    // The property below found this case: texts ["\r", ""] joined by "\r\n", no final newline.
    writeFileSync(file, '\r\r\n');
    expect(await linesOf(file)).toEqual(['\r']);
  });

  it('the ranges cover the file, each starts a line, and together they read the same lines as the whole file', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line.map((text) => text.replace(/\n/g, ' ')), { maxLength: 60 }), fc.constantFrom('\n', '\r\n'), fc.boolean(), fc.integer({ min: 1, max: 9 }), async (texts, eol, finalNewline, parts) => {
        const file = tmp.path(`r${Math.random()}.jsonl`);
        writeFileSync(file, texts.join(eol) + (finalNewline && texts.length > 0 ? eol : ''));
        const bytes = readFileSync(file);
        const ranges = splitLines(file, bytes.length, parts);
        expect(ranges.length).toBeLessThanOrEqual(parts);
        expect(ranges[0]?.start).toBe(0);
        expect(ranges.at(-1)?.end).toBe(bytes.length);
        ranges.forEach((range, k) => {
          if (k > 0) expect([range.start, bytes[range.start - 1]]).toEqual([ranges[k - 1]?.end, 0x0a]);
          if (bytes.length > 0) expect(range.end).toBeGreaterThan(range.start);
        });
        const whole = await linesOf(file);
        const pieces: string[] = [];
        for (const range of ranges) pieces.push(...(await linesOf(file, range)));
        expect(pieces).toEqual(whole);
        // One CR is taken off before each LF (a CRLF ending) and at the very end of the file: a
        // text's own trailing CR goes when the eol is a bare LF or nothing follows it, not before
        // a CRLF eol, which brings its own CR ("\r" + "\r\n" is the line "\r").
        const ended = (i: number): boolean => i < texts.length - 1 || finalNewline;
        const expected = texts.map((text, i) => (eol === '\r\n' && ended(i) ? text : text.replace(/\r$/, '')));
        expect(whole).toEqual(expected.filter((text, i) => !(i === texts.length - 1 && text === '' && !finalNewline)));
      }),
      { numRuns: 150 },
    );
  });

  it('reads a line longer than many chunks whole', async () => {
    const long = 'x'.repeat(3_000_000);
    const file = tmp.path('long.jsonl');
    writeFileSync(file, `a\n${long}\nb`);
    expect(await linesOf(file)).toEqual(['a', long, 'b']);
    // The cuts at 1/4, 2/4 and 3/4 of the file all fall inside the long line: it ends the first range.
    expect(splitLines(file, long.length + 4, 4)).toEqual([{ start: 0, end: long.length + 3 }, { start: long.length + 3, end: long.length + 4 }]);
  });
});
