import { createWriteStream, rmSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil } from 'fn-distil';

export const Multiply = Type.Object(
  { a: Type.Integer(), b: Type.Integer(), result: Type.Integer() },
  { $id: 'Multiply', description: 'The product of two integers' },
);
const multiplyImpl = (a: number, b: number) => ({ a, b, result: a * b });
const system = 'Predict the results of this function:\n\nthree_digit_multiply(a, b)';
const functions = [{ name: 'Multiply', description: 'The product of two integers', parameters: JSON.parse(JSON.stringify(Multiply)) as object }];
delete (functions[0]!.parameters as { $id?: string }).$id;

/** The line distil() writes for multiply(a, b), built by hand as a logger of one's own would. */
function handBuiltLine(a: number, b: number): string {
  const output = multiplyImpl(a, b);
  return JSON.stringify({
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: `Return three_digit_multiply(${a}, ${b})` },
      { role: 'assistant', function_call: { name: 'Multiply', arguments: JSON.stringify(output) } },
    ],
    functions,
  });
}

const argsAt = (i: number): [number, number] => [100 + (i % 900), 100 + ((i * 7) % 900)];

/** distil() into a winston File transport, until close() resolves. */
export async function distilToFile(dir: string, calls: number): Promise<number> {
  const filename = join(dir, 'distil.jsonl');
  rmSync(filename, { force: true });
  const start = process.hrtime.bigint();
  // Format 'messages': the very line the baseline builds by hand.
  const multiply = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format: 'messages', transports: [new winston.transports.File({ filename })] });
  for (let i = 0; i < calls; i++) multiply(...argsAt(i));
  await multiply.close();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** A raw fs write stream, respecting backpressure, until 'finish'; lines built in the loop or ahead of time. */
export async function rawStream(dir: string, calls: number, prebuilt?: readonly string[]): Promise<number> {
  const filename = join(dir, 'raw.jsonl');
  rmSync(filename, { force: true });
  const start = process.hrtime.bigint();
  const out = createWriteStream(filename);
  for (let i = 0; i < calls; i++) {
    const line = prebuilt?.[i] ?? handBuiltLine(...argsAt(i));
    if (!out.write(`${line}\n`)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return Number(process.hrtime.bigint() - start) / 1e9;
}

export function prebuiltLines(calls: number): string[] {
  return Array.from({ length: calls }, (_, i) => handBuiltLine(...argsAt(i)));
}

/** ns per call of `fn`, the best of `rounds` runs of `calls` calls. */
export function nsPerCall(fn: (a: number, b: number) => { result: number }, calls: number, rounds: number): number {
  let best = Infinity;
  let sink = 0;
  for (let r = 0; r < rounds; r++) {
    const start = process.hrtime.bigint();
    for (let i = 0; i < calls; i++) sink += fn(i & 1023, 7).result;
    best = Math.min(best, Number(process.hrtime.bigint() - start) / calls);
  }
  if (sink === -1) console.log(sink);
  return best;
}

export async function overhead(calls: number, rounds: number): Promise<{ direct: number; wrapped: number }> {
  const wrapped = distil(multiplyImpl, Multiply, { sampleRate: 0, transports: [new winston.transports.Console({ silent: true })] });
  // Alternate so both see the same machine state; keep the best of each.
  let direct = Infinity;
  let viaWrapper = Infinity;
  for (let r = 0; r < rounds; r++) {
    direct = Math.min(direct, nsPerCall(multiplyImpl, calls, 1));
    viaWrapper = Math.min(viaWrapper, nsPerCall(wrapped, calls, 1));
  }
  await wrapped.close();
  return { direct, wrapped: viaWrapper };
}
