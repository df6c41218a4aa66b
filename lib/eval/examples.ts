import { readCallExample, type CallExample } from '../dataset/example.js';
import { readLineBatches } from '../dataset/lines.js';
import { DatasetError } from '../errors.js';

/** One held-out example to replay: where it is, its text (for the result key) and the call. */
export interface HeldOutExample {
  readonly line: number;
  readonly text: string;
  readonly call: CallExample;
  /** The recorded output, parsed. */
  readonly expected: unknown;
}

/**
 * Reads every example of a held-out file (validation sets are small; they are read whole so
 * the run knows its total). A line that is not a call example is a {@link DatasetError} with
 * its number: run `fn-distil dataset validate` to see every problem at once.
 */
export async function readHeldOut(file: string, limit: number | undefined): Promise<HeldOutExample[]> {
  const examples: HeldOutExample[] = [];
  for await (const batch of readLineBatches(file)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i] as string;
      if (text.trim() === '') continue;
      const line = batch.firstLine + i;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch (cause) {
        throw new DatasetError(file, line, `${file}:${line} is not JSON (${(cause as Error).message}). Run \`fn-distil dataset validate ${file}\`.`, { cause });
      }
      const call = readCallExample(parsed);
      if ('problem' in call) throw new DatasetError(file, line, `${file}:${line} cannot be replayed: ${call.problem}.`);
      let expected: unknown;
      try {
        expected = JSON.parse(call.answer);
      } catch (cause) {
        throw new DatasetError(file, line, `${file}:${line} records an answer that is not JSON: ${(cause as Error).message}.`, { cause });
      }
      examples.push({ line, text, call, expected });
      if (limit !== undefined && examples.length >= limit) return examples;
    }
  }
  return examples;
}
