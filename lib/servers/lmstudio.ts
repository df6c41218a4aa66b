import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// LM Studio (closed source: lmstudio.ai/docs/advanced/structured-output and its bug tracker,
// lmstudio-bug-tracker#189 and #670):
// - `response_format` json_schema only: json_object is a 400 "'response_format.type' must be
//   'json_schema' or 'text'".
// - `tool_choice` takes a string only: an object is a 400 "Invalid tool_choice type: 'object'",
//   so the one tool is forced with "required".
export const lmstudio: ServerProfile = {
  name: 'lmstudio',
  label: 'LM Studio',
  json: 'json_schema',
  jsonObject: false,
  toolChoice: 'required',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  refuses: { messages: onlyOpenAI('LM Studio') },
};
