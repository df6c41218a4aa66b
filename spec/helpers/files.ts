import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** A fresh temporary directory, removed by the returned cleanup. */
export function tempDir(prefix = 'fn-distil-'): { dir: string; path: (name: string) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, path: (name) => join(dir, name), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Every line of a small file as text, without its newline (throws if the last line is torn). */
export function linesOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file} does not end with a newline: its last line is torn`);
  return text.slice(0, -1).split('\n');
}

/** A writer of JSONL fixtures into `dir`, each call a new numbered file; returns its path. */
export function fixtureWriter(dir: { path: (name: string) => string }): (lines: readonly string[]) => string {
  let files = 0;
  return (lines) => {
    const file = dir.path(`${files++}.jsonl`);
    writeFileSync(file, lines.map((line) => `${line}\n`).join(''));
    return file;
  };
}

/** Every line of a small file, parsed as JSON (throws on a torn or non-JSON line). */
export function readJsonLines(file: string): unknown[] {
  const text = readFileSync(file, 'utf8');
  if (text === '') return [];
  if (!text.endsWith('\n')) throw new Error(`${file} does not end with a newline: its last line is torn`);
  return text.slice(0, -1).split('\n').map((line) => JSON.parse(line) as unknown);
}

/** Counts lines of a file of any size, checking each is complete JSON ending in a newline. */
export async function countJsonLines(file: string, check: (line: string) => boolean = () => true): Promise<{ lines: number; bad: number }> {
  let lines = 0;
  let bad = 0;
  const reader = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
  for await (const line of reader) {
    lines++;
    if (!check(line)) bad++;
  }
  return { lines, bad };
}
