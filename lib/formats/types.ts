import type { JsonSchema } from '../schema/plain.js';

/**
 * The shape of each captured line: `'messages'` (function calling), `'tools'` (tool calls),
 * `'json'` (plain chat, the output as JSON content; what open-weight trainers read) or `'raw'`.
 *
 * @example
 * ```ts
 * const format: ExampleFormat = 'tools';
 * ```
 */
export type ExampleFormat = 'messages' | 'tools' | 'json' | 'raw';

/** A function declared to the model, as in OpenAI's deprecated `functions`. */
export interface FunctionDefinition {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/** One message of a chat training example. */
export type ChatMessage =
  | { role: 'system'; content: string }
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string }
  | { role: 'assistant'; function_call: { name: string; arguments: string } }
  | {
      role: 'assistant';
      tool_calls: Array<{ id: string; type: 'function'; function: { name: string; arguments: string } }>;
    };

/**
 * One line of a chat fine-tuning file (formats `'messages'`, `'tools'` and `'json'`).
 *
 * @example
 * ```ts
 * const redact = (example: ChatExample) => example;
 * ```
 */
export interface ChatExample {
  messages: ChatMessage[];
  functions?: FunctionDefinition[];
  tools?: Array<{ type: 'function'; function: FunctionDefinition }>;
}

/**
 * One line of format `'raw'`, for people who build their own format.
 *
 * @example
 * ```ts
 * const line: RawExample = { fn_name: 'f', fn_repr: 'f(a)', args: [1], resp: { a: 1 }, schema: {} };
 * ```
 */
export interface RawExample {
  fn_name: string;
  fn_repr: string;
  args: unknown[];
  resp: unknown;
  schema: JsonSchema;
}

/**
 * Any captured example; what the `redact` option receives and returns.
 *
 * @example
 * ```ts
 * const drop = (example: Example): Example | undefined => ('messages' in example ? example : undefined);
 * ```
 */
export type Example = ChatExample | RawExample;
