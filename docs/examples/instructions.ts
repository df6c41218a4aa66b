// One shared setup for many functions, as in instructor's Instructions:
// `npx tsx docs/examples/instructions.ts`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { createInstructions } from 'fn-distil';

const dir = mkdtempSync(join(tmpdir(), 'fn-distil-instructions-'));
const filename = join(dir, 'finetunes.jsonl');

const instructions = createInstructions({
  format: 'json',
  transports: [new winston.transports.File({ filename })],
});

const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply' });
const Summary = Type.Object({ words: Type.Integer(), first: Type.String() }, { $id: 'Summary' });

const multiply = instructions.distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, {
  name: 'three_digit_multiply',
});
const summarize = instructions.distil(
  async (text: string) => ({ words: text.split(/\s+/).length, first: text.split(/\s+/)[0] ?? '' }),
  Summary,
  { name: 'summarize', sampleRate: 1 },
);

console.log(multiply(133, 539));
console.log(await summarize('fine tuning from plain functions'));
await instructions.close();
console.log(readFileSync(filename, 'utf8').trim().split('\n').length, 'examples in one file');
rmSync(dir, { recursive: true });
