import type { PromptSpec } from '../prompt/prompt.js';
import type { ExampleBuilder } from './index.js';

/**
 * Renders a line from the per-call JSON fragments only. Everything else in a line (system
 * prompt, schema) is the same for every call of a wrapper, so it is serialized once here and
 * the hot path is a few string concatenations instead of re-serializing the schema each call.
 */
export type LineRenderer = (user: string, outputJson: string, argsJson: readonly string[]) => string;

const marker = (slot: string): string => `\u0000fn-distil:${slot}\u0000`;
const slots = ['user', 'output', 'args', 'resp'] as const;
type Slot = (typeof slots)[number];

export function compileRenderer(build: ExampleBuilder, spec: PromptSpec): LineRenderer {
  const text = JSON.stringify(
    build(spec, { user: marker('user'), output: marker('output'), args: marker('args') as never, resp: marker('resp') }),
  );
  const tokens = new Map(slots.map((slot) => [JSON.stringify(marker(slot)), slot] as const));
  const pattern = new RegExp([...tokens.keys()].map((token) => token.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')).join('|'), 'g');
  const parts: string[] = [];
  const order: Slot[] = [];
  let last = 0;
  for (const match of text.matchAll(pattern)) {
    parts.push(text.slice(last, match.index));
    order.push(tokens.get(match[0]) as Slot);
    last = match.index + match[0].length;
  }
  parts.push(text.slice(last));

  return (user, outputJson, argsJson) => {
    let line = parts[0] as string;
    for (let i = 0; i < order.length; i++) {
      const slot = order[i];
      line +=
        slot === 'user'
          ? JSON.stringify(user)
          : slot === 'output'
            ? JSON.stringify(outputJson)
            : slot === 'args'
              ? `[${argsJson.join(',')}]`
              : outputJson;
      line += parts[i + 1] as string;
    }
    return line;
  };
}
