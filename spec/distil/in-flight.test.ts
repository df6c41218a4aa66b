import winston from 'winston';
import { createInstructions, distil, type CaptureError } from 'fn-distil';
import { readJsonLines, tempDir } from '../helpers/files';
import { Multiply, multiplyImpl } from '../helpers/schemas';

const tmp = tempDir();
afterAll(() => tmp.remove());
const file = (): string => tmp.path(`${Math.random().toString(36).slice(2)}.jsonl`);
const userLines = (filename: string): string[] =>
  (readJsonLines(filename) as Array<{ messages: Array<{ content: string }> }>).map((line) => line.messages[1]!.content);

/** An async multiply whose calls finish only when the test says so. */
function heldMultiply(): { impl: (a: number, b: number) => Promise<ReturnType<typeof multiplyImpl>>; release: () => void; reject: (error: Error) => void } {
  const held: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
  return {
    impl: (a, b) => new Promise((resolve, reject) => held.push({ resolve: () => resolve(multiplyImpl(a, b)), reject })),
    release: () => held.splice(0).forEach((call) => call.resolve()),
    reject: (error) => held.splice(0).forEach((call) => call.reject(error)),
  };
}

const later = (ms: number): Promise<'pending'> => new Promise((resolve) => setTimeout(() => resolve('pending'), ms));

describe('close() and flush() with async calls in flight', () => {
  it('close() waits for async calls started before it and writes their examples', async () => {
    const filename = file();
    const errors: CaptureError[] = [];
    const slow = distil(
      async (a: number, b: number) => {
        await new Promise((resolve) => setTimeout(resolve, 10));
        return multiplyImpl(a, b);
      },
      Multiply,
      { name: 'async_mul', onError: (error) => errors.push(error), transports: [new winston.transports.File({ filename })] },
    );
    const pending = [slow(1, 2), slow(3, 4)];
    await slow.close();
    expect(await Promise.all(pending)).toEqual([multiplyImpl(1, 2), multiplyImpl(3, 4)]);
    expect(userLines(filename)).toEqual(['Return async_mul(1, 2)', 'Return async_mul(3, 4)']);
    expect(errors).toEqual([]);
  });

  it('close() does not resolve while a call started before it is still running', async () => {
    const filename = file();
    const { impl, release } = heldMultiply();
    const held = distil(impl, Multiply, { name: 'held', transports: [new winston.transports.File({ filename })] });
    const call = held(2, 3);
    const closing = held.close();
    expect(await Promise.race([closing.then(() => 'closed' as const), later(50)])).toBe('pending');
    release();
    await closing;
    await expect(call).resolves.toEqual(multiplyImpl(2, 3));
    expect(userLines(filename)).toEqual(['Return held(2, 3)']);
  });

  it('a call started after close() began is returned as usual and reported as closed, while the one in flight is written', async () => {
    const filename = file();
    const errors: CaptureError[] = [];
    const { impl, release } = heldMultiply();
    const held = distil(impl, Multiply, { name: 'held', onError: (error) => errors.push(error), transports: [new winston.transports.File({ filename })] });
    const before = held(1, 1);
    const closing = held.close();
    const after = held(2, 2);
    release();
    await closing;
    await expect(Promise.all([before, after])).resolves.toEqual([multiplyImpl(1, 1), multiplyImpl(2, 2)]);
    expect(userLines(filename)).toEqual(['Return held(1, 1)']);
    expect(errors.map((error) => [error.stage, error.functionName, error.examples])).toEqual([['closed', 'held', 1]]);
  });

  it('a call in flight that rejects leaves close() resolving and writes nothing for it', async () => {
    const filename = file();
    const { impl, reject } = heldMultiply();
    const held = distil(impl, Multiply, { name: 'held', transports: [new winston.transports.File({ filename })] });
    const call = held(1, 1);
    const closing = held.close();
    reject(new Error('upstream down'));
    await expect(call).rejects.toThrow('upstream down');
    await closing;
    expect(readJsonLines(filename)).toEqual([]);
  });

  it('flush() waits for async calls started before it, and recording goes on afterwards', async () => {
    const filename = file();
    const { impl, release } = heldMultiply();
    const held = distil(impl, Multiply, { name: 'held', transports: [new winston.transports.File({ filename })] });
    const first = held(1, 2);
    const flushed = held.flush();
    expect(await Promise.race([flushed.then(() => 'flushed' as const), later(50)])).toBe('pending');
    release();
    await flushed;
    await first;
    expect(userLines(filename)).toEqual(['Return held(1, 2)']);
    const second = held(3, 4);
    release();
    await second;
    await held.close();
    expect(userLines(filename)).toEqual(['Return held(1, 2)', 'Return held(3, 4)']);
  });

  it('instructions.close() waits for every function\'s calls in flight, on the shared destination and on a function\'s own', async () => {
    const [shared, own] = [file(), file()];
    const errors: CaptureError[] = [];
    const instructions = createInstructions({ onError: (error) => errors.push(error), transports: [new winston.transports.File({ filename: shared })] });
    const first = heldMultiply();
    const second = heldMultiply();
    const a = instructions.distil(first.impl, Multiply, { name: 'a' });
    const b = instructions.distil(second.impl, Multiply, { name: 'b', transports: [new winston.transports.File({ filename: own })] });
    const calls = [a(1, 1), b(2, 2)];
    const closing = instructions.close();
    const late = a(3, 3);
    first.release();
    second.release();
    await closing;
    await Promise.all([...calls, late]);
    expect(userLines(shared)).toEqual(['Return a(1, 1)']);
    expect(userLines(own)).toEqual(['Return b(2, 2)']);
    expect(errors.map((error) => [error.stage, error.functionName])).toEqual([['closed', 'a']]);
  });

  it('instructions.flush() and a sharing function\'s own close() wait for its calls in flight', async () => {
    const filename = file();
    const instructions = createInstructions({ transports: [new winston.transports.File({ filename })] });
    const { impl, release } = heldMultiply();
    const a = instructions.distil(impl, Multiply, { name: 'a' });
    const first = a(1, 1);
    const flushed = instructions.flush();
    expect(await Promise.race([flushed.then(() => 'flushed' as const), later(50)])).toBe('pending');
    release();
    await Promise.all([flushed, first]);
    expect(userLines(filename)).toEqual(['Return a(1, 1)']);
    const second = a(2, 2);
    const closed = a.close();
    expect(await Promise.race([closed.then(() => 'closed' as const), later(50)])).toBe('pending');
    release();
    await Promise.all([closed, second]);
    expect(userLines(filename)).toEqual(['Return a(1, 1)', 'Return a(2, 2)']);
    await instructions.close();
  });
});
