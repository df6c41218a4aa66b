import { readdirSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { ConfigurationError, distil, isFnDistilError, type DistilOptions } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { runScript } from '../helpers/processes';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const transports = [new winston.transports.Console({ silent: true })];

describe('options are checked when wrapping, naming the option', () => {
  it.each<[string, DistilOptions, string]>([
    ['sampleRate above 1', { sampleRate: 2, transports }, 'sampleRate'],
    ['sampleRate not a number', { sampleRate: '1' as never, transports }, 'sampleRate'],
    ['an unknown format', { format: 'yaml' as never, transports }, 'format'],
    ['a bad maxBufferedBytes', { maxBufferedBytes: -1, transports }, 'maxBufferedBytes'],
    ['a redact that is not a function', { redact: 'x' as never, transports }, 'redact'],
    ['an onError that is not a function', { onError: 1 as never, transports }, 'onError'],
    ['a multi-line name', { name: 'a\nb', transports }, 'name'],
    ['both transports and logger', { transports, logger: winston.createLogger() }, 'transports'],
    ['an empty transports array', { transports: [] }, 'transports'],
    ['a transport without log()', { transports: [{} as never] }, 'transports'],
    ['a logger that is not one', { logger: {} as never }, 'logger'],
    ['an invalid toolName', { toolName: 'has space', transports }, 'toolName'],
  ])('%s', (_label, options, option) => {
    let error: unknown;
    try {
      distil(multiplyImpl, Multiply, options);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ name: 'ConfigurationError', code: 'CONFIGURATION', option });
    expect((error as Error).message).toContain(`\`${option}\``);
    expect(isFnDistilError(error)).toBe(true);
  });

  it('an anonymous function needs a name', () => {
    expect(() => distil(((a: number, b: number) => multiplyImpl(a, b)) as never as (a: number, b: number) => { a: number; b: number; result: number }, Multiply, { transports, name: '' })).toThrow(ConfigurationError);
    expect(() => distil([multiplyImpl].map((f) => (a: number, b: number) => f(a, b))[0]!, Multiply, { transports })).toThrow(/anonymous: pass `name`/);
  });

  it('a schema without a usable name is an error at wrapping, with the fix', () => {
    const Nameless = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() });
    expect(() => distil(multiplyImpl, Nameless, { transports })).toThrow(/`\$id` or `title` \(it has neither\)/);
    const BadId = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'multiply.json' });
    expect(() => distil(multiplyImpl, BadId, { transports })).toThrow(/"multiply.json" are not valid names/);
    expect(() => distil(multiplyImpl, BadId, { transports, toolName: 'Multiply' })).not.toThrow();
  });

  it('a schema Ajv cannot compile is a ConfigurationError on `schema`', () => {
    expect(() => distil(multiplyImpl, { $id: 'Broken', type: 'no-such-type' } as unknown as typeof Multiply, { transports })).toThrow(
      expect.objectContaining({ option: 'schema' }),
    );
  });

  it('isFnDistilError recognizes errors from another copy of the package by name and code', () => {
    const foreign = Object.assign(new Error('x'), { name: 'OutputValidationError', code: 'OUTPUT_VALIDATION' });
    expect(isFnDistilError(foreign)).toBe(true);
    expect(isFnDistilError(new Error('x'))).toBe(false);
    expect(isFnDistilError(Object.assign(new Error('x'), { name: 'CaptureError' }))).toBe(false);
  });
});

describe('without transports or logger', () => {
  it('examples go to <name>.jsonl in the working directory, created when wrapping and complete after close()', () => {
    const cwd = tempDir();
    try {
      // A child process, so the working directory is a fresh one without changing this process's.
      const result = runScript(
        `
        import { existsSync } from 'node:fs';
        import { Type } from '@sinclair/typebox';
        import { distil } from 'fn-distil';
        import { Multiply, multiplyImpl } from ${JSON.stringify(require.resolve('../helpers/schemas'))};
        const multiply = distil(multiplyImpl, Multiply);
        await multiply.flush();
        const createdWhenWrapping = existsSync('multiplyImpl.jsonl');
        for (let i = 0; i < 1000; i++) multiply(i, 7);
        await multiply.close();
        const named = distil(multiplyImpl, Multiply, { name: 'three/digit: multiply', format: 'raw' });
        named(133, 539);
        await named.close();
        const refused = [
          () => distil(multiplyImpl, Type.Object({ a: Type.Ref(Multiply) }, { $id: 'Refs' }), { name: 'refs' }),
          () => distil(multiplyImpl, Type.Object({}), { name: 'nameless_schema' }),
        ].map((wrap) => { try { wrap(); return 'wrapped'; } catch (error) { return error.name; } });
        console.log(JSON.stringify({ createdWhenWrapping, refused }));`,
        { cwd: cwd.dir },
      );
      expect(result.stderr).toBe('');
      expect(JSON.parse(result.stdout)).toEqual({ createdWhenWrapping: true, refused: ['ConfigurationError', 'ConfigurationError'] });
      // A wrapper that could not be made created no file.
      expect(readdirSync(cwd.dir).sort()).toEqual(['multiplyImpl.jsonl', 'three_digit_ multiply.jsonl']);
      const lines = readJsonLines(cwd.path('multiplyImpl.jsonl')) as Array<{ messages: Array<{ content: string }> }>;
      expect(lines.map((line) => line.messages[1]!.content)).toEqual(Array.from({ length: 1000 }, (_, i) => `Return multiplyImpl(${i}, 7)`));
      expect(readJsonLines(cwd.path('three_digit_ multiply.jsonl'))).toEqual([
        expect.objectContaining({ fn_name: 'three/digit: multiply', args: [133, 539], resp: { a: 133, b: 539, result: 71687 } }),
      ]);
    } finally {
      cwd.remove();
    }
  });
});
