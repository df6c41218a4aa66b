import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// Hugging Face TGI (huggingface/text-generation-inference v3.3.7, router/src/lib.rs, chat.rs,
// infer/tool_grammar.rs):
// - `response_format` is TGI's own `GrammarType` (`{"type": "json_schema", "value": {name,
//   schema}}`, or `"json"` with a bare schema); OpenAI's `json_schema` key is a 422.
// - A named `tool_choice` is grammar-constrained, the call comes back in `tool_calls`.
// - `max_tokens` (alias `max_completion_tokens`); `functions` is ignored.
export const tgi: ServerProfile = {
  name: 'tgi',
  label: 'Text Generation Inference (TGI)',
  json: 'tgi',
  jsonObject: true,
  toolChoice: 'named',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: false,
  refuses: { messages: onlyOpenAI('TGI') },
};
