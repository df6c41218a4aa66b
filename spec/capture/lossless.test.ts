import { createWriteStream, readFileSync } from 'node:fs';
import { Writable } from 'node:stream';
import winston from 'winston';
import Transport from 'winston-transport';
import { distil, type CaptureError } from 'fn-distil';
import { countJsonLines, readJsonLines, tempDir } from '../helpers/files';
import { retainedHeap } from '../helpers/memory';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);
const isMultiplyLine = (line: string): boolean => {
  try {
    const parsed = JSON.parse(line) as { messages: Array<{ content?: string }> };
    const output = JSON.parse(parsed.messages[2]!.content!) as { a: number; b: number; result: number };
    return output.a * output.b === output.result;
  } catch {
    return false;
  }
};

/** A disk that takes `delayMs` per write: slower than any caller. */
function slowStream(filename: string, delayMs: number): Writable {
  const out = createWriteStream(filename);
  return new Writable({
    highWaterMark: 16 * 1024,
    write(chunk, _encoding, callback) {
      setTimeout(() => out.write(chunk, callback), delayMs);
    },
    final(callback) {
      out.end(callback);
    },
  });
}

describe('nothing lost', () => {
  it('close() leaves exactly 1,000,000 complete lines after 1,000,000 calls into a File transport', async () => {
    const filename = file();
    const errors: CaptureError[] = [];
    const multiply = distil(multiplyImpl, Multiply, {
      name: 'three_digit_multiply',
      onError: (error) => errors.push(error),
      transports: [new winston.transports.File({ filename })],
    });
    for (let i = 0; i < 1_000_000; i++) multiply(100 + (i % 900), 100 + ((i * 7) % 900));
    await multiply.close();
    expect(errors).toEqual([]);
    expect(readFileSync(filename).subarray(-1).toString()).toBe('\n');
    expect(await countJsonLines(filename, isMultiplyLine)).toEqual({ lines: 1_000_000, bad: 0 });
  }, 180_000);

  it('flush() makes every example so far readable, and capture goes on after it', async () => {
    const filename = file();
    const multiply = distil(multiplyImpl, Multiply, { transports: [new winston.transports.File({ filename })] });
    for (let i = 0; i < 200_000; i++) multiply(i, 3);
    await multiply.flush();
    expect(await countJsonLines(filename, isMultiplyLine)).toEqual({ lines: 200_000, bad: 0 });
    for (let i = 0; i < 1000; i++) multiply(i, 5);
    await multiply.flush();
    expect((await countJsonLines(filename)).lines).toBe(201_000);
    await multiply.close();
  }, 120_000);

  it('keeps memory bounded when the disk is slower than a synchronous caller, and still writes every line', async () => {
    const filename = file();
    const transport = new winston.transports.Stream({ stream: slowStream(filename, 2) });
    const multiply = distil(multiplyImpl, Multiply, { maxBufferedBytes: 1024 * 1024, transports: [transport] });
    const before = retainedHeap();
    let peak = before;
    for (let i = 0; i < 300_000; i++) {
      multiply(i, 2);
      if (i % 20_000 === 0) peak = Math.max(peak, retainedHeap());
    }
    // 300,000 lines are about 150 MB of strings; held in memory they would show here.
    expect(peak - before).toBeLessThan(24 * 1024 * 1024);
    await multiply.close();
    expect(await countJsonLines(filename, isMultiplyLine)).toEqual({ lines: 300_000, bad: 0 });
  }, 180_000);

  it('keeps memory bounded for an async caller that outpaces the disk', async () => {
    const filename = file();
    const transport = new winston.transports.Stream({ stream: slowStream(filename, 5) });
    const multiply = distil(async (a: number, b: number) => multiplyImpl(a, b), Multiply, {
      name: 'async_multiply',
      maxBufferedBytes: 256 * 1024,
      transports: [transport],
    });
    const before = retainedHeap();
    let peak = before;
    for (let round = 0; round < 20; round++) {
      await Promise.all(Array.from({ length: 10_000 }, (_, i) => multiply(i, round)));
      peak = Math.max(peak, retainedHeap());
    }
    // 200,000 lines are about 100 MB; the disk has taken only a few MB of them by now.
    expect(peak - before).toBeLessThan(24 * 1024 * 1024);
    await multiply.close();
    expect(await countJsonLines(filename, isMultiplyLine)).toEqual({ lines: 200_000, bad: 0 });
  }, 180_000);

  it('writes every line to every transport', async () => {
    const [first, second] = [file(), file()];
    const multiply = distil(multiplyImpl, Multiply, {
      transports: [new winston.transports.File({ filename: first }), new winston.transports.File({ filename: second })],
    });
    for (let i = 0; i < 50_000; i++) multiply(i, 1);
    await multiply.close();
    expect(readFileSync(first, 'utf8')).toBe(readFileSync(second, 'utf8'));
    expect((await countJsonLines(first, isMultiplyLine)).lines).toBe(50_000);
  }, 60_000);

  it('gives a transport that is not a line writer one log() per example, and waits for its callbacks', async () => {
    const received: string[] = [];
    class SlowDatabase extends Transport {
      override log(info: Record<symbol, string>, next: () => void): void {
        setTimeout(() => {
          received.push(info[Symbol.for('message')]!);
          next();
        }, 0);
      }
    }
    const multiply = distil(multiplyImpl, Multiply, { transports: [new SlowDatabase()] });
    for (let i = 0; i < 500; i++) multiply(i, 2);
    await multiply.close();
    expect(received).toHaveLength(500);
    expect(received.every(isMultiplyLine)).toBe(true);
    expect(received.map((line) => JSON.parse(line).messages[1].content)).toEqual(
      Array.from({ length: 500 }, (_, i) => `Return multiplyImpl(${i}, 2)`),
    );
  });
});

describe('a winston logger as destination', () => {
  it('writes the example alone, whatever the logger\'s format, and leaves the logger open', async () => {
    const filename = file();
    const logger = winston.createLogger({
      format: winston.format.combine(winston.format.timestamp(), winston.format.json()),
      transports: [new winston.transports.File({ filename })],
    });
    const multiply = distil(multiplyImpl, Multiply, { logger });
    multiply(2, 3);
    await multiply.close();
    expect(readJsonLines(filename)).toEqual([
      expect.objectContaining({ messages: expect.any(Array) }),
    ]);
    expect(Object.keys(readJsonLines(filename)[0] as object)).toEqual(['messages']);
    const ended = new Promise((resolve) => logger.on('finish', resolve));
    logger.info('still open');
    logger.end();
    await ended;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const lines = readFileSync(filename, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[1]!)).toMatchObject({ level: 'info', message: 'still open' });
  });
});
