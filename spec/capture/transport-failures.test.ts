import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import winston from 'winston';
import Transport from 'winston-transport';
import { distil, createInstructions, type CaptureError } from 'fn-distil';
import { Type } from '@sinclair/typebox';
import { readJsonLines, tempDir } from '../helpers/files';
import { runScript } from '../helpers/processes';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);
const collect = (): { errors: CaptureError[]; onError: (error: CaptureError) => void } => {
  const errors: CaptureError[] = [];
  return { errors, onError: (error) => errors.push(error) };
};
const lost = (errors: CaptureError[]): number => errors.reduce((sum, error) => sum + error.examples, 0);

describe('a failing transport is reported, never crashes, never hangs', () => {
  it('a transport whose log() throws', async () => {
    const { errors, onError } = collect();
    class Broken extends Transport {
      override log(): void {
        throw new Error('db client not connected');
      }
    }
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new Broken()] });
    for (let i = 0; i < 10; i++) expect(f(i, 1).result).toBe(i);
    await f.close();
    expect(errors[0]).toMatchObject({ stage: 'transport' });
    expect(errors[0]!.message).toContain('db client not connected');
    expect(lost(errors)).toBe(10);
  });

  it('a transport with no name of its own (an anonymous class) is called unnamed in the report', async () => {
    const { errors, onError } = collect();
    const broken = new (class extends Transport {
      override log(): void {
        throw new Error('no route to host');
      }
    })();
    const f = distil(multiplyImpl, Multiply, { onError, transports: [broken] });
    f(1, 2);
    await f.close();
    expect(errors[0]!.message).toMatch(/^The unnamed transport failed \(no route to host\): /);
  });

  it('a Stream transport whose stream is destroyed', async () => {
    const { errors, onError } = collect();
    const stream = new Writable({ write: (_chunk, _encoding, callback) => setTimeout(callback, 5) });
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.Stream({ stream })] });
    f(1, 1);
    await f.flush();
    stream.destroy();
    for (let i = 0; i < 100; i++) f(i, 2);
    await f.close();
    expect(errors.map((error) => error.stage)).toEqual(['transport', ...errors.slice(1).map(() => 'transport')]);
    expect(lost(errors)).toBeGreaterThanOrEqual(100);
  });

  it('a Stream transport whose stream fails with an error while idle is reported, not thrown as an unhandled error event', async () => {
    const { errors, onError } = collect();
    const stream = new Writable({ write: (_chunk, _encoding, callback) => callback() });
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.Stream({ stream })] });
    f(1, 1);
    await f.flush();
    // winston's Stream transport does not listen to its stream's errors: without fn-distil's listener this crashes the process.
    stream.destroy(new Error('socket hang up'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(f(2, 3)).toEqual({ a: 2, b: 3, result: 6 });
    await f.close();
    expect(errors[0]!.message).toContain('socket hang up');
    // Nothing was waiting on the stream when it failed: the report says so rather than "up to 0 may be missing".
    expect(errors[0]).toMatchObject({ examples: 0, message: expect.stringContaining('every example handed to it was written') });
    expect(lost(errors)).toBe(1);
  });

  it('a full disk under backpressure (10,000 lines into /dev/full)', async () => {
    const { errors, onError } = collect();
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.File({ filename: '/dev/full' })] });
    for (let i = 0; i < 10_000; i++) f(i, 2);
    await f.close();
    expect(errors[0]!.message).toContain('ENOSPC');
    expect(lost(errors)).toBe(10_000);
  });
});

describe('a write that fails part-way (a file size limit, like a full disk) leaves only complete lines', () => {
  const calls = 20_000;
  const before = '{"written":"before this run"}';
  it.each([
    { label: 'a File transport', transport: 'new winston.transports.File({ filename })', limitKiB: 200, eol: '\n' },
    { label: 'a File transport', transport: 'new winston.transports.File({ filename })', limitKiB: 1000, eol: '\n' },
    { label: 'a File transport flushed every 1,000 calls', transport: 'new winston.transports.File({ filename })', limitKiB: 600, eol: '\n', flushEvery: 1000 },
    { label: 'a File transport with eol CRLF', transport: "new winston.transports.File({ filename, eol: '\\r\\n' })", limitKiB: 300, eol: '\r\n' },
    {
      label: 'a Stream transport over fs.createWriteStream',
      transport: "new winston.transports.Stream({ stream: createWriteStream(filename, { flags: 'a' }) })",
      limitKiB: 250,
      eol: '\n',
    },
  ])('$label (ulimit -f $limitKiB): the file ends at its last complete line, the calls return as usual, and onError counts what is missing', ({ transport, limitKiB, eol, flushEvery }) => {
    const filename = file();
    writeFileSync(filename, `${before}${eol}`);
    // A real process, since the limit applies to a whole process: past it, write() fails with EFBIG part-way.
    const result = runScript(
      `
      import { createWriteStream } from 'node:fs';
      import winston from 'winston';
      import { CaptureError, distil } from 'fn-distil';
      import { Multiply, multiplyImpl } from ${JSON.stringify(require.resolve('../helpers/schemas'))};
      const filename = ${JSON.stringify(filename)};
      const errors = [];
      const multiply = distil(multiplyImpl, Multiply, { name: 'm', onError: (error) => errors.push(error), transports: [${transport}] });
      let wrong = 0;
      for (let i = 0; i < ${calls}; i++) {
        const output = multiply(i, 3);
        if (output.a !== i || output.b !== 3 || output.result !== i * 3) wrong++;
        if (i % ${flushEvery ?? calls} === 0) await multiply.flush();
      }
      await multiply.close();
      console.log(JSON.stringify({ wrong, errors: errors.map((error) => ({ isCaptureError: error instanceof CaptureError, stage: error.stage, examples: error.examples, message: error.message })) }));`,
      { fileSizeLimitKiB: limitKiB },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const { wrong, errors } = JSON.parse(result.stdout) as {
      wrong: number;
      errors: Array<{ isCaptureError: boolean; stage: string; examples: number; message: string }>;
    };
    expect(wrong).toBe(0);

    const text = readFileSync(filename, 'utf8');
    expect(statSync(filename).size).toBeLessThanOrEqual(limitKiB * 1024);
    expect(text.endsWith(eol)).toBe(true);
    const lines = text.slice(0, -eol.length).split(eol);
    expect(lines[0]).toBe(before);
    const written = lines.slice(1).map((line) => JSON.parse(line) as { messages: Array<{ content?: string; function_call?: { arguments: string } }> });
    // The limit cut the run short, and what is there is the first calls, complete and in order.
    expect(written.length).toBeGreaterThan(100);
    expect(written.length).toBeLessThan(calls);
    written.forEach((line, i) => {
      expect(line.messages[1]!.content).toBe(`Return m(${i}, 3)`);
      expect(JSON.parse(line.messages[2]!.content!)).toEqual({ a: i, b: 3, result: i * 3 });
    });

    expect(errors.length).toBeGreaterThan(0);
    expect(errors.every((error) => error.isCaptureError && error.stage === 'transport')).toBe(true);
    expect(errors[0]!.message).toContain('EFBIG');
    expect(errors[0]!.message).toContain(`did not reach ${filename}`);
    expect(errors.reduce((sum, error) => sum + error.examples, 0)).toBe(calls - written.length);
  }, 120_000);
});

describe('lifecycle', () => {
  it('a File transport that rotates (maxsize) is refused when wrapping, since winston loses lines rotating at end()', () => {
    const transport = new winston.transports.File({ filename: tmp.path('rotating/data.jsonl'), maxsize: 50_000 });
    expect(() => distil(multiplyImpl, Multiply, { transports: [transport] })).toThrow(/`maxsize`: winston's rotation loses lines/);
  });

  it('flush() resolves under steady traffic, once the lines before it are written', async () => {
    const filename = file();
    const f = distil(multiplyImpl, Multiply, { transports: [new winston.transports.File({ filename })] });
    let stop = false;
    const traffic = (async () => {
      while (!stop) {
        for (let i = 0; i < 500; i++) f(i, 4);
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < 1000; i++) f(i, 5);
    // Resolving at all is the point: a flush that waited for the traffic to stop would never
    // resolve (the traffic stops only after it), and the test would fail at its timeout.
    await f.flush();
    const seen = readJsonLines(filename) as Array<{ messages: Array<{ content: string }> }>;
    stop = true;
    await traffic;
    await f.close();
    expect(seen.filter((line) => line.messages[1]!.content.endsWith(', 5)'))).toHaveLength(1000);
  }, 60_000);

  it('a call made while close() is under way is reported as closed, not lost', async () => {
    const { errors, onError } = collect();
    const filename = file();
    const f = distil(multiplyImpl, Multiply, { onError, maxBufferedBytes: 100, transports: [new winston.transports.File({ filename })] });
    f(1, 1);
    const closing = f.close();
    f(2, 2);
    await closing;
    expect(readJsonLines(filename)).toHaveLength(1);
    expect(errors.map((error) => [error.stage, error.examples])).toEqual([['closed', 1]]);
  });

  it('close() twice is one close, with no false alarm', async () => {
    const { errors, onError } = collect();
    const f = distil(multiplyImpl, Multiply, { onError, transports: [new winston.transports.File({ filename: file() })] });
    f(1, 1);
    await Promise.all([f.close(), f.close()]);
    await f.close();
    await f.flush();
    expect(errors).toEqual([]);
  });

  it('closing one function of createInstructions leaves the shared transports to the others', async () => {
    const { errors, onError } = collect();
    const filename = file();
    const instructions = createInstructions({ onError, transports: [new winston.transports.File({ filename })] });
    const a = instructions.distil(multiplyImpl, Multiply, { name: 'a' });
    const b = instructions.distil(multiplyImpl, Multiply, { name: 'b' });
    a(1, 1);
    await a.close();
    b(2, 2);
    await instructions.close();
    expect(errors).toEqual([]);
    expect(readJsonLines(filename)).toHaveLength(2);
  });
});

describe('a transport ended by someone else', () => {
  it('a transport given to two distil() wrappers is ended by the first close(); the other\'s later examples are reported with how to share a destination', async () => {
    const mine = collect();
    const filename = file();
    const shared = new winston.transports.File({ filename });
    const first = distil(multiplyImpl, Multiply, { name: 'first', transports: [shared] });
    const second = distil(multiplyImpl, Multiply, { name: 'second', onError: mine.onError, transports: [shared] });
    for (let i = 0; i < 100; i++) {
      first(i, 1);
      second(i, 2);
    }
    await first.close();
    for (let i = 0; i < 10; i++) expect(second(i, 3)).toEqual(multiplyImpl(i, 3));
    await second.close();
    expect(readJsonLines(filename)).toHaveLength(200);
    expect(lost(mine.errors)).toBe(10);
    expect(mine.errors.every((error) => error.stage === 'transport' && error.functionName === 'second')).toBe(true);
    const message = mine.errors.map((error) => error.message).join('\n');
    expect(message).toContain('was ended before this wrapper was done');
    expect(message).toContain("a transport given to several distil() wrappers belongs to each of them, and the first close() ends it");
    expect(message).toContain('use createInstructions({ transports }) or give each wrapper the same winston `logger`');
    expect(message).not.toContain('Check the path, permissions and free space');
  });

  it('the second close() of two wrappers sharing a transport resolves although the first already ended it', async () => {
    const mine = collect();
    const filename = file();
    const shared = new winston.transports.File({ filename });
    const first = distil(multiplyImpl, Multiply, { name: 'first', transports: [shared] });
    const second = distil(multiplyImpl, Multiply, { name: 'second', onError: mine.onError, transports: [shared] });
    first(1, 1);
    second(2, 2);
    await second.flush();
    await first.close();
    // A close() that hung would fail the test at its timeout (no shorter limit: a busy machine could reach it).
    await second.close();
    expect(readJsonLines(filename)).toHaveLength(2);
    expect(mine.errors).toEqual([]);
  });

  it('a logger\'s transport ended before the wrapper is done is reported with when to end the logger', async () => {
    const mine = collect();
    const filename = file();
    const logger = winston.createLogger({ transports: [new winston.transports.File({ filename })] });
    const f = distil(multiplyImpl, Multiply, { onError: mine.onError, logger });
    f(1, 1);
    await f.flush();
    const ended = new Promise((resolve) => logger.transports[0]!.on('finish', resolve));
    logger.end();
    await ended;
    f(2, 2);
    await f.close();
    expect(readJsonLines(filename)).toHaveLength(1);
    expect(lost(mine.errors)).toBe(1);
    const message = mine.errors.map((error) => error.message).join('\n');
    expect(message).toContain('was ended before this wrapper was done');
    expect(message).toContain("end the logger only after the wrapper's close() has resolved");
  });
});

describe('what is recorded', () => {
  it('arguments as they were given, even if the function changes them', async () => {
    const filename = file();
    const Median = Type.Object({ median: Type.Number() }, { $id: 'Median' });
    const median = distil((xs: number[]) => ({ median: xs.sort((p, q) => p - q)[Math.floor(xs.length / 2)]! }), Median, {
      name: 'median',
      transports: [new winston.transports.File({ filename })],
    });
    expect(median([9, 1, 5])).toEqual({ median: 5 });
    await median.close();
    expect((readJsonLines(filename)[0] as { messages: Array<{ content: string }> }).messages[1]!.content).toBe('Return median([9,1,5])');
  });

  it('an argument whose toJSON returns undefined is reported', async () => {
    const { errors, onError } = collect();
    const filename = file();
    const f = distil((_x: unknown) => ({ a: 1, b: 1, result: 1 }), Multiply, { name: 'f', onError, transports: [new winston.transports.File({ filename })] });
    f({ toJSON: () => undefined });
    await f.close();
    expect(errors.map((error) => error.stage)).toEqual(['serialize']);
    expect(errors[0]!.message).toContain('argument 1 serializes to nothing (its toJSON returned undefined): make toJSON() return the data to record');
    expect(readFileSync(filename, 'utf8')).toBe('');
  });

  it('a function that reads `arguments` records every argument', async () => {
    const filename = file();
    const f = distil(function total() {
      const xs = Array.from(arguments as ArrayLike<number>);
      return { a: xs.length, b: 0, result: xs.reduce((p, q) => p + q, 0) };
    } as (...xs: number[]) => { a: number; b: number; result: number }, Multiply, { format: 'raw', transports: [new winston.transports.File({ filename })] });
    f(1, 2, 3);
    await f.close();
    expect(readJsonLines(filename)).toEqual([expect.objectContaining({ args: [1, 2, 3] })]);
  });
});

