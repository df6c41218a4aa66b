import { systemContent, type PromptSpec } from '../prompt/prompt.js';
import type { CallSlots } from './slots.js';
import type { ChatExample } from './types.js';

/** The classic function-calling line: the answer is a forced `function_call`. */
export function messagesExample(spec: PromptSpec, call: CallSlots): ChatExample {
  return {
    messages: [
      { role: 'system', content: systemContent(spec) },
      { role: 'user', content: call.user },
      { role: 'assistant', function_call: { name: spec.toolName, arguments: call.output } },
    ],
    functions: [{ name: spec.toolName, description: spec.toolDescription, parameters: spec.parameters }],
  };
}
