import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// Ollama (ollama/ollama v0.32.15, openai/openai.go):
// - `response_format` json_object and json_schema (its `json_schema.schema`) become `format`;
//   any other shape is dropped without a word.
// - There is no `tool_choice` field: it is dropped, so a call cannot be forced; the model's own
//   parser puts a call in `tool_calls`, or it stays in `content`.
// - Only `max_tokens` is read (`max_completion_tokens` is dropped); with no `temperature` the
//   /v1 endpoint samples at 1.0 whatever the Modelfile says.
export const ollama: ServerProfile = {
  name: 'ollama',
  label: 'Ollama',
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'none',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  refuses: { messages: onlyOpenAI('Ollama') },
};
