import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// `transformers serve` (huggingface/transformers, src/transformers/cli/serving/chat_completion.py):
// `response_format`, `tool_choice`, `functions` and `max_completion_tokens` are in
// UNUSED_CHAT_COMPLETION_FIELDS, a 422 "Unsupported fields in the request". So nothing
// constrains the answer: a `'json'` request carries no `response_format` (the fine-tuned model
// must answer in JSON by itself) and `'tools'` no `tool_choice`; a call stays in `content`.
export const transformers: ServerProfile = {
  name: 'transformers',
  label: '`transformers serve`',
  json: 'none',
  jsonObject: false,
  toolChoice: 'none',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  refuses: { messages: onlyOpenAI('`transformers serve`') },
};
