import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { ConfigurationError, createInstructions } from 'fn-distil';
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
