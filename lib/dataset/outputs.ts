import { statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigurationError } from '../errors.js';
import { openLineWriter, type LineWriter } from './writer.js';

/** An output file and the option that names it, for error messages. */
export interface OutputFile {
  readonly file: string;
  readonly option: string;
}

/** `data.jsonl` → `data.<tag>.jsonl`, next to it (a file without extension gets `.jsonl`). */
export function besideInput(file: string, tag: string): string {
  const extension = extname(file);
  return join(dirname(file), `${basename(file, extension)}.${tag}${extension === '' ? '.jsonl' : extension}`);
}

/**
 * Refuses outputs that would destroy what is being read or each other: an output that is an
 * input (also through another path or a hard link), two outputs that are one file, or an output
 * that is a directory. Checked before anything is read or written.
 */
export function checkOutputs(inputs: readonly string[], outputs: readonly OutputFile[]): void {
  const seen: OutputFile[] = [];
  for (const output of outputs) {
    const stats = statOrUndefined(output.file);
    if (stats?.isDirectory() === true) {
      throw new ConfigurationError(output.option, `The output ${output.file} is a directory: give a file name.`);
    }
    const input = inputs.find((file) => sameFile(file, output.file, stats));
    if (input !== undefined) {
      throw new ConfigurationError(
        output.option,
        `The output ${output.file} is the input ${input}: writing it would destroy the data being read. Choose another output file.`,
      );
    }
    const other = seen.find((earlier) => sameFile(earlier.file, output.file, stats));
    if (other !== undefined) {
      throw new ConfigurationError(output.option, `Two outputs are the same file, ${output.file}: give each output its own file.`);
    }
    seen.push(output);
  }
}

/**
 * Opens a writer per file, runs `work`, finishes every file and only then puts them all in place;
 * if anything fails (or the command is stopped), every partial file is removed, and so is any
 * file already put in place, and the error is passed on: the outputs appear together or not at
 * all, never a torn one or one without its sibling (split's training file without its
 * validation file).
 */
export async function withWriters<const Files extends readonly string[], T>(
  files: Files,
  work: (writers: { readonly [K in keyof Files]: LineWriter }) => Promise<T>,
): Promise<T> {
  const writers: LineWriter[] = [];
  try {
    for (const file of files) writers.push(openLineWriter(file));
    const result = await work(writers as unknown as { readonly [K in keyof Files]: LineWriter });
    for (const writer of writers) await writer.finish();
    for (const writer of writers) writer.commit();
    return result;
  } catch (error) {
    for (const writer of writers) writer.abort();
    throw error;
  }
}

function sameFile(a: string, b: string, bStats: Stats | undefined): boolean {
  if (resolve(a) === resolve(b)) return true;
  if (bStats === undefined) return false;
  const aStats = statOrUndefined(a);
  return aStats !== undefined && aStats.dev === bStats.dev && aStats.ino === bStats.ino;
}

function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}
