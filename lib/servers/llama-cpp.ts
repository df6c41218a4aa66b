import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// llama.cpp's llama-server (ggml-org/llama.cpp, tools/server/server-common.cpp
// `oaicompat_chat_params_parse`, common/chat.cpp):
// - `response_format` json_schema (and json_object) become a GBNF grammar.
// - `tool_choice` is read as a string: an object is silently replaced by "auto" (`json_value`
//   falls back to its default on a type error). "required" is no better: measured on 0.7.0
//   (build b11669), it changes nothing with a template that has no tools branch, and with a
//   Hermes-style one its grammar allows free text but forbids stopping, so the answer runs to the
//   token limit. So none is sent; whether tools reach the prompt is the chat template's doing,
//   and a call the template's parser misses stays in `content`, where it is read.
// - An answer that a `response_format` grammar cuts off is a 500 "The model produced output that
//   does not match the expected peg-native format" (measured), not a 200 with "length".
// - Without jinja, tools are a 500 "tools param requires --jinja flag" (a runtime_error).
// - Only `max_tokens` (or `n_predict`) is read; `functions` is ignored.
export const llamaCpp: ServerProfile = {
  name: 'llama.cpp',
  label: "llama.cpp's llama-server",
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'none',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  cutOff: /does not match the expected [\w-]+ format/,
  refuses: { messages: onlyOpenAI("llama.cpp's llama-server") },
};
