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

/**
 * A function declared to the model, as in OpenAI's deprecated `functions`.
 *
 * @example
 * ```ts
 * const declared: FunctionDefinition = {
 *   name: 'Multiply',
 *   description: 'The product of two integers',
 *   parameters: { type: 'object', required: ['a', 'b', 'result'], properties: { a: { type: 'integer' }, b: { type: 'integer' }, result: { type: 'integer' } } },
 * };
 * ```
 */
export interface FunctionDefinition {
  name: string;
  description: string;
  parameters: JsonSchema;
}

/**
 * One message of a chat training example.
 *
 * @example
 * ```ts
 * const prompt: ChatMessage[] = [
 *   { role: 'system', content: 'Predict the results of this function:\n\nthree_digit_multiply(a, b)' },
 *   { role: 'user', content: 'Return three_digit_multiply(133, 539)' },
 * ];
 * const answer: ChatMessage = { role: 'assistant', function_call: { name: 'Multiply', arguments: '{"a":133,"b":539,"result":71687}' } };
 * ```
 */
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
 * const scrubEmails = (example: ChatExample): ChatExample => ({
 *   ...example,
 *   messages: example.messages.map((m) => (m.role === 'user' ? { ...m, content: m.content.replace(/\S+@\S+/g, '[email]') } : m)),
 * });
 * const lookup = distil(async (email: string) => ({ id: 42, email }), Type.Object({ id: Type.Integer(), email: Type.String() }), {
 *   name: 'find_customer',
 *   redact: scrubEmails,
 *   transports: [new winston.transports.File({ filename: 'customers.jsonl' })],
 * });
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
