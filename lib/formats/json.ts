import { systemContent, type PromptSpec } from '../prompt/prompt.js';
import type { CallSlots } from './slots.js';
import type { ChatExample } from './types.js';

/**
 * Plain chat: no function calling, the schema in the system prompt and the output as the
 * assistant's JSON content. The shape open-weight trainers read and constrained decoding serves.
 */
export function jsonExample(spec: PromptSpec, call: CallSlots): ChatExample {
  return {
    messages: [
      { role: 'system', content: systemContent(spec) },
      { role: 'user', content: call.user },
      { role: 'assistant', content: call.output },
    ],
  };
}
