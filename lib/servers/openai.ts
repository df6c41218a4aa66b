import type { ServerProfile } from './types.js';

// OpenAI's own API (openai/openai-openapi, CreateChatCompletionRequest): `response_format`
// json_schema and json_object, a named `tool_choice`, the deprecated but served `functions` /
// `function_call`, and `max_completion_tokens` ("max_tokens ... is not compatible with o-series
// models"). Azure OpenAI's v1 API takes the same body.
export const openai: ServerProfile = {
  name: 'openai',
  label: 'OpenAI',
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'named',
  functions: true,
  maxTokensField: 'max_completion_tokens',
  callsInContent: false,
  refuses: {},
};
