import type { PromptSpec } from '../prompt/prompt.js';
import type { CallSlots } from './slots.js';
import type { RawExample } from './types.js';

/** The call itself, for people who build their own format. */
export function rawExample(spec: PromptSpec, call: CallSlots): RawExample {
  return { fn_name: spec.name, fn_repr: spec.definition, args: call.args, resp: call.resp, schema: spec.parameters };
}
