import { DatasetError } from '../errors.js';
import { describe, escapeControls } from './values.js';

/**
 * What a line of a dataset file is, the same for every command and function that reads one
 * (validate, stats, split, dedupe, merge, convert, eval):
 *
 * - a byte order mark at the start of a file is not part of its first line: the line reader
 *   (`readLineBatches`) removes it, and `validate` warns about it (`byte_order_mark`);
 * - a blank line (empty, or only JSON whitespace: space, tab, CR) is not an example: it is
 *   skipped and counted, and `validate` warns about it (`blank_line`);
 * - every other line must be a JSON object: anything else, a line holding a non-breaking space
 *   or a byte order mark in the middle of a file included, is an error;
 * - a chat training example is such an object with a `messages` list ({@link notAnExample}), or
 *   TRL's conversational prompt-completion line ({@link isPromptCompletion}), read as the chat
 *   example of its prompt then completion messages: only those count as examples (`validate`'s
 *   count and minimum, `stats`). Other objects, such as distil()'s `'raw'` lines, are lines that
 *   are not examples.
 */

/** U+FEFF, which some Windows editors write at the start of a UTF-8 file. */
export const byteOrderMark = '\uFEFF';

/** Empty or only JSON whitespace (space, tab, CR): a line that is not an example. */
export function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code !== 0x20 && code !== 0x09 && code !== 0x0d) return false;
  }
  return true;
}

/** Why a non-blank line is not an example, with the id of the `validate` check that finds it. */
export interface LineProblem {
  readonly check: 'invalid_json' | 'not_an_object';
  /** E.g. `the line is not valid JSON (Unexpected end of JSON input)`. */
  readonly problem: string;
}

/**
 * A non-blank line's JSON object, or why it is not one: `the line is not valid JSON (<parser
 * message>)` or `the line is JSON but not an object (<what it is>)`.
 */
export function parseExampleLine(text: string): { readonly value: Readonly<Record<string, unknown>> } | LineProblem {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { check: 'invalid_json', problem: `the line is not valid JSON (${jsonProblem(error, text)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { check: 'not_an_object', problem: `the line is JSON but not an object (${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})` };
  }
  return { value: value as Readonly<Record<string, unknown>> };
}

/**
 * Whether a line is TRL's conversational prompt-completion example: lists of messages under
 * `prompt` and `completion` (and no `messages`). See https://huggingface.co/docs/trl/dataset_formats.
 */
export function isPromptCompletion(value: Readonly<Record<string, unknown>>): boolean {
  return !('messages' in value) && Array.isArray(value['prompt']) && Array.isArray(value['completion']);
}

/** A prompt-completion line ({@link isPromptCompletion}) as the chat example it stands for: prompt then completion messages, and its tools. */
export function promptCompletionChat(value: Readonly<Record<string, unknown>>): { readonly messages: unknown[]; readonly tools?: unknown } {
  const messages = [...(value['prompt'] as unknown[]), ...(value['completion'] as unknown[])];
  return value['tools'] === undefined ? { messages } : { messages, tools: value['tools'] };
}

/**
 * Why a line's object is not a chat training example, or undefined when it is one (it has a
 * `messages` list, whatever the list holds: `validate` checks that).
 */
export function notAnExample(value: Readonly<Record<string, unknown>>): string | undefined {
  const messages = value['messages'];
  if (Array.isArray(messages)) return undefined;
  return `${messages === undefined ? 'the line has no "messages"' : `"messages" is ${describe(messages)}, not a list`}: it is not a chat training example`;
}

/** Why JSON.parse failed on a line, with a hint for the one cause people cannot see: a BOM. */
export function jsonProblem(error: unknown, text: string): string {
  const bom = text.startsWith(byteOrderMark) ? '; the line starts with a byte order mark: save the file as UTF-8 without BOM' : '';
  // The parser quotes the line: an escape sequence in it must not reach a terminal as one.
  return `${escapeControls((error as Error).message)}${bom}`;
}

/** The error for one bad line, worded the same by every command: `<file>:<line>: <problem>. <next step>` */
export function lineError(file: string, line: number, problem: string, nextStep: string, options?: { cause?: unknown }): DatasetError {
  return new DatasetError(file, line, `${file}:${line}: ${problem}. ${nextStep}`, options);
}
