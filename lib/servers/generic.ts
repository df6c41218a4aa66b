import { onlyOpenAI } from './advice.js';
import type { ServerProfile } from './types.js';

// Any other OpenAI-compatible server: what most of them honour. `json_schema` is read by vLLM,
// SGLang, llama.cpp, Ollama and LM Studio alike; `"required"` is the tool choice they share
// (a named one is refused by LM Studio and downgraded by llama.cpp), and a call some of them
// leave in `content` is read there too. Name the server (`server`) to get its own profile.
export const generic: ServerProfile = {
  name: 'generic',
  label: 'an OpenAI-compatible server',
  json: 'json_schema',
  jsonObject: true,
  toolChoice: 'required',
  functions: false,
  maxTokensField: 'max_tokens',
  callsInContent: true,
  refuses: { messages: onlyOpenAI('An OpenAI-compatible server') },
};
