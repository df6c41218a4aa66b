import { readCallExample, type CallExample } from '../dataset/example.js';
import { lineError } from '../dataset/line-rules.js';
import { readExamples, validateHint } from '../dataset/read-examples.js';

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
 * the run knows its total). A line that is not a call example is a `DatasetError` with its
 * number, worded as every command words it (see dataset/line-rules.ts).
 */
export async function readHeldOut(file: string, limit: number | undefined): Promise<HeldOutExample[]> {
  const examples: HeldOutExample[] = [];
  for await (const { line, text, value } of readExamples(file)) {
    const call = readCallExample(value);
    if ('problem' in call) throw lineError(file, line, `it cannot be replayed: ${call.problem}`, validateHint(file));
    let expected: unknown;
    try {
      expected = JSON.parse(call.answer);
    } catch (cause) {
      throw lineError(file, line, `the recorded answer is not valid JSON (${(cause as Error).message})`, validateHint(file), { cause });
    }
    examples.push({ line, text, call, expected });
    if (limit !== undefined && examples.length >= limit) return examples;
  }
  return examples;
}
