import { systemContent, type PromptSpec } from '../prompt/prompt.js';
import type { CallSlots } from './slots.js';
import type { ChatExample } from './types.js';

/**
 * OpenAI's current tool-calling line. The call id is fixed: it only links a call to its result
 * inside one conversation, and a fixed id keeps identical calls identical lines (dedupe works).
 */
export function toolsExample(spec: PromptSpec, call: CallSlots): ChatExample {
  return {
    messages: [
      { role: 'system', content: systemContent(spec) },
      { role: 'user', content: call.user },
      {
        role: 'assistant',
        tool_calls: [{ id: 'call_0', type: 'function', function: { name: spec.toolName, arguments: call.output } }],
      },
    ],
    tools: [
      { type: 'function', function: { name: spec.toolName, description: spec.toolDescription, parameters: spec.parameters } },
    ],
  };
}
