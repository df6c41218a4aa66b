import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// vLLM (vllm-project/vllm, vllm/entrypoints/openai/protocol.py and serving_chat.py):
// - `response_format` json_schema and json_object become guided decoding (`to_sampling_params`).
// - A named `tool_choice` needs no start flag: `_get_guided_json_from_tool` constrains the output
//   to the tool's parameters and the reply puts it in `tool_calls` (arguments a string). Only
//   `"auto"`, also implied by `tools` without `tool_choice`, answers 400 "\"auto\" tool choice
//   requires --enable-auto-tool-choice and --tool-call-parser to be set".
// - `functions` / `function_call` are ignored ("The following fields were present in the request
//   but ignored"). `max_tokens` and `max_completion_tokens` are both read.
export const vllm: ServerProfile = {
  name: 'vllm',
  label: 'vLLM',
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'named',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: false,
  refuses: { messages: onlyOpenAI('vLLM') },
};
