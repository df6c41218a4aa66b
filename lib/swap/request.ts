import type OpenAI from 'openai';
import { systemContent, type PromptSpec } from '../prompt/prompt.js';
import type { ServerProfile } from '../servers/types.js';

type Body = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
export type Message = OpenAI.Chat.Completions.ChatCompletionMessageParam;

/** What a chat request needs to know of the function: its format and declaration. */
export type RequestSpec = Pick<PromptSpec, 'format' | 'toolName' | 'toolDescription' | 'parameters'>;

/** Request settings that are not the function's: the server's profile and the sampling. */
export interface RequestSettings {
  readonly server: ServerProfile;
  readonly omitSchema: boolean;
  readonly temperature: number | undefined;
  readonly maxTokens: number;
}

/** The system and user messages of a call: the same text `distil()` trains on. */
export function promptMessages(spec: PromptSpec, user: string): Message[] {
  return [
    { role: 'system', content: systemContent(spec) },
    { role: 'user', content: user },
  ];
}

/**
 * The chat request for a prompt in the function's format, shaped for the server that answers
 * it: `'json'` gets the output constraint the server honours, `'tools'` the tool choice it
 * honours, `'messages'` (OpenAI only) a forced `function_call`. The messages are never touched:
 * they are the training prompt, byte for byte.
 */
export function chatRequest(spec: RequestSpec, model: string, messages: Message[], settings: RequestSettings): Body {
  const { server } = settings;
  const declared = settings.omitSchema
    ? { name: spec.toolName }
    : { name: spec.toolName, description: spec.toolDescription, parameters: spec.parameters as Record<string, unknown> };
  const body: Omit<Body, 'response_format'> & Record<string, unknown> = { model, messages };
  if (spec.format === 'tools') {
    body.tools = [{ type: 'function', function: declared }];
    if (server.toolChoice === 'named') body.tool_choice = { type: 'function', function: { name: spec.toolName } };
    else if (server.toolChoice === 'required') body.tool_choice = 'required';
  } else if (spec.format === 'json') {
    const format = jsonConstraint(spec, settings);
    // TGI's shape is not OpenAI's, hence not in the client's types.
    if (format !== undefined) body['response_format'] = format;
  } else {
    body.functions = [declared];
    body.function_call = { name: spec.toolName };
  }
  body[server.maxTokensField] = settings.maxTokens;
  if (settings.temperature !== undefined) body.temperature = settings.temperature;
  return body as Body;
}

/** `response_format` for a `'json'` request on this server, or undefined to send none. */
function jsonConstraint(spec: RequestSpec, { server, omitSchema }: RequestSettings): Record<string, unknown> | undefined {
  // TGI's GrammarType is `{"type", "value"}` (huggingface/text-generation-inference, router/src/lib.rs):
  // `json_schema` wraps `{name, schema}`, `json` takes a bare schema; OpenAI's shape is a 422 there.
  if (server.json === 'tgi') {
    return omitSchema ? { type: 'json', value: { type: 'object' } } : { type: 'json_schema', value: { name: spec.toolName, schema: spec.parameters } };
  }
  if (omitSchema) return server.jsonObject ? { type: 'json_object' } : undefined;
  if (server.json === 'json_schema') return { type: 'json_schema', json_schema: { name: spec.toolName, schema: spec.parameters } };
  return undefined;
}
