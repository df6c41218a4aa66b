import { isBlank, lineError, parseExampleLine } from './line-rules.js';
import { readLineBatches } from './lines.js';

/** One example line of a file, parsed. */
export interface ExampleLine {
  /** 1-based line number. */
  readonly line: number;
  readonly text: string;
  readonly value: Readonly<Record<string, unknown>>;
  /** Bytes of the file read so far, for progress displays. */
  readonly bytesRead: number;
}

/** The next step every strict reader suggests for a bad line. */
export const validateHint = (file: string): string => `Run \`fn-distil dataset validate ${file}\` to see every problem.`;

/**
 * Every example of a file, parsed, for the commands that need every line to be one (`stats`,
 * `eval`): blank lines are passed over, the first line that is not a JSON object is a
 * `DatasetError` worded as every command words it (see line-rules.ts).
 */
export async function* readExamples(file: string): AsyncGenerator<ExampleLine> {
  for await (const batch of readLineBatches(file)) {
    for (let i = 0; i < batch.lines.length; i++) {
      const text = batch.lines[i] as string;
      if (isBlank(text)) continue;
      const line = batch.firstLine + i;
      const parsed = parseExampleLine(text);
      if ('problem' in parsed) throw lineError(file, line, parsed.problem, validateHint(file));
      yield { line, text, value: parsed.value, bytesRead: batch.bytesRead };
    }
  }
}
