import type { PromptSpec } from '../prompt/prompt.js';
import { jsonExample } from './json.js';
import { messagesExample } from './messages.js';
import { rawExample } from './raw.js';
import type { CallSlots } from './slots.js';
import { toolsExample } from './tools.js';
import type { Example, ExampleFormat } from './types.js';

export type ExampleBuilder = (spec: PromptSpec, call: CallSlots) => Example;

/** One builder per format: the only place each line shape is defined. */
export const exampleBuilders: Readonly<Record<ExampleFormat, ExampleBuilder>> = {
  messages: messagesExample,
  tools: toolsExample,
  json: jsonExample,
  raw: rawExample,
};

export const exampleFormats = Object.keys(exampleBuilders) as readonly ExampleFormat[];
