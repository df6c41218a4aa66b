import { ConfigurationError } from '../errors.js';
import type { ExampleFormat } from '../formats/types.js';
import { toolNamePattern } from '../schema/name.js';
import {
  argumentsShapes,
  completionShapes,
  convertLine,
  convertTargets,
  type ArgumentsShape,
  type CompletionShape,
  type ConvertTarget,
} from './convert-line.js';
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
  /**
   * For `'prompt-completion'`: what the completion holds. `'json'`, the answer as JSON content with
   * the schema in the system prompt (the `'json'` format's line, split); or `'tools'`, the
   * `'tools'` format's tool call, with the line's `tools` beside it. Only for `'prompt-completion'`.
   * @default 'json'
   */
  readonly completion?: CompletionShape;
  /**
   * How tool calls carry their `arguments`: `'string'` (JSON text, what OpenAI reads) or
   * `'object'` (the JSON value, for chat templates that render `arguments | tojson`). `'object'`
   * only applies to lines with tool calls: `'tools'`, and `'prompt-completion'` with
   * `completion: 'tools'`. Such lines are not OpenAI training lines.
   * @default 'string'
   */
  readonly argumentsAs?: ArgumentsShape;
  /** Leave out lines that cannot be converted, reporting each to `onSkip`, instead of failing. @default false */
  readonly skipInvalid?: boolean;
  /** Called for each line left out by `skipInvalid`. */
  readonly onSkip?: (skipped: SkippedLine) => void;
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  /** Stops the conversion; no output is left behind. */
  readonly signal?: AbortSignal;
}

/** The defaults of {@link ConvertDatasetOptions}, merged in one place. */
export const convertDefaults = { skipInvalid: false, completion: 'json', argumentsAs: 'string' } as const satisfies ConvertDatasetOptions;

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
 * Rewrites every example of a JSONL dataset in another format, in constant memory: `'tools'`
 * (OpenAI tool calls), `'messages'` (OpenAI function calls), `'json'` (plain chat
 * `{"messages": [...]}`, the answer as the assistant's JSON content and the schema in the system
 * prompt: what open-weight trainers such as TRL, Axolotl and Unsloth read) or
 * `'prompt-completion'` (TRL's conversational `{"prompt": [...], "completion": [...]}`: the
 * `'json'` line split before its answer, so TRL's SFTTrainer trains on the answer only). Lines
 * may be in any of the formats `distil()` writes, `'raw'` included, and a converted line is
 * byte-identical to the line `distil()` would have written in the target format (for
 * `'prompt-completion'`, the same messages, split). A line that cannot be converted
 * (not JSON, no single final call, a `'json'` system prompt without schema) is a
 * {@link DatasetError} with its line number, unless `skipInvalid` leaves it out (and reports it).
 *
 * @example
 * ```ts
 * import { convertDataset } from 'fn-distil';
 *
 * const { written, output } = await convertDataset('math_finetunes.jsonl', 'json', { output: 'math_chat.jsonl' });
 * console.log(`${written} plain chat examples in ${output}`);
 * // For TRL's SFTTrainer, whose loss then covers the answer only:
 * await convertDataset('math_finetunes.jsonl', 'prompt-completion', { output: 'math_trl.jsonl' });
 * // Tool calls kept, their arguments as objects, for a template that renders `arguments | tojson`:
 * await convertDataset('math_finetunes.jsonl', 'prompt-completion', { completion: 'tools', argumentsAs: 'object' });
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
  const layout = { completion: options.completion ?? convertDefaults.completion, argumentsAs: options.argumentsAs ?? convertDefaults.argumentsAs };
  checkLayout(to, options, layout);
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
      const converted = convertLine(record.value, to, defaults, layout);
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

/** `completion` and `argumentsAs` are one of theirs, and only given where they change the lines. */
function checkLayout(to: ConvertTarget, options: ConvertDatasetOptions, layout: { readonly completion: CompletionShape; readonly argumentsAs: ArgumentsShape }): void {
  const choices = (values: readonly string[]): string => values.map((value) => `'${value}'`).join(' or ');
  if (!completionShapes.includes(layout.completion)) {
    throw new ConfigurationError('completion', `\`completion\` ${JSON.stringify(layout.completion)} is not a completion shape: use ${choices(completionShapes)}.`);
  }
  if (!argumentsShapes.includes(layout.argumentsAs)) {
    throw new ConfigurationError('argumentsAs', `\`argumentsAs\` ${JSON.stringify(layout.argumentsAs)} is not a way to write arguments: use ${choices(argumentsShapes)}.`);
  }
  if (options.completion !== undefined && to !== 'prompt-completion') {
    throw new ConfigurationError('completion', `\`completion\` is what a prompt-completion line's completion holds; converting to ${to}, leave it out.`);
  }
  const toolCalls = to === 'tools' || (to === 'prompt-completion' && layout.completion === 'tools');
  if (layout.argumentsAs === 'object' && !toolCalls) {
    const why =
      to === 'prompt-completion'
        ? "a prompt-completion line's completion is JSON content unless `completion` is 'tools': add that to keep the tool call"
        : `${to} lines have no tool calls (it applies to tools, and prompt-completion with \`completion\` 'tools')`;
    throw new ConfigurationError('argumentsAs', `\`argumentsAs\` 'object' writes tool call arguments as objects, but ${why}.`);
  }
}
