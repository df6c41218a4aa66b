import { existsSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { ConfigurationError, createInstructions, type CaptureError } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { runScript } from '../helpers/processes';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());

const Sum = Type.Object({ total: Type.Number() }, { $id: 'Sum' });

describe('createInstructions', () => {
  it('shares defaults and one destination between functions; close() writes everything', async () => {
    const filename = tmp.path('shared.jsonl');
    const instructions = createInstructions({ format: 'tools', transports: [new winston.transports.File({ filename })] });
    const multiply = instructions.distil(multiplyImpl, Multiply, { name: 'three_digit_multiply' });
    const sum = instructions.distil((xs: number[]) => ({ total: xs.reduce((a, b) => a + b, 0) }), Sum, { name: 'sum', format: 'json' });
    expect(multiply(2, 3)).toEqual({ a: 2, b: 3, result: 6 });
    expect(sum([1, 2, 3])).toEqual({ total: 6 });
    await instructions.close();
    const lines = readJsonLines(filename) as Array<{ tools?: unknown; messages: Array<{ content?: string }> }>;
    expect(lines.map((line) => line.messages[1]!.content)).toEqual(['Return three_digit_multiply(2, 3)', 'Return sum([1,2,3])']);
    expect(lines[0]!.tools).toBeDefined();
    expect(lines[1]!.tools).toBeUndefined();
  });

  it('lets one function write elsewhere, and flush() covers it too', async () => {
    const [shared, own] = [tmp.path('a.jsonl'), tmp.path('b.jsonl')];
    const instructions = createInstructions({ transports: [new winston.transports.File({ filename: shared })] });
    const a = instructions.distil(multiplyImpl, Multiply);
    const b = instructions.distil(multiplyImpl, Multiply, { name: 'other', transports: [new winston.transports.File({ filename: own })] });
    a(1, 1);
    b(2, 2);
    await instructions.flush();
    expect(readJsonLines(shared)).toHaveLength(1);
    expect(readJsonLines(own)).toHaveLength(1);
    await instructions.close();
  });

  it('checks its defaults when created', () => {
    expect(() => createInstructions({ sampleRate: 5 })).toThrow(ConfigurationError);
  });

  it('with a destination nowhere, gives each function its own <name>.jsonl, as distil() does, and close() completes them all', () => {
    const cwd = tempDir();
    try {
      const result = runScript(
        `
        import { createInstructions } from 'fn-distil';
        import { Multiply, multiplyImpl } from ${JSON.stringify(require.resolve('../helpers/schemas'))};
        const instructions = createInstructions({ format: 'json' });
        const a = instructions.distil(multiplyImpl, Multiply, { name: 'a' });
        const b = instructions.distil(multiplyImpl, Multiply, { name: 'b', format: 'raw' });
        for (let i = 0; i < 500; i++) { a(i, 2); b(i, 3); }
        await instructions.close();`,
        { cwd: cwd.dir },
      );
      expect(result.stderr).toBe('');
      expect(result.status).toBe(0);
      const a = readJsonLines(cwd.path('a.jsonl')) as Array<{ messages: Array<{ content: string }> }>;
      expect(a).toHaveLength(500);
      expect(JSON.parse(a[499]!.messages[2]!.content)).toEqual({ a: 499, b: 2, result: 998 });
      const b = readJsonLines(cwd.path('b.jsonl'));
      expect(b).toHaveLength(500);
      expect(b[499]).toMatchObject({ fn_name: 'b', args: [499, 3] });
    } finally {
      cwd.remove();
    }
  });
});

describe('createInstructions: a function\'s own options', () => {
  const collect = (): { errors: CaptureError[]; onError: (error: CaptureError) => void } => {
    const errors: CaptureError[] = [];
    return { errors, onError: (error) => errors.push(error) };
  };
  const summary = (errors: readonly CaptureError[]): Array<[string, string, number]> => errors.map((e) => [e.functionName, e.stage, e.examples]);

  it('a function\'s own onError gets its serialize and closed reports, named after it, and the defaults\' onError gets none of them', async () => {
    const mine = collect();
    const theirs = collect();
    const filename = tmp.path('own-errors.jsonl');
    const instructions = createInstructions({ onError: theirs.onError, transports: [new winston.transports.File({ filename })] });
    const f = instructions.distil(function f(_a: number, b: number) { return multiplyImpl(1, b); }, Multiply, { onError: mine.onError });
    f(1n as never, 2);
    await instructions.close();
    expect(f(2, 3)).toEqual(multiplyImpl(1, 3));
    const late = instructions.distil(function later(a: number, b: number) { return multiplyImpl(a, b); }, Multiply, { onError: mine.onError });
    late(1, 1);
    expect(summary(mine.errors)).toEqual([['f', 'serialize', 1], ['f', 'closed', 1], ['later', 'closed', 1]]);
    expect(theirs.errors).toEqual([]);
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('when the shared transport fails, each function is told of its own lost examples through its own onError', async () => {
    const mine = collect();
    const theirs = collect();
    // The path is a directory: opening it for appending fails with EISDIR.
    const instructions = createInstructions({ onError: theirs.onError, transports: [new winston.transports.File({ filename: tmp.dir })] });
    const a = instructions.distil(multiplyImpl, Multiply, { name: 'a', onError: mine.onError });
    const b = instructions.distil(multiplyImpl, Multiply, { name: 'b' });
    for (let i = 0; i < 3; i++) a(i, 1);
    for (let i = 0; i < 2; i++) b(i, 1);
    await new Promise((resolve) => setTimeout(resolve, 50));
    a(9, 9);
    b(9, 9);
    await instructions.close();
    const total = (errors: readonly CaptureError[], name: string): number => errors.filter((e) => e.functionName === name).reduce((sum, e) => sum + e.examples, 0);
    expect(mine.errors.length).toBeGreaterThan(0);
    expect(mine.errors.every((e) => e.functionName === 'a' && e.stage === 'transport')).toBe(true);
    expect(theirs.errors.every((e) => e.functionName === 'b' && e.stage === 'transport')).toBe(true);
    expect([total(mine.errors, 'a'), total(theirs.errors, 'b')]).toEqual([4, 3]);
    expect(mine.errors[0]!.message).toMatch(/file transport failed \(EISDIR/);
  });

  it('a full disk under the shared destination costs each function exactly its own examples, through the temporary file too', async () => {
    if (!existsSync('/dev/full')) return;
    const mine = collect();
    const theirs = collect();
    const instructions = createInstructions({ onError: theirs.onError, transports: [new winston.transports.File({ filename: '/dev/full' })] });
    // A tiny buffer: nearly every line of a goes through the temporary file, and must still be counted as a's.
    const a = instructions.distil(multiplyImpl, Multiply, { name: 'a', onError: mine.onError, maxBufferedBytes: 1 });
    const b = instructions.distil(multiplyImpl, Multiply, { name: 'b' });
    for (let i = 0; i < 300; i++) {
      a(i, 2);
      if (i % 3 === 0) b(i, 3);
    }
    await instructions.close();
    expect(new Set(mine.errors.map((e) => e.functionName))).toEqual(new Set(['a']));
    expect(new Set(theirs.errors.map((e) => e.functionName))).toEqual(new Set(['b']));
    expect(mine.errors.reduce((sum, e) => sum + e.examples, 0)).toBe(300);
    expect(theirs.errors.reduce((sum, e) => sum + e.examples, 0)).toBe(100);
  });

  it('a function\'s own maxBufferedBytes decides when its examples go to the temporary file, and every line still arrives in call order', async () => {
    const spooled = (): string[] => readdirSync(tmpdir()).filter((name) => name.startsWith(`fn-distil-spool-${process.pid}-`));
    expect(spooled()).toEqual([]);
    const filename = tmp.path('own-buffer.jsonl');
    const instructions = createInstructions({ transports: [new winston.transports.File({ filename })] });
    const roomy = instructions.distil(multiplyImpl, Multiply, { name: 'roomy' });
    const tight = instructions.distil(multiplyImpl, Multiply, { name: 'tight', maxBufferedBytes: 1000 });
    for (let i = 0; i < 50; i++) roomy(i, 1);
    expect(spooled()).toEqual([]);
    for (let i = 0; i < 50; i++) {
      tight(i, 2);
      roomy(i, 3);
    }
    expect(spooled().length).toBeGreaterThan(0);
    await instructions.close();
    expect(spooled()).toEqual([]);
    const lines = readJsonLines(filename) as Array<{ messages: Array<{ content: string }> }>;
    const expected = [
      ...Array.from({ length: 50 }, (_v, i) => `Return roomy(${i}, 1)`),
      ...Array.from({ length: 50 }, (_v, i) => [`Return tight(${i}, 2)`, `Return roomy(${i}, 3)`]).flat(),
    ];
    expect(lines.map((line) => line.messages[1]!.content)).toEqual(expected);
  });
});
