import { exampleBuilders } from '../formats/index.js';
import type { ChatExample, ChatMessage, ExampleFormat } from '../formats/types.js';
import { defaultToolDescription, schemaInstruction, userContent, type PromptSpec } from '../prompt/prompt.js';
import type { JsonSchema } from '../schema/plain.js';
import { toolNamePattern } from '../schema/name.js';
import { readCallExample, splitSystemPrompt, type LineMessage } from './example.js';

/**
 * The line shapes a dataset can be converted to: the chat formats `distil()` writes (`'raw'` is
 * only read) and `'prompt-completion'`, TRL's conversational prompt-completion lines
 * (`{"prompt": [system, user], "completion": [assistant]}`), which train on the answer only.
 *
 * @example
 * ```ts
 * const to: ConvertTarget = 'prompt-completion';
 * ```
 */
export type ConvertTarget = 'messages' | 'tools' | 'json' | 'prompt-completion';

export const convertTargets: readonly ConvertTarget[] = ['messages', 'tools', 'json', 'prompt-completion'];

/**
 * How a converted tool call carries its `arguments`: `'string'`, the JSON text OpenAI's format
 * (and `distil()`) writes, or `'object'`, the parsed JSON value, for chat templates that render
 * `tool_call.arguments | tojson` and would encode a string twice (TRL's documented tool-calling
 * example writes them as an object, as do Llama 3.1's and some Qwen2.5 templates).
 *
 * @example
 * ```ts
 * const argumentsAs: ArgumentsShape = 'object';
 * ```
 */
export type ArgumentsShape = 'string' | 'object';

/**
 * What the completion of a `'prompt-completion'` line holds: `'json'`, the answer as the
 * assistant's JSON content with the schema in the system prompt (the `'json'` format, which
 * every server can serve); or `'tools'`, the tool call of the `'tools'` format, with the line's
 * `tools` beside it (TRL hands a `tools` column to the chat template).
 *
 * @example
 * ```ts
 * const completion: CompletionShape = 'tools';
 * ```
 */
export type CompletionShape = 'json' | 'tools';

export const argumentsShapes: readonly ArgumentsShape[] = ['string', 'object'];
export const completionShapes: readonly CompletionShape[] = ['json', 'tools'];

/** What a line needs that it may not carry. */
export interface LineDefaults {
  /** Function name for `'raw'` lines whose schema has no valid `title`. */
  readonly toolName?: string | undefined;
  /** Description of the declared function, for lines that carry none (`'json'` and `'raw'`). */
  readonly toolDescription?: string | undefined;
}

/** How the converted line is laid out, beyond its target format. */
export interface LineLayout {
  /** The completion of a `'prompt-completion'` line. */
  readonly completion: CompletionShape;
  /** How tool calls carry their arguments. */
  readonly argumentsAs: ArgumentsShape;
}

const plainLayout: LineLayout = { completion: 'json', argumentsAs: 'string' };

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
 * loses the schema instruction; the declaration and the final answer are rebuilt. `'prompt-completion'`
 * is the `layout.completion` format's line with its last message as the completion.
 */
export function convertLine(value: Readonly<Record<string, unknown>>, to: ConvertTarget, defaults: LineDefaults, layout: LineLayout = plainLayout): ConvertedLine {
  const format = to === 'prompt-completion' ? layout.completion : to;
  const converted = !('messages' in value) && 'fn_name' in value ? convertRaw(value, format, defaults) : convertChat(value, format, defaults);
  if ('problem' in converted) return converted;
  return { line: JSON.stringify(lay(converted.example, to, layout.argumentsAs, converted.answer)), from: converted.from };
}

/** A line rebuilt in one of the chat formats, as an object, with its answer's JSON text. */
type Rebuilt = { readonly example: ChatExample; readonly answer: string; readonly from: ExampleFormat } | { readonly problem: string; readonly option?: 'toolName' };
type ChatTarget = Exclude<ConvertTarget, 'prompt-completion'>;

function convertChat(value: Readonly<Record<string, unknown>>, to: ChatTarget, defaults: LineDefaults): Rebuilt {
  if (!('messages' in value) && 'prompt' in value && 'completion' in value) {
    return { problem: 'it is a prompt-completion line; convert reads the formats distil() writes (messages, tools, json, raw): convert the file it was made from' };
  }
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
    if (typeof system !== 'string') return { problem: 'the line has no text system message to carry the schema, where the json format puts it' };
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
  return { example: { ...built, messages } as ChatExample, answer, from: example.format };
}

/**
 * The line as written: tool call arguments as objects if asked, and for `'prompt-completion'`,
 * TRL's conversational prompt-completion shape. TRL's SFTTrainer renders `prompt` with the chat
 * template and `add_generation_prompt=True`, then `prompt + completion`, and with
 * `completion_only_loss` left at its default (None) trains on the completion tokens only; the
 * line's `tools` go to the template (`tools=example.get("tools")`). Sources: TRL's dataset
 * formats guide (https://huggingface.co/docs/trl/dataset_formats, "Prompt-completion",
 * conversational column; "Tool Calling"), trl/trainer/sft_config.py (`completion_only_loss`) and
 * trl/trainer/sft_trainer.py (`tokenize_fn`, `completion_mask`), huggingface/trl main, 2026-07.
 */
function lay(example: ChatExample, to: ConvertTarget, argumentsAs: ArgumentsShape, answer: string): object {
  const messages: unknown[] = example.messages;
  const last = messages[messages.length - 1] as ChatMessage;
  let answerMessage: unknown = last;
  if (argumentsAs === 'object' && 'tool_calls' in last) {
    const [call] = last.tool_calls;
    // The answer is the JSON text distil() wrote with JSON.stringify: parsing it back gives a value
    // that serializes to those very bytes, so only the quoting of the arguments changes.
    answerMessage = { ...last, tool_calls: [{ ...call, function: { ...call?.function, arguments: JSON.parse(answer) as unknown } }] };
  }
  const { messages: _messages, ...declared } = example;
  if (to === 'prompt-completion') return { prompt: messages.slice(0, -1), completion: [answerMessage], ...declared };
  return answerMessage === last ? example : { ...example, messages: [...messages.slice(0, -1), answerMessage] };
}

/** A `'raw'` line holds the call itself: the line `distil()` would have written is rebuilt whole. */
function convertRaw(value: Readonly<Record<string, unknown>>, to: ChatTarget, defaults: LineDefaults): Rebuilt {
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
  const answer = JSON.stringify(resp);
  const example = exampleBuilders[to](spec, { user: userContent(name, argsJson), output: answer, args, resp }) as ChatExample;
  return { example, answer, from: 'raw' };
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
