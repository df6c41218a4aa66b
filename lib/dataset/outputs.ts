import { statSync, type Stats } from 'node:fs';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConfigurationError } from '../errors.js';
import type { InputFile } from './lines.js';
import { throwIfStopped } from './records.js';
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
 * `beside`, the output written next to the input when none is given, or a
 * {@link ConfigurationError} naming `option` (and the command line's `flag`) for an input with
 * no folder of its own to write beside: `/dev/stdin`, bash's `<(...)`, anything under /dev or
 * /proc. (A named pipe in a folder of yours is fine.)
 */
export function defaultOutput(input: InputFile, beside: string, option: string, flag: string): string {
  if (!/^\/(dev|proc)\//.test(resolve(input.file))) return beside;
  throw new ConfigurationError(option, `${input.file} is not in a folder to write ${basename(beside)} beside. Give the output file with ${flag} (\`${option}\` in code).`);
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
 * validation file). When `signal` is aborted, the partial files are removed at once: `work` may
 * be waiting for a pipe that sends nothing more, and would not see the signal until it does.
 * `work` stopped that way throws the stop's reason (see `throwIfStopped`).
 */
export async function withWriters<const Files extends readonly string[], T>(
  files: Files,
  work: (writers: { readonly [K in keyof Files]: LineWriter }) => Promise<T>,
  signal?: AbortSignal,
): Promise<T> {
  const writers: LineWriter[] = [];
  const abortAll = (): void => {
    for (const writer of writers) writer.abort();
  };
  signal?.addEventListener('abort', abortAll, { once: true });
  try {
    for (const file of files) writers.push(openLineWriter(file));
    const result = await work(writers as unknown as { readonly [K in keyof Files]: LineWriter });
    for (const writer of writers) await writer.finish();
    throwIfStopped(signal, files[0] ?? '');
    for (const writer of writers) writer.commit();
    return result;
  } catch (error) {
    abortAll();
    // A write to a file the stop already removed fails too: the stop is what happened.
    throwIfStopped(signal, files[0] ?? '');
    throw error;
  } finally {
    signal?.removeEventListener('abort', abortAll);
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
