import { existsSync, readFileSync } from 'node:fs';
import winston from 'winston';
import { CaptureError, distil, type CaptureStage } from 'fn-distil';
import { Type } from '@sinclair/typebox';
import fc from 'fast-check';
import Transport from 'winston-transport';
import { readJsonLines, tempDir } from '../helpers/files';
import { runScript } from '../helpers/processes';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);
const Anything = Type.Object({ value: Type.Unknown() }, { $id: 'Anything' });

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A real winston transport that keeps the lines it is given. */
class Lines extends Transport {
  readonly lines: string[] = [];
  override log(info: Record<symbol, string>, next: () => void): void {
    this.lines.push(...info[Symbol.for('message')]!.split('\n'));
    next();
  }
}

function collect(): { errors: CaptureError[]; onError: (error: CaptureError) => void } {
  const errors: CaptureError[] = [];
  return { errors, onError: (error) => errors.push(error) };
}

describe('capture never breaks the caller', () => {
  const cyclic: Record<string, unknown> = { name: 'loop' };
  cyclic['self'] = cyclic;
  it.each<[string, unknown, string, string]>([
    ['a BigInt', 10n, 'argument 1 (input) is a BigInt', 'use a string (String(value)) or, if it fits, a number instead'],
    ['a cycle', cyclic, 'argument 1 (input) at /self is a circular reference', 'break the cycle, or give the object a toJSON() method'],
    ['a function', () => 1, 'argument 1 (input) is a function', 'pass and return data only'],
    ['a Map', new Map([[1, 2]]), 'argument 1 (input) is a Map', 'use a plain object instead (Object.fromEntries(map))'],
    ['a Set', new Set([1]), 'argument 1 (input) is a Set', 'use an array instead ([...set])'],
    ['a promise', Promise.resolve(1), 'argument 1 (input) is a Promise', 'await it first'],
    ['NaN inside an object', { x: Number.NaN }, 'argument 1 (input) at /x is NaN', 'use null or a string instead'],
    ['undefined inside an array', [1, undefined], 'argument 1 (input) at /1 is undefined', 'use null instead'],
    ['an Error', new Error('bad input'), 'argument 1 (input) is an Error (JSON would write {} and lose its message)', 'pass the parts you need, e.g. { name: error.name, message: error.message }'],
    ['a Uint8Array', new Uint8Array([1, 2]), 'argument 1 (input) is a Uint8Array (JSON would write an object of numbered keys)', 'use an array instead (Array.from(value)), or a base64 string'],
    ['a Float64Array inside an object', { samples: new Float64Array([0.5]) }, 'argument 1 (input) at /samples is a Float64Array', 'use an array instead (Array.from(value))'],
    ['an ArrayBuffer', new ArrayBuffer(4), 'argument 1 (input) is an ArrayBuffer (JSON would write {})', 'use an array of its bytes instead (Array.from(new Uint8Array(buffer))), or a base64 string'],
    ['an Int16Array', new Int16Array([1]), 'argument 1 (input) is an Int16Array', 'use an array instead'],
    ['a DataView', new DataView(new ArrayBuffer(4)), 'argument 1 (input) is a DataView (JSON would write {})', 'use an array of its bytes instead'],
    ['a class instance whose data is in private fields behind getters', new (class Point { #x = 1; get x(): number { return this.#x; } })(), 'argument 1 (input) is a Point with no own enumerable properties (JSON would write {}; its data is likely in private fields or behind getters)', 'give the class a toJSON() method that returns its data, or pass a plain object'],
  ])('an argument that is %s is reported with what to use instead, the result returned, and nothing written', async (_label, input, message, fix) => {
    const filename = file();
    const { errors, onError } = collect();
    const echo = distil((input: unknown) => ({ value: 'ok', input: typeof input }), Anything, {
      name: 'echo',
      onError,
      transports: [new winston.transports.File({ filename })],
    });
    expect(echo(input)).toEqual({ value: 'ok', input: typeof input });
    echo('fine');
    await echo.close();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(CaptureError);
    expect(errors[0]).toMatchObject({ code: 'CAPTURE', stage: 'serialize', functionName: 'echo', examples: 1 });
    expect(errors[0]!.message).toContain(message);
    expect(errors[0]!.message).toMatch(new RegExp(`${escape(message)}.*, which JSON cannot carry: ${escape(fix)}`));
    expect(errors[0]!.message).toContain('The call itself returned normally; only this example is missing.');
    expect(readJsonLines(filename)).toHaveLength(1);
  });

  const deep = (): unknown => {
    let value: unknown = {};
    for (let i = 0; i < 20_000; i++) value = { inner: value };
    return value;
  };
  const revoked = (): unknown => {
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    return proxy;
  };
  it.each<[string, () => unknown, RegExp]>([
    ['has a throwing toJSON', () => ({ toJSON: () => { throw new Error('toJSON broke'); } }), /argument 1 \(input\) could not be serialized: toJSON broke\. Pass plain data, or fix the toJSON\(\) or getter that threw/],
    ['has a throwing getter', () => Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new Error('getter broke'); } }), /argument 1 \(input\) could not be serialized: getter broke\./],
    ['is a revoked Proxy', revoked, /argument 1 \(input\) could not be serialized: .*revoked/],
    ['is nested 20,000 levels deep', deep, /argument 1 \(input\) is nested too deeply to serialize \(Maximum call stack size exceeded\): pass flatter data/],
  ])('an argument that %s still runs the function, returns its result, and is reported', async (_label, make, message) => {
    const filename = file();
    const { errors, onError } = collect();
    let ran = 0;
    const echo = distil((input: unknown) => { ran++; return { value: 'ok', kind: typeof input }; }, Anything, {
      name: 'echo',
      onError,
      transports: [new winston.transports.File({ filename })],
    });
    expect(echo(make())).toEqual({ value: 'ok', kind: 'object' });
    expect(ran).toBe(1);
    echo('fine');
    await echo.close();
    expect(errors.map((e) => [e.stage, e.functionName, e.examples])).toEqual([['serialize', 'echo', 1]]);
    expect(errors[0]!.message).toMatch(message);
    expect(errors[0]!.message).toContain('The call itself returned normally; only this example is missing.');
    expect(errors[0]!.cause).toBeInstanceOf(Error);
    expect(readJsonLines(filename)).toHaveLength(1);
  });

  it('an async function given an argument that cannot be serialized still runs and resolves to its result', async () => {
    const { errors, onError } = collect();
    const echo = distil(async (input: unknown) => ({ value: typeof input }), Anything, { name: 'echo', onError, transports: [new winston.transports.File({ filename: file() })] });
    await expect(echo(revoked())).resolves.toEqual({ value: 'object' });
    await echo.close();
    expect(errors.map((e) => e.stage)).toEqual(['serialize']);
  });

  it('an output whose serialization throws is reported with what threw, and the caller still gets the output', async () => {
    const { errors, onError } = collect();
    const filename = file();
    const output = Object.defineProperty({ value: 1 }, 'extra', { enumerable: true, get: () => { throw new Error('getter broke.'); } });
    const f = distil(() => output, Anything, { name: 'out', onError, transports: [new winston.transports.File({ filename })] });
    expect(f()).toBe(output);
    await f.close();
    expect(errors.map((e) => [e.stage, e.examples])).toEqual([['serialize', 1]]);
    expect(errors[0]!.message).toContain('the output could not be serialized: getter broke. Pass plain data, or fix the toJSON() or getter that threw. The call itself returned normally');
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('whatever the arguments, hostile ones included, the wrapper returns what the function returns and every example is written or reported', async () => {
    const hostile = fc.constantFrom<() => unknown>(
      () => ({ toJSON: () => { throw new Error('toJSON'); } }),
      () => Object.defineProperty({}, 'x', { enumerable: true, get: () => { throw new TypeError('getter'); } }),
      revoked,
      () => new Proxy({}, { ownKeys: () => { throw new Error('ownKeys'); } }),
      () => new Proxy({}, { get: () => { throw new Error('get'); } }),
      () => 10n,
      () => Symbol('s'),
    );
    // Values are made inside the property: fast-check itself cannot inspect a revoked Proxy.
    const argument = fc.oneof(fc.anything().map((value) => () => value), hostile);
    await fc.assert(
      fc.asyncProperty(fc.array(argument, { maxLength: 4 }), async (makers) => {
        const args = makers.map((make) => make());
        const lines = new Lines();
        const { errors, onError } = collect();
        const f = distil((...xs: unknown[]) => ({ value: xs.length }), Anything, { name: 'f', onError, transports: [lines] });
        expect(f(...args)).toEqual({ value: args.length });
        await f.close();
        expect(lines.lines.length + errors.reduce((sum, e) => sum + e.examples, 0)).toBe(1);
        expect(errors.every((e) => e.stage === 'serialize')).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('values JSON writes faithfully are recorded as JSON writes them: an empty object, a null-prototype object, a Date, a Buffer, a boxed string, a class instance with fields', async () => {
    const lines = new Lines();
    const { errors, onError } = collect();
    const echo = distil((..._inputs: unknown[]) => ({ value: 'ok' }), Anything, { name: 'echo', format: 'raw', onError, transports: [lines] });
    const bare = Object.assign(Object.create(null) as object, { a: 1 });
    class Pair { constructor(readonly left: number, readonly right: number) {} }
    const inputs: unknown[] = [{}, Object.create(null), bare, new Date(0), Buffer.from([1, 2]), new String('s'), new Pair(1, 2), [new Pair(3, 4)]];
    echo(...inputs);
    await echo.close();
    expect(errors).toEqual([]);
    expect((JSON.parse(lines.lines[0]!) as { args: unknown[] }).args).toEqual(JSON.parse(JSON.stringify(inputs)));
  });

  it('an output the schema allows but JSON cannot carry is reported, and the caller still gets it', async () => {
    const { errors, onError } = collect();
    const filename = file();
    const output = { value: 1n };
    const f = distil(() => output, Anything, { name: 'big', onError, transports: [new winston.transports.File({ filename })] });
    expect(f()).toBe(output);
    await f.close();
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('the output at /value is a BigInt, which JSON cannot carry: use a string (String(value)) or, if it fits, a number instead.'),
    ]);
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('redact can scrub or drop an example; a throwing or bad redact is reported, not thrown', async () => {
    const filename = file();
    const { errors, onError } = collect();
    const f = distil(multiplyImpl, Multiply, {
      onError,
      format: 'raw',
      transports: [new winston.transports.File({ filename })],
      redact: (example) => {
        if (!('args' in example)) return example;
        const [a] = example.args as number[];
        if (a === 1) return undefined;
        if (a === 2) throw new Error('hook broke');
        if (a === 3) return 'nope' as never;
        example.args = ['<redacted>'];
        return example;
      },
    });
    const inputs = [1, 2, 3, 4].map((a) => f(a, 10));
    expect(inputs).toEqual([1, 2, 3, 4].map((a) => ({ a, b: 10, result: a * 10 })));
    await f.close();
    expect(readJsonLines(filename)).toEqual([expect.objectContaining({ args: ['<redacted>'], resp: { a: 4, b: 10, result: 40 } })]);
    expect(errors.map((e) => [e.stage, e.examples])).toEqual([['redact', 1], ['redact', 1]]);
    expect(errors[0]!.message).toContain('hook broke');
    expect(errors[0]!.message).toContain('fix the hook, or return undefined from it to drop an example on purpose');
    expect(errors[1]!.message).toContain('returned string; return the example or undefined');
    expect(errors[0]!.cause).toEqual(new Error('hook broke'));
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'the `redact` hook returned null; return the example or undefined'],
    ['an array', [], 'the `redact` hook returned an array; return the example or undefined'],
    ['a number', 3, 'the `redact` hook returned number; return the example or undefined'],
  ])('a redact that returns %s is reported saying what it returned', async (_label, returned, message) => {
    const { errors, onError } = collect();
    const filename = file();
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.File({ filename })], redact: () => returned as never });
    expect(f(1, 2)).toEqual(multiplyImpl(1, 2));
    await f.close();
    expect(errors.map((e) => e.stage)).toEqual(['redact']);
    expect(errors[0]!.message).toContain(message);
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('redact gets copies: changing them does not change the caller\'s values', async () => {
    const input = { list: [1, 2] };
    const Echo = Type.Object({ list: Type.Array(Type.Integer()) }, { $id: 'Echo' });
    const f = distil((x: { list: number[] }) => x, Echo, {
      name: 'echo',
      format: 'raw',
      transports: [new winston.transports.File({ filename: file() })],
      redact: (example) => {
        ((example as { resp: { list: number[] } }).resp.list).push(99);
        return example;
      },
    });
    expect(f(input)).toBe(input);
    expect(input).toEqual({ list: [1, 2] });
    await f.close();
  });

  it('an unwritable path is reported through onError and the call returns normally', async () => {
    const { errors, onError } = collect();
    // The path is a directory: opening it for appending fails with EISDIR.
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.File({ filename: tmp.dir })] });
    expect(f(2, 3)).toEqual({ a: 2, b: 3, result: 6 });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(f(4, 5)).toEqual({ a: 4, b: 5, result: 20 });
    await f.close();
    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((e) => e.stage === 'transport')).toBe(true);
    expect(errors.reduce((sum, e) => sum + e.examples, 0)).toBe(2);
    expect(errors[0]!.message).toMatch(/file transport failed \(EISDIR/);
  });

  it('a full disk (/dev/full) is reported with the examples it lost, never thrown', async () => {
    if (!existsSync('/dev/full')) return;
    const { errors, onError } = collect();
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.File({ filename: '/dev/full' })] });
    for (let i = 0; i < 1000; i++) expect(f(i, 2).result).toBe(i * 2);
    await f.close();
    const stages = new Set<CaptureStage>(errors.map((e) => e.stage));
    expect([...stages]).toEqual(['transport']);
    expect(errors.reduce((sum, e) => sum + e.examples, 0)).toBe(1000);
  });

  it('by default warns once per wrapper, with a code', () => {
    // Warnings go to the real process, so this runs in one.
    const script = `
      import winston from 'winston';
      import { Type } from '@sinclair/typebox';
      import { distil } from 'fn-distil';
      const f = distil((x) => ({ value: String(x) }), Type.Object({ value: Type.String() }, { $id: 'Anything' }), {
        name: 'warn_me', transports: [new winston.transports.File({ filename: ${JSON.stringify(file())} })] });
      console.log(JSON.stringify([f(1n), f(2n)]));
      await f.close();`;
    const result = runScript(script);
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual([{ value: '1' }, { value: '2' }]);
    expect(result.stderr.match(/FnDistilWarning/g)).toHaveLength(1);
    expect(result.stderr).toContain('[FN_DISTIL_CAPTURE]');
    expect(result.stderr).toContain('pass `onError` to see each one');
  });

  it('a throwing onError does not reach the caller', async () => {
    const f = distil((x: unknown) => ({ value: String(x) }), Anything, {
      name: 'f',
      onError: () => { throw new Error('handler broke'); },
      transports: [new winston.transports.File({ filename: file() })],
    });
    expect(f(1n)).toEqual({ value: '1' });
    await f.close();
  });

  it('an example captured after close() is reported as not written', async () => {
    const { errors, onError } = collect();
    const filename = file();
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.File({ filename })] });
    f(1, 1);
    await f.close();
    expect(f(2, 2)).toEqual({ a: 2, b: 2, result: 4 });
    expect(errors.map((e) => [e.stage, e.examples])).toEqual([['closed', 1]]);
    expect(readFileSync(filename, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
  });
});
