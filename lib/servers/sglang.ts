import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// SGLang (sgl-project/sglang, python/sglang/srt/entrypoints/openai/protocol.py, serving_chat.py,
// function_call/utils.py):
// - `response_format` json_schema and json_object are constrained.
// - A named `tool_choice` is constrained to `[{"name", "parameters"}]` (`get_json_schema_constraint`),
//   but parsed into `tool_calls` only when the server runs with `--tool-call-parser`; without one
//   that array is returned as `content`, where it is read.
// - `functions` is dropped; `max_completion_tokens or max_tokens` is read.
export const sglang: ServerProfile = {
  name: 'sglang',
  label: 'SGLang',
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'named',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  refuses: { messages: onlyOpenAI('SGLang') },
};
