import { ConfigurationError } from '../errors.js';
import type { ExampleFormat } from '../formats/types.js';
import { toolNamePattern } from '../schema/name.js';
import { convertLine, convertTargets, type ConvertTarget } from './convert-line.js';
import { inputFile } from './lines.js';
import { besideInput, checkOutputs, defaultOutput, withWriters } from './outputs.js';
import { scanRecords, type SkippedLine } from './records.js';

/**
 * Options of {@link convertDataset}.
 *
 * @example
 * ```ts
 * const options: ConvertDatasetOptions = { output: 'chat.jsonl', toolName: 'Multiply' };
 * ```
 */
export interface ConvertDatasetOptions {
  /** The converted file. @default `<input name>.<to>.jsonl` next to the input */
  readonly output?: string;
  /** Function name for `'raw'` lines, whose schema has no `$id`; needed unless the schema has a valid `title`. */
  readonly toolName?: string;
  /**
   * Description of the declared function for lines that carry none (`'json'`, `'raw'`).
   * @default the schema's `description`, else the one `distil()` uses by default
   */
  readonly toolDescription?: string;
  /** Leave out lines that cannot be converted, reporting each to `onSkip`, instead of failing. @default false */
  readonly skipInvalid?: boolean;
  /** Called for each line left out by `skipInvalid`. */
  readonly onSkip?: (skipped: SkippedLine) => void;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops the conversion; no output is left behind. */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link ConvertDatasetOptions}, merged in one place. */
export const convertDefaults = { skipInvalid: false } as const satisfies ConvertDatasetOptions;

/**
 * What {@link convertDataset} wrote.
 *
 * @example
 * ```ts
 * const result: ConvertResult = await convertDataset('data.jsonl', 'json');
 * console.log(`${result.written} lines, ${result.from.tools} of them from tool calls`);
 * ```
 */
export interface ConvertResult {
  readonly file: string;
  readonly output: string;
  readonly to: ConvertTarget;
  /** Example lines read (every line that is not blank). */
  readonly read: number;
  readonly written: number;
  /** Blank lines, which are not examples and are not written. */
  readonly blank: number;
  /** Lines left out because they cannot be converted (only with `skipInvalid`). */
  readonly skipped: number;
  /** Lines converted, by the format they were in. */
  readonly from: Readonly<Record<ExampleFormat, number>>;
}

/**
 * Rewrites every example of a JSONL dataset in another chat format, in constant memory:
 * `'tools'` (OpenAI tool calls), `'messages'` (OpenAI function calls) or `'json'` (plain chat
 * `{"messages": [...]}`, the answer as the assistant's JSON content and the schema in the system
 * prompt: what open-weight trainers such as TRL, Axolotl and Unsloth read). Lines may be in any
 * of the formats `distil()` writes, `'raw'` included, and a converted line is byte-identical to
 * the line `distil()` would have written in the target format. A line that cannot be converted
 * (not JSON, no single final call, a `'json'` system prompt without schema) is a
 * {@link DatasetError} with its line number, unless `skipInvalid` leaves it out (and reports it).
 *
 * @example
 * ```ts
 * import { convertDataset } from 'fn-distil';
 *
 * const { written, output } = await convertDataset('math_finetunes.jsonl', 'json', { output: 'math_chat.jsonl' });
 * console.log(`${written} plain chat examples in ${output}`);
 * ```
 */
export async function convertDataset(file: string, to: ConvertTarget, options: ConvertDatasetOptions = {}): Promise<ConvertResult> {
  if (!convertTargets.includes(to)) {
    throw new ConfigurationError('to', `Cannot convert to ${JSON.stringify(to)}: the target format is one of ${convertTargets.map((t) => `'${t}'`).join(', ')}.`);
  }
  const { toolName, toolDescription, onSkip, onProgress, signal } = options;
  if (toolName !== undefined && !toolNamePattern.test(toolName)) {
    throw new ConfigurationError('toolName', `\`toolName\` ${JSON.stringify(toolName)} is not a valid function name: use 1 to 64 letters, digits, _ or -.`);
  }
  const input = inputFile(file);
  const output = options.output ?? defaultOutput(input, besideInput(file, to), 'output', '-o');
  checkOutputs([file], [{ file: output, option: 'output' }]);
  const { size } = input;
  const skipInvalid = options.skipInvalid ?? convertDefaults.skipInvalid;
  const from: Record<ExampleFormat, number> = { messages: 0, tools: 0, json: 0, raw: 0 };
  const defaults = { toolName, toolDescription };

  // A pipe has no size: its progress is not reported.
  const progress = (bytes: number): void => {
    if (input.regular) onProgress?.(bytes, size);
  };
  const { counts, written } = await withWriters([output], async ([writer]) => {
    const counts = await scanRecords(file, { skipInvalid, onSkip, signal, onProgress: progress }, (record, reject) => {
      const converted = convertLine(record.value, to, defaults);
      if ('problem' in converted) {
        if (converted.option !== undefined) throw new ConfigurationError(converted.option, `${file}:${record.line}: ${converted.problem}.`);
        reject(record.line, `cannot convert the line to ${to}: ${converted.problem}`);
        return undefined;
      }
      from[converted.from]++;
      return writer.write(converted.line);
    });
    return { counts, written: writer.lines };
  }, signal);
  return { file, output, to, read: counts.read, written, blank: counts.blank, skipped: counts.skipped, from };
}
