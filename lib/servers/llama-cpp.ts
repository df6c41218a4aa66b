import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// llama.cpp's llama-server (ggml-org/llama.cpp, tools/server/server-common.cpp
// `oaicompat_chat_params_parse`, common/chat.cpp):
// - `response_format` json_schema (and json_object) become a GBNF grammar.
// - `tool_choice` is read as a string: an object is silently replaced by "auto" (`json_value`
//   falls back to its default on a type error), so the one tool is forced with "required".
//   Whether the tools reach the prompt is the chat template's doing; a call the template's
//   parser misses stays in `content`.
// - Without jinja, tools are a 500 "tools param requires --jinja flag" (a runtime_error).
// - Only `max_tokens` (or `n_predict`) is read; `functions` is ignored.
export const llamaCpp: ServerProfile = {
  name: 'llama.cpp',
  label: "llama.cpp's llama-server",
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'required',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  refuses: { messages: onlyOpenAI("llama.cpp's llama-server") },
};
