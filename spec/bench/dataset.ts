// `dataset validate` and `dataset stats` on a generated file of about 1 GB, against a bare
// line-by-line JSON.parse loop over the same file in the same run.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import winston from 'winston';
import { distil } from 'fn-distil';
import { Multiply } from './capture';

const multiplyImpl = (a: number, b: number) => ({ a, b, result: a * b });

/**
 * Writes distinct lines of the demo function as distil() writes them, half in `'messages'` and
 * half in `'tools'` format, until the file has about `megabytes` MB. Every line is a different
 * call, so duplicate detection works as hard as on real data. Returns the number of lines.
 */
export async function generateDataset(file: string, megabytes: number): Promise<number> {
  const target = megabytes * 2 ** 20;
  let lines = 0;
  let call = 0;
  const out = createWriteStream(file);
  for (const format of ['messages', 'tools'] as const) {
    const part = `${file}.${format}`;
    const open = () => distil(multiplyImpl, Multiply, { name: 'three_digit_multiply', format, transports: [new winston.transports.File({ filename: part, options: { flags: 'w' } })] });
    // Size a line from a sample of real calls, then make as many calls as half the target needs.
    const sample = open();
    for (let i = 0; i < 100; i++) sample(...argsAt(call + i));
    await sample.close();
    const calls = Math.ceil(target / 2 / (statSync(part).size / 100));
    const wrapped = open();
    for (let i = 0; i < calls; i++) wrapped(...argsAt(call + i));
    call += calls;
    lines += calls;
    await wrapped.close();
    for await (const chunk of createReadStream(part)) if (!out.write(chunk)) await once(out, 'drain');
    rmSync(part);
  }
  out.end();
  await once(out, 'finish');
  return lines;
}

const argsAt = (i: number): [number, number] => [100 + (i % 99_900), 100 + Math.floor(i / 99_900)];

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

/**
 * Runs the built `fn-distil` executable as users do (plain node, no tsx), timed from outside, so
 * the time includes starting Node and loading the package: a conservative figure.
 */
export function measureCli(args: readonly string[]): Measured {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--require', join(process.cwd(), 'spec', 'bench', 'peak-rss.cjs'), join(process.cwd(), 'dist', 'cli.js'), ...args], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`fn-distil ${args.join(' ')} exited ${String(result.status)}: ${result.stderr.slice(0, 2000)}`);
  const peak = /peak-rss-mb: ([\d.]+)/.exec(result.stderr);
  const report = JSON.parse(result.stdout) as { examples: number };
  return { seconds, lines: report.examples, maxRssMB: Number(peak?.[1]) };
}

export const fileMB = (file: string): number => statSync(file).size / 2 ** 20;
