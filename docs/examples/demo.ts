// `npm run demo`: the three-digit multiplication example, 100 random calls captured as
// fine-tuning data in math_finetunes.jsonl. No API key, no network.
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil } from 'fn-distil';

const Multiply = Type.Object(
  { a: Type.Integer(), b: Type.Integer(), result: Type.Integer() },
  { $id: 'Multiply', description: 'The product of two integers' },
);

const filename = resolve(process.argv[2] ?? 'math_finetunes.jsonl');

const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
  name: 'three_digit_multiply',
  transports: [new winston.transports.File({ filename, options: { flags: 'w' } })],
});

const randomThreeDigits = (): number => 100 + Math.floor(Math.random() * 900);
for (let i = 0; i < 100; i++) {
  const result = multiply(randomThreeDigits(), randomThreeDigits());
  if (i < 3) console.log(result);
}
await multiply.close(); // every example is on disk, the transport ended

const lines = readFileSync(filename, 'utf8').split('\n').filter(Boolean).length;
console.log(`Wrote ${lines} training examples to ${filename}`);
console.log('First line:');
console.log(readFileSync(filename, 'utf8').split('\n')[0]);
