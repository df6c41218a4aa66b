import type { ExampleFormat } from '../formats/types.js';

/**
 * The server that hosts the fine-tuned model, as `swap()` and `evaluateModel()` take it (CLI
 * `--server`). Each one's profile decides what a request carries so that this server honours it
 * (the output constraint, the tool choice, the token limit's field) and where its answer is read.
 * `'generic'` is any other OpenAI-compatible server: see docs/swap.md for what it sends.
 *
 * @example
 * ```ts
 * const server: ServerName = 'vllm';
 * const fast = swap(multiply, { model: 'my-multiply', server, client: new OpenAI({ baseURL: 'http://127.0.0.1:8000/v1', apiKey: 'none' }) });
 * ```
 */
export type ServerName = 'openai' | 'vllm' | 'sglang' | 'llama.cpp' | 'ollama' | 'lmstudio' | 'tgi' | 'transformers' | 'generic';

/** How a `'json'` answer is constrained: OpenAI's `json_schema`, TGI's own shape, or nothing. */
export type JsonConstraint = 'json_schema' | 'tgi' | 'none';

/** How a `'tools'` call is forced: the tool by name, any tool (`"required"`), or not at all. */
export type ToolChoice = 'named' | 'required' | 'none';

/** What one server needs and does, each fact from its own source (cited in its file). */
export interface ServerProfile {
  readonly name: ServerName;
  /** Its name as people write it, for messages. */
  readonly label: string;
  /** The constraint sent with a `'json'` request that declares the schema. */
  readonly json: JsonConstraint;
  /** Whether `response_format: {type: "json_object"}` is honoured (`'json'` with `omitSchema`). */
  readonly jsonObject: boolean;
  /** How `'tools'` forces the call. */
  readonly toolChoice: ToolChoice;
  /** Whether the server reads `functions` and `function_call` (format `'messages'`). */
  readonly functions: boolean;
  /** The request field the server reads as the answer's token limit. */
  readonly maxTokensField: 'max_tokens' | 'max_completion_tokens';
  /** Whether a tool call may come back in `content` instead of `tool_calls`. */
  readonly callsInContent: boolean;
  /** A server error whose message means the answer was cut off (a `'length'` failure, not the server's fault). */
  readonly cutOff?: RegExp;
  /** Why a format is refused, and what to do instead, keyed by the formats it cannot serve. */
  readonly refuses: Readonly<Partial<Record<ExampleFormat, string>>>;
}
