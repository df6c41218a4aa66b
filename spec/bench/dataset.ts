// `dataset validate` and `dataset stats` on a generated file of about 1 GB, against a bare
// line-by-line JSON.parse loop over the same file in the same run.
import { spawnSync } from 'node:child_process';
import { createWriteStream, readFileSync, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import winston from 'winston';
import { distil } from 'fn-distil';
import { Multiply } from './capture';

const multiplyImpl = (a: number, b: number) => ({ a, b, result: a * b });

/**
 * Writes demo lines, alternating `'messages'` and `'tools'` formats as distil() writes them,
 * until the file has `megabytes` MB. Returns the number of lines.
 */
export async function generateDataset(file: string, megabytes: number): Promise<number> {
  const byFormat: string[][] = [];
  for (const format of ['messages', 'tools'] as const) {
    const seed = `${file}.${format}.seed`;
    const wrapped = distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format, transports: [new winston.transports.File({ filename: seed, options: { flags: 'w' } })] });
    for (let i = 0; i < 1000; i++) wrapped(100 + (i % 900), 100 + ((i * 7) % 900));
    await wrapped.close();
    byFormat.push(readFileSync(seed, 'utf8').trim().split('\n'));
    rmSync(seed);
  }
  // 2,000 real distil() lines, the two formats interleaved, repeated to the size asked for.
  const [messages, tools] = byFormat as [string[], string[]];
  const block = `${messages.flatMap((line, i) => [line, tools[i] as string]).join('\n')}\n`;
  const out = createWriteStream(file);
  const target = megabytes * 2 ** 20;
  let written = 0;
  let count = 0;
  while (written < target) {
    if (!out.write(block)) await once(out, 'drain');
    written += Buffer.byteLength(block);
    count += messages.length + tools.length;
  }
  out.end();
  await once(out, 'finish');
  return count;
}

export interface Measured {
  readonly seconds: number;
  readonly lines: number;
  readonly maxRssMB: number;
}

/** Runs one mode of dataset-child.ts in a fresh process. */
export function measure(mode: string, file: string): Measured {
  const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
  const result = spawnSync(tsx, [join(process.cwd(), 'spec', 'bench', 'dataset-child.ts'), mode, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${mode} failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1) as string) as Measured;
}

export const fileMB = (file: string): number => statSync(file).size / 2 ** 20;
