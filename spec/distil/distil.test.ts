import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil, OutputValidationError, isFnDistilError } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);
const userLines = (filename: string): string[] =>
  (readJsonLines(filename) as Array<{ messages: Array<{ content: string }> }>).map((line) => line.messages[1]!.content);

describe('distil() wrapping', () => {
  it('returns exactly what the function returns, the same object', async () => {
    const out = { a: 2, b: 3, result: 6 };
    const filename = file();
    const wrapped = distil((_a: number, _b: number) => out, Multiply, { name: 'f', transports: [new winston.transports.File({ filename })] });
    expect(wrapped(2, 3)).toBe(out);
    await wrapped.close();
    expect(readJsonLines(filename)).toHaveLength(1);
  });

  it('keeps a sync function sync and an async function async', async () => {
    const filename = file();
    const transports = [new winston.transports.File({ filename })];
    const sync = distil(multiplyImpl, Multiply, { transports });
    const result = sync(4, 5);
    expect(result).not.toBeInstanceOf(Promise);
    expect(result).toEqual({ a: 4, b: 5, result: 20 });
    const asyncFn = distil(async (a: number, b: number) => multiplyImpl(a, b), Multiply, { name: 'slow_multiply', transports });
    const pending = asyncFn(6, 7);
    expect(pending).toBeInstanceOf(Promise);
    await expect(pending).resolves.toEqual({ a: 6, b: 7, result: 42 });
    await sync.close();
    expect(userLines(filename)).toEqual(['Return multiplyImpl(4, 5)', 'Return slow_multiply(6, 7)']);
  });

  it('turns a custom thenable into a native promise of its value, as its type says, and records the value', async () => {
    const filename = file();
    const query = distil(
      (a: number, b: number): PromiseLike<ReturnType<typeof multiplyImpl>> & { cancel(): string } => {
        const value = Promise.resolve(multiplyImpl(a, b));
        return { then: (onFulfilled, onRejected) => value.then(onFulfilled, onRejected), cancel: () => 'cancelled' };
      },
      Multiply,
      { name: 'query_multiply', transports: [new winston.transports.File({ filename })] },
    );
    const pending = query(2, 21);
    expect(pending).toBeInstanceOf(Promise);
    expect('cancel' in pending).toBe(false);
    await expect(pending).resolves.toEqual({ a: 2, b: 21, result: 42 });
    await query.close();
    expect(userLines(filename)).toEqual(['Return query_multiply(2, 21)']);
  });

  it('passes `this` through', async () => {
    const filename = file();
    const calculator = {
      factor: 10,
      scale: distil(function scale(this: { factor: number }, a: number) {
        return { a, b: this.factor, result: a * this.factor };
      }, Multiply, { transports: [new winston.transports.File({ filename })] }),
    };
    expect(calculator.scale(3)).toEqual({ a: 3, b: 10, result: 30 });
    await calculator.scale.close();
    expect(userLines(filename)).toEqual(['Return scale(3)']);
  });

  it('exposes schema, original, name and length', async () => {
    const wrapped = distil(multiplyImpl, Multiply, { transports: [new winston.transports.File({ filename: file() })] });
    expect(wrapped.schema).toBe(Multiply);
    expect(wrapped.original).toBe(multiplyImpl);
    expect(wrapped.name).toBe('multiplyImpl');
    expect(wrapped.length).toBe(2);
    await wrapped.close();
  });

  it('throws OutputValidationError with every failing path for an invalid output, and writes nothing', async () => {
    const filename = file();
    const bad = distil((a: number) => ({ a, b: 'x', result: 1.5 }) as never, Multiply, {
      name: 'three_digit_multiply',
      transports: [new winston.transports.File({ filename })],
    });
    let error: unknown;
    try {
      bad(1);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(OutputValidationError);
    const validation = error as OutputValidationError;
    expect(isFnDistilError(validation)).toBe(true);
    expect(validation.name).toBe('OutputValidationError');
    expect(validation.code).toBe('OUTPUT_VALIDATION');
    expect(validation.functionName).toBe('three_digit_multiply');
    expect(validation.issues).toEqual([
      { path: '/b', message: 'must be integer' },
      { path: '/result', message: 'must be integer' },
    ]);
    expect(validation.message).toContain('three_digit_multiply returned an invalid Multiply: /b must be integer; /result must be integer');
    await bad.close();
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('rejects an async invalid output with OutputValidationError', async () => {
    const filename = file();
    const bad = distil(async () => ({ a: 1 }) as never, Multiply, { name: 'bad', transports: [new winston.transports.File({ filename })] });
    await expect(bad()).rejects.toBeInstanceOf(OutputValidationError);
    await bad.close();
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('lets errors thrown or rejected by the function propagate unchanged and writes nothing', async () => {
    const filename = file();
    const thrown = new RangeError('boom');
    const transports = [new winston.transports.File({ filename })];
    const throws = distil((): never => { throw thrown; }, Multiply, { name: 'throws', transports });
    const rejects = distil(async (): Promise<never> => { throw thrown; }, Multiply, { name: 'rejects', transports });
    expect(() => throws()).toThrow(thrown);
    await expect(rejects()).rejects.toBe(thrown);
    await throws.close();
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('records only declared parameters, so [3, 4].map(square) captures square(3) and square(4)', async () => {
    const filename = file();
    const square = distil((n: number) => ({ a: n, b: n, result: n * n }), Multiply, {
      name: 'square',
      transports: [new winston.transports.File({ filename })],
    });
    expect([3, 4].map(square)).toEqual([{ a: 3, b: 3, result: 9 }, { a: 4, b: 4, result: 16 }]);
    await expect(Promise.all([5].map(distil(async (n: number) => ({ a: n, b: 1, result: n }), Multiply, {
      name: 'identity',
      transports: [new winston.transports.File({ filename: `${filename}.async` })],
    })))).resolves.toEqual([{ a: 5, b: 1, result: 5 }]);
    await square.close();
    expect(userLines(filename)).toEqual(['Return square(3)', 'Return square(4)']);
  });

  it('records every argument of a rest parameter', async () => {
    const filename = file();
    const sum = distil((...ns: number[]) => ({ a: ns.length, b: 0, result: ns.reduce((x, y) => x + y, 0) }), Multiply, {
      name: 'sum',
      format: 'raw',
      transports: [new winston.transports.File({ filename })],
    });
    sum(1, 2, 3);
    await sum.close();
    expect(readJsonLines(filename)).toEqual([expect.objectContaining({ fn_repr: 'sum(...ns)', args: [1, 2, 3] })]);
  });

  it('composes in a pipeline of plain functions', async () => {
    const filename = file();
    const pipe = <T>(...fns: Array<(value: T) => T>) => (value: T) => fns.reduce((acc, fn) => fn(acc), value);
    const double = distil((p: { a: number; b: number; result: number }) => ({ ...p, result: p.result * 2 }), Multiply, {
      name: 'double',
      transports: [new winston.transports.File({ filename })],
    });
    expect(pipe(double, double)({ a: 1, b: 1, result: 1 })).toEqual({ a: 1, b: 1, result: 4 });
    await double.close();
    expect(userLines(filename)).toEqual([
      'Return double({"a":1,"b":1,"result":1})',
      'Return double({"a":1,"b":1,"result":2})',
    ]);
  });

  it('leaves out trailing undefined arguments, as the call without them', async () => {
    const filename = file();
    const f = distil((a: number, b?: number) => ({ a, b: b ?? 0, result: a }), Multiply, {
      name: 'f',
      transports: [new winston.transports.File({ filename })],
    });
    f(1, undefined);
    f(2);
    await f.close();
    expect(userLines(filename)).toEqual(['Return f(1)', 'Return f(2)']);
  });

  it('samples by sampleRate and still validates unsampled calls', async () => {
    const filename = file();
    const none = distil(multiplyImpl, Multiply, { sampleRate: 0, transports: [new winston.transports.File({ filename })] });
    for (let i = 0; i < 100; i++) none(i, i);
    expect(() => distil(() => ({}) as never, Multiply, { name: 'x', sampleRate: 0, transports: [new winston.transports.File({ filename: file() })] })()).toThrow(OutputValidationError);
    await none.close();
    expect(readJsonLines(filename)).toEqual([]);

    const halfFile = file();
    const half = distil(multiplyImpl, Multiply, { sampleRate: 0.5, transports: [new winston.transports.File({ filename: halfFile })] });
    for (let i = 0; i < 2000; i++) half(i, i);
    await half.close();
    const count = readJsonLines(halfFile).length;
    // Binomial(2000, 0.5): 6 standard deviations either side is [866, 1134].
    expect(count).toBeGreaterThan(866);
    expect(count).toBeLessThan(1134);
  });

  it('puts the source in the system prompt with includeSource', async () => {
    const filename = file();
    function add(a: number, b: number) {
      return { a, b, result: a + b };
    }
    const wrapped = distil(add, Multiply, { format: 'messages', includeSource: true, description: 'Adds.', transports: [new winston.transports.File({ filename })] });
    wrapped(1, 2);
    await wrapped.close();
    const [line] = readJsonLines(filename) as Array<{ messages: Array<{ content: string }> }>;
    expect(line!.messages[0]!.content).toBe(`Predict the results of this function:\n\n${add.toString()}\n\nAdds.`);
  });

  it('refuses includeSource for a bound or native function, whose source JavaScript does not show', () => {
    const calculator = { factor: 1, times(a: number, b: number) { return { a, b, result: a * b * this.factor }; } };
    const cases: Array<[string, (a: number, b: number) => { a: number; b: number; result: number }]> = [
      ['bound', calculator.times.bind(calculator)],
      ['native', Math.max as never],
    ];
    for (const [name, fn] of cases) {
      let error: unknown;
      try {
        distil(fn, Multiply, { name, includeSource: true, transports: [new winston.transports.Console({ silent: true })] });
      } catch (caught) {
        error = caught;
      }
      expect(error).toMatchObject({ name: 'ConfigurationError', option: 'includeSource' });
      expect((error as Error).message).toContain("`includeSource` needs the function's source, but JavaScript shows only `function () { [native code] }` for it (a bound or built-in function)");
      expect((error as Error).message).toContain('wrap the function itself (not fn.bind(...)), or leave `includeSource` off to show its signature');
    }
    expect(() => distil(calculator.times.bind(calculator), Multiply, { name: 'bound', transports: [new winston.transports.Console({ silent: true })] })).not.toThrow();
  });

  it('uses the schema title when $id is not a valid function name, and the toolName option over both', async () => {
    const filename = file();
    const Titled = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'https://example.com/multiply.json', title: 'Product' });
    const transports = [new winston.transports.File({ filename })];
    distil(multiplyImpl, Titled, { transports, format: 'messages' })(1, 1);
    const named = distil(multiplyImpl, Titled, { transports, format: 'messages', toolName: 'times', toolDescription: 'Multiplies.' });
    named(2, 2);
    await named.close();
    const lines = readJsonLines(filename) as Array<{ functions: Array<{ name: string; description: string }> }>;
    expect(lines.map((line) => line.functions[0])).toEqual([
      expect.objectContaining({ name: 'Product', description: 'Correctly extracted `Product` with all the required parameters with correct types' }),
      expect.objectContaining({ name: 'times', description: 'Multiplies.' }),
    ]);
  });
});
