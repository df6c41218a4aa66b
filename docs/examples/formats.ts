// Prints one line of each format for the same call: `npx tsx docs/examples/formats.ts`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil, type ExampleFormat } from 'fn-distil';

const Multiply = Type.Object(
  { a: Type.Integer(), b: Type.Integer(), result: Type.Integer() },
  { $id: 'Multiply', description: 'The product of two integers' },
);
const dir = mkdtempSync(join(tmpdir(), 'fn-distil-formats-'));

for (const format of ['messages', 'tools', 'json', 'raw'] satisfies ExampleFormat[]) {
  const filename = join(dir, `${format}.jsonl`);
  const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
    name: 'three_digit_multiply',
    format,
    transports: [new winston.transports.File({ filename })],
  });
  multiply(133, 539);
  await multiply.close();
  console.log(`${format}: ${readFileSync(filename, 'utf8').trim()}`);
}
rmSync(dir, { recursive: true });
