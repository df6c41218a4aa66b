import { exampleBuilders } from '../formats/index.js';
import type { ChatExample, ExampleFormat } from '../formats/types.js';
import { defaultToolDescription, schemaInstruction, userContent, type PromptSpec } from '../prompt/prompt.js';
import type { JsonSchema } from '../schema/plain.js';
import { toolNamePattern } from '../schema/name.js';
import { readCallExample, splitSystemPrompt, type LineMessage } from './example.js';

/**
 * The chat line shapes a dataset can be converted to (`'raw'` is only read).
 *
 * @example
 * ```ts
 * const to: ConvertTarget = 'json';
 * ```
 */
export type ConvertTarget = 'messages' | 'tools' | 'json';

export const convertTargets: readonly ConvertTarget[] = ['messages', 'tools', 'json'];

/** What a line needs that it may not carry. */
export interface LineDefaults {
  /** Function name for `'raw'` lines whose schema has no valid `title`. */
  readonly toolName?: string | undefined;
  /** Description of the declared function, for lines that carry none (`'json'` and `'raw'`). */
  readonly toolDescription?: string | undefined;
}

/**
 * A converted line, or why the line cannot be converted; `option` when an option would make
 * it convertible (then every such line needs it, so it is not a problem of the line alone).
 */
export type ConvertedLine =
  | { readonly line: string; readonly from: ExampleFormat }
  | { readonly problem: string; readonly option?: 'toolName' };

/**
 * Rewrites one parsed line in the `to` shape through the same builders `distil()` uses, so a
 * line `distil()` wrote in one format becomes exactly the line it writes in another. Chat lines
 * keep their prompt messages as they are, except that the system prompt gains (`'json'`) or
 * loses the schema instruction; the declaration and the final answer are rebuilt.
 */
export function convertLine(value: Readonly<Record<string, unknown>>, to: ConvertTarget, defaults: LineDefaults): ConvertedLine {
  if (!('messages' in value) && 'fn_name' in value) return convertRaw(value, to, defaults);
  const example = readCallExample(value);
  if ('problem' in example) return example;
  const { prompt, toolName, parameters, answer } = example;
  if (prompt.some(isCallOrResult)) {
    return { problem: 'the prompt holds earlier function or tool calls or results; convert rewrites examples of a single call' };
  }
  const declared = declarations(value);
  if (declared > 1) return { problem: `the line declares ${declared} functions; convert takes lines that declare only the function they call` };
  if (toolName === undefined || (example.format === 'json' && parameters === undefined)) {
    return { problem: 'the system prompt carries no JSON Schema ("Answer with only a JSON object, the <name>, matching this JSON Schema: ..."), so there is no function to declare' };
  }
  const answerProblem = notJson(answer, 'the answer');
  if (answerProblem !== undefined) return { problem: answerProblem };
  const systemIndex = prompt.findIndex((message) => message['role'] === 'system');
  const system = prompt[systemIndex]?.['content'];
  if (to === 'json') {
    if (parameters === undefined) return { problem: `the function ${toolName} declares no parameters schema to put in the system prompt` };
    if (typeof system !== 'string') return { problem: 'the line has no text system message to carry the schema, where --to json puts it' };
  }

  const spec: PromptSpec = {
    name: '',
    definition: '',
    toolName,
    toolDescription: example.toolDescription ?? defaults.toolDescription ?? defaultToolDescription(toolName, parameters ?? {}),
    // A declaration without parameters stays without: JSON.stringify leaves out `undefined`.
    parameters: parameters as JsonSchema,
    format: to,
  };
  const built = exampleBuilders[to](spec, { user: '', output: answer, args: [], resp: undefined }) as ChatExample;
  const messages: unknown[] = prompt.map((message, i) => {
    if (i !== systemIndex || typeof system !== 'string') return message;
    const intro = splitSystemPrompt(system).intro;
    return { ...message, content: to === 'json' ? intro + schemaInstruction(toolName, spec.parameters) : intro };
  });
  messages.push(built.messages[built.messages.length - 1]);
  return { line: JSON.stringify({ ...built, messages }), from: example.format };
}

/** A `'raw'` line holds the call itself: the line `distil()` would have written is rebuilt whole. */
function convertRaw(value: Readonly<Record<string, unknown>>, to: ConvertTarget, defaults: LineDefaults): ConvertedLine {
  const { fn_name: name, fn_repr: definition, args, resp, schema } = value;
  if (typeof name !== 'string' || typeof definition !== 'string' || !Array.isArray(args) || !('resp' in value)) {
    return { problem: 'the raw line needs fn_name, fn_repr, args and resp' };
  }
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { problem: 'the raw line has no schema object' };
  const title = (schema as { title?: unknown }).title;
  const toolName = defaults.toolName ?? (typeof title === 'string' && toolNamePattern.test(title) ? title : undefined);
  if (toolName === undefined) {
    return { problem: 'it is a raw line whose schema has no title to name the function by: give the name with the `toolName` option', option: 'toolName' };
  }
  const argsJson = args.map((arg: unknown) => JSON.stringify(arg));
  const spec: PromptSpec = {
    name,
    definition,
    toolName,
    toolDescription: defaults.toolDescription ?? defaultToolDescription(toolName, schema),
    parameters: schema as JsonSchema,
    format: to,
  };
  const line = exampleBuilders[to](spec, { user: userContent(name, argsJson), output: JSON.stringify(resp), args, resp });
  return { line: JSON.stringify(line), from: 'raw' };
}

function isCallOrResult(message: LineMessage): boolean {
  return message['role'] === 'tool' || message['role'] === 'function' || 'tool_calls' in message || 'function_call' in message;
}

function declarations(value: Readonly<Record<string, unknown>>): number {
  const { tools, functions } = value;
  return (Array.isArray(tools) ? tools.length : 0) + (Array.isArray(functions) ? functions.length : 0);
}

function notJson(text: string, what: string): string | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    return `${what} is not valid JSON (${(error as Error).message})`;
  }
}
