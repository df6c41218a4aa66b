import type OpenAI from 'openai';
import { systemContent, type PromptSpec } from '../prompt/prompt.js';

type Body = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
export type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** What a chat request needs to know of the function: its format and declaration. */
export type RequestSpec = Pick<PromptSpec, 'format' | 'toolName' | 'toolDescription' | 'parameters'>;

/** The system and user messages of a call: the same text `distil()` trains on. */
export function promptMessages(spec: PromptSpec, user: string): Message[] {
  return [
    { role: 'system', content: systemContent(spec) },
    { role: 'user', content: user },
  ];
}

/**
 * The chat request for a prompt in the function's format: a forced `function_call` for
 * `'messages'`, a forced `tool_choice` for `'tools'`, a JSON-schema `response_format` for `'json'`
 * (what vLLM, SGLang, llama.cpp and Ollama also take for constrained decoding).
 */
export function chatRequest(
  spec: RequestSpec,
  model: string,
  messages: Message[],
  options: { readonly omitSchema: boolean; readonly temperature: number | undefined },
): Body {
  const declared = options.omitSchema
    ? { name: spec.toolName }
    : { name: spec.toolName, description: spec.toolDescription, parameters: spec.parameters as Record<string, unknown> };
  const body: Body =
    spec.format === 'tools'
      ? { model, messages, tools: [{ type: 'function', function: declared }], tool_choice: { type: 'function', function: { name: spec.toolName } } }
      : spec.format === 'json'
        ? {
            model,
            messages,
            response_format: options.omitSchema
              ? { type: 'json_object' }
              : { type: 'json_schema', json_schema: { name: spec.toolName, schema: spec.parameters as Record<string, unknown> } },
          }
        : { model, messages, functions: [declared], function_call: { name: spec.toolName } };
  if (options.temperature !== undefined) body.temperature = options.temperature;
  return body;
}
