import { readdirSync } from 'node:fs';
import { Type, type TSchema } from '@sinclair/typebox';
import winston from 'winston';
import { ConfigurationError, distil, isFnDistilError, OutputValidationError, swap, type DistilOptions } from 'fn-distil';
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

  it.each([
    ['sample_rate', 'sampleRate'],
    ['transport', 'transports'],
    ['onerror', 'onError'],
  ])('a misspelled option (%s, as from JavaScript) is refused when wrapping, suggesting %s', (typed, meant) => {
    const options = { transports, [typed]: 0.5 } as DistilOptions;
    expect(() => distil(multiplyImpl, Multiply, options)).toThrow(
      expect.objectContaining({ name: 'ConfigurationError', option: typed, message: expect.stringMatching(new RegExp(`^distil\\(\\) has no option \`${typed}\`: did you mean \`${meant}\`\\? Its options are .*\`maxBufferedBytes\``)) }),
    );
  });

  it('an unknown option with no near name is refused without a guess, and swap() checks its options the same way', () => {
    expect(() => distil(multiplyImpl, Multiply, { transports, colour: 'red' } as DistilOptions)).toThrow(/^distil\(\) has no option `colour`\? Its options are /);
    expect(() => swap(multiplyImpl, Multiply, { model: 'm', fallbak: true } as never)).toThrow(
      expect.objectContaining({ option: 'fallbak', message: expect.stringMatching(/^swap\(\) has no option `fallbak`: did you mean `fallback`\?/) }),
    );
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

  it.each([
    ['a string', Type.String({ $id: 'Word' }), 'is of type "string"'],
    ['a union of objects', Type.Union([Type.Object({ a: Type.Integer() }), Type.Object({ b: Type.Integer() })], { $id: 'Either' }), 'has no root `type`'],
  ])("formats 'messages' and 'tools' refuse %s as the output schema (a function's parameters must be an object), 'json' and 'raw' take it", (_label, schema, root) => {
    const fn = (x: unknown): never => x as never;
    for (const format of ['messages', 'tools'] as const) {
      expect(() => distil(fn, schema as TSchema, { name: 'f', transports, format })).toThrow(
        expect.objectContaining({ name: 'ConfigurationError', option: 'schema', message: expect.stringContaining(`the schema ${root}. Wrap the output in an object`) }),
      );
      expect(() => swap(fn, schema as TSchema, { model: 'm', name: 'f', format })).toThrow(expect.objectContaining({ option: 'schema' }));
    }
    for (const format of ['json', 'raw'] as const) expect(() => distil(fn, schema as TSchema, { name: 'f', transports, format })).not.toThrow();
  });

  it('a schema Ajv cannot compile is a ConfigurationError on `schema`', () => {
    expect(() => distil(multiplyImpl, { $id: 'Broken', type: 'no-such-type' } as unknown as typeof Multiply, { transports })).toThrow(
      expect.objectContaining({ option: 'schema' }),
    );
  });

  it('a string format the validator does not know is refused when wrapping, naming it and what to use, and nothing is printed', () => {
    const result = runScript(`
      import { Type } from '@sinclair/typebox';
      import winston from 'winston';
      import { distil } from 'fn-distil';
      const Sku = Type.Object({ sku: Type.String({ format: 'sku' }) }, { $id: 'Sku' });
      try {
        distil(function lookup() { return { sku: 'not-a-sku' }; }, Sku, { transports: [new winston.transports.Console({ silent: true })] });
        process.stdout.write('wrapped');
      } catch (error) {
        process.stdout.write(JSON.stringify({ name: error.name, option: error.option, message: error.message }));
      }`);
    expect(result.stderr).toBe('');
    const error = JSON.parse(result.stdout) as { name: string; option: string; message: string };
    expect(error).toMatchObject({ name: 'ConfigurationError', option: 'schema' });
    expect(error.message).toContain('format "sku" (at /properties/sku)');
    expect(error.message).toContain('answers could not be checked against it');
    expect(error.message).toContain("Use a format Ajv knows (ajv-formats: date-time, date, time, email, uri, uuid, ipv4, ...), or a `pattern`: Type.String({ pattern: '^[A-Z]{3}-[0-9]{4}$' })");
    expect(error.message).not.toContain('Type.* helpers');
  });

  it('known string formats are checked on every output', async () => {
    const Contact = Type.Object({ email: Type.String({ format: 'email' }), seen: Type.String({ format: 'date-time' }) }, { $id: 'Contact' });
    const contact = distil((email: string) => ({ email, seen: '2025-01-02T03:04:05Z' }), Contact, { name: 'contact', transports });
    expect(contact('a@example.com')).toEqual({ email: 'a@example.com', seen: '2025-01-02T03:04:05Z' });
    expect(() => contact('not an email')).toThrow(OutputValidationError);
    // The valid call's example is delivered in the background: let it finish inside the test.
    await contact.flush();
  });

  it.each<[string, TSchema, string, string]>([
    ['Type.Date()', Type.Object({ when: Type.Date() }, { $id: 'When' }), 'type "Date" (at /properties/when)', "Type.String({ format: 'date-time' })"],
    ['Type.Uint8Array()', Type.Object({ bytes: Type.Uint8Array() }, { $id: 'Bytes' }), 'type "Uint8Array" (at /properties/bytes)', "Type.String({ contentEncoding: 'base64' })"],
    ['Type.Undefined()', Type.Object({ gone: Type.Undefined() }, { $id: 'Gone' }), 'type "undefined" (at /properties/gone)', 'Type.Optional(...) to leave the property out, or Type.Null()'],
    ['Type.BigInt()', Type.Object({ big: Type.BigInt() }, { $id: 'Big' }), 'type "bigint" (at /properties/big)', "Type.String({ pattern: '^-?[0-9]+$' })"],
    ['Type.Function() inside an array', Type.Object({ fns: Type.Array(Type.Function([], Type.Null())) }, { $id: 'Fns' }), 'type "Function" (at /properties/fns/items)', 'Describe the data the function returns with these types instead'],
  ])('a schema with %s is refused when wrapping: JSON cannot carry that type, and it says what to use', (_label, schema, where, fix) => {
    let error: unknown;
    try {
      distil(() => ({}) as never, schema, { name: 'f', transports });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    expect(error).toMatchObject({ option: 'schema' });
    expect((error as Error).message).toContain(`The \`schema\` has ${where}, which JSON cannot carry`);
    expect((error as Error).message).toContain(fix);
    expect((error as Error).message).not.toContain('Type.* helpers');
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
