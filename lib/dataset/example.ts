import type { JsonSchema } from '../schema/plain.js';

/** A chat message as read from a file: only its shape is assumed, not its validity. */
export type LineMessage = Readonly<Record<string, unknown>>;

/** The line shapes a chat example can have: how its final answer is given. */
export type ChatFormat = 'messages' | 'tools' | 'json';

/**
 * One chat example read as a function call: the prompt, the declared function (or the schema a
 * `'json'` system prompt carries) and the recorded answer. What `convert` rebuilds lines from
 * and what `eval` replays.
 */
export interface CallExample {
  readonly format: ChatFormat;
  /** Every message before the final assistant message: what the model is asked with. */
  readonly prompt: readonly LineMessage[];
  /** The function/tool the answer calls; for `'json'`, the name in the system prompt, if any. */
  readonly toolName: string | undefined;
  readonly toolDescription: string | undefined;
  /** The answer's JSON Schema, when the line declares one. */
  readonly parameters: JsonSchema | undefined;
  /** The recorded answer as JSON text: the call's `arguments`, or the assistant's content. */
  readonly answer: string;
}

const jsonSuffix = /\n\nAnswer with only a JSON object, the ([a-zA-Z0-9_-]{1,64}), matching this JSON Schema:\n(.*)$/s;

/**
 * Where a `'json'`-format system prompt (see prompt/prompt.ts `systemContent`) declares the
 * schema of the answer: the function name and the schema's JSON text, not parsed (`validate`
 * compares the text with the last one it compiled, line after line).
 */
export function schemaDeclaration(content: string): { readonly index: number; readonly toolName: string; readonly schemaText: string } | undefined {
  const match = jsonSuffix.exec(content);
  return match === null ? undefined : { index: match.index, toolName: match[1] as string, schemaText: match[2] as string };
}

/**
 * Splits a `'json'`-format system prompt into the part every format shares and the schema it
 * appends; other system prompts (and one whose schema is not a JSON object) come back whole.
 */
export function splitSystemPrompt(content: string): { readonly intro: string; readonly toolName?: string; readonly schema?: JsonSchema } {
  const declared = schemaDeclaration(content);
  if (declared === undefined) return { intro: content };
  try {
    const schema = JSON.parse(declared.schemaText) as unknown;
    if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return { intro: content };
    return { intro: content.slice(0, declared.index), toolName: declared.toolName, schema: schema as JsonSchema };
  } catch {
    return { intro: content };
  }
}

/**
 * Reads a parsed line as a call example, or says why it is not one (no messages, no final
 * assistant answer, a call to an undeclared function). Lines are not validated here: run the
 * dataset checks for that.
 */
export function readCallExample(line: unknown): CallExample | { readonly problem: string } {
  if (typeof line !== 'object' || line === null || Array.isArray(line)) return { problem: 'the line is not a JSON object' };
  const { messages, tools, functions } = line as { messages?: unknown; tools?: unknown; functions?: unknown };
  if (!Array.isArray(messages) || messages.length === 0) return { problem: 'the line has no messages' };
  const last = messages[messages.length - 1] as LineMessage | undefined;
  if (typeof last !== 'object' || last === null || last['role'] !== 'assistant') return { problem: 'the last message is not the assistant\'s answer' };
  const prompt = messages.slice(0, -1) as LineMessage[];

  const toolCalls = last['tool_calls'];
  if (Array.isArray(toolCalls)) {
    if (toolCalls.length !== 1) return { problem: `the answer makes ${toolCalls.length} tool calls; a function call example makes exactly one` };
    const call = (toolCalls[0] as { function?: { name?: unknown; arguments?: unknown } } | undefined)?.function;
    if (typeof call?.name !== 'string' || typeof call.arguments !== 'string') return { problem: 'the tool call has no name or arguments' };
    const declared = Array.isArray(tools)
      ? (tools as Array<{ function?: { name?: unknown; description?: unknown; parameters?: unknown } }>).find((tool) => tool?.function?.name === call.name)?.function
      : undefined;
    return declaration('tools', prompt, call.name, call.arguments, declared);
  }
  const functionCall = last['function_call'] as { name?: unknown; arguments?: unknown } | undefined;
  if (typeof functionCall === 'object' && functionCall !== null) {
    if (typeof functionCall.name !== 'string' || typeof functionCall.arguments !== 'string') return { problem: 'the function call has no name or arguments' };
    const declared = Array.isArray(functions)
      ? (functions as Array<{ name?: unknown; description?: unknown; parameters?: unknown }>).find((fn) => fn?.name === functionCall.name)
      : undefined;
    return declaration('messages', prompt, functionCall.name, functionCall.arguments, declared);
  }
  const content = last['content'];
  if (typeof content !== 'string') return { problem: 'the answer has no content, function call or tool call' };
  const system = prompt.find((message) => message['role'] === 'system')?.['content'];
  const split = typeof system === 'string' ? splitSystemPrompt(system) : { intro: '' };
  return { format: 'json', prompt, toolName: split.toolName, toolDescription: undefined, parameters: split.schema, answer: content };
}

function declaration(
  format: ChatFormat,
  prompt: readonly LineMessage[],
  name: string,
  answer: string,
  declared: { name?: unknown; description?: unknown; parameters?: unknown } | undefined,
): CallExample | { readonly problem: string } {
  if (declared === undefined) return { problem: `the answer calls ${name}, which the line does not declare` };
  const parameters = declared.parameters;
  return {
    format,
    prompt,
    toolName: name,
    toolDescription: typeof declared.description === 'string' ? declared.description : undefined,
    parameters: typeof parameters === 'object' && parameters !== null && !Array.isArray(parameters) ? (parameters as JsonSchema) : undefined,
    answer,
  };
}
