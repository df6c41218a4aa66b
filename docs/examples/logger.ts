// Writing through a winston logger you already have: `npx tsx docs/examples/logger.ts`.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import winston from 'winston';
import { distil } from 'fn-distil';

const dir = mkdtempSync(join(tmpdir(), 'fn-distil-logger-'));
const filename = join(dir, 'dataset.jsonl');
const logger = winston.createLogger({
  format: winston.format.json(), // not applied to examples: a line is the example JSON alone
  transports: [new winston.transports.File({ filename })],
});

const Multiply = Type.Object({ a: Type.Integer(), b: Type.Integer(), result: Type.Integer() }, { $id: 'Multiply' });
const multiply = distil((a: number, b: number) => ({ a, b, result: a * b }), Multiply, { name: 'three_digit_multiply', logger });

multiply(133, 539);
await multiply.close(); // waits until the example is in the file; the logger stays open
logger.end(); // the logger is yours to end
await new Promise((resolve) => logger.on('finish', resolve));
console.log(Object.keys(JSON.parse(readFileSync(filename, 'utf8').split('\n')[0]!)));
rmSync(dir, { recursive: true });
