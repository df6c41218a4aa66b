import type { ExampleFormat } from '../formats/types.js';
import type { JsonSchema } from '../schema/plain.js';

/**
 * Everything the prompt depends on, fixed when a function is wrapped. `distil()` and `swap()`
 * both build their messages from it, so training and serving prompts cannot drift apart.
 */
export interface PromptSpec {
  /** Function name as the model sees it: `Return <name>(...)`. */
  readonly name: string;
  /** Signature (or source) and description: the `<definition>` of the system prompt. */
  readonly definition: string;
  /** Function/tool name of the output schema, e.g. `Multiply`. */
  readonly toolName: string;
  readonly toolDescription: string;
  /** The output schema as plain JSON Schema. */
  readonly parameters: JsonSchema;
  readonly format: ExampleFormat;
}

/** The system message: what the function is and, for `'json'`, the schema to answer with. */
export function systemContent(spec: PromptSpec): string {
  const intro = `Predict the results of this function:\n\n${spec.definition}`;
  return spec.format === 'json' ? intro + schemaInstruction(spec.toolName, spec.parameters) : intro;
}

/**
 * What a `'json'` system prompt appends to the part every format shares: the schema to answer
 * with. `dataset convert` adds or removes exactly this (dataset/example.ts parses it back).
 */
export function schemaInstruction(toolName: string, parameters: JsonSchema): string {
  return `\n\nAnswer with only a JSON object, the ${toolName}, matching this JSON Schema:\n${JSON.stringify(parameters)}`;
}

/**
 * The function/tool description when none is given: the schema's own `description`, else a
 * generic one. `dataset convert` uses it for lines that do not carry a description (`'json'`).
 */
export function defaultToolDescription(toolName: string, schema: { readonly description?: unknown }): string {
  return typeof schema.description === 'string' && schema.description !== ''
    ? schema.description
    : `Correctly extracted \`${toolName}\` with all the required parameters with correct types`;
}

/** The user message for one call, from each argument already serialized as JSON. */
export function userContent(name: string, argsJson: readonly string[]): string {
  return `Return ${name}(${argsJson.join(', ')})`;
}

/** `<definition>`: `name(a, b)` (or the source) followed by the description, if any. */
export function definition(
  name: string,
  signature: { readonly params: readonly string[]; readonly rest: string | undefined },
  source: string | undefined,
  description: string | undefined,
): string {
  const params = signature.rest === undefined ? signature.params : [...signature.params, `...${signature.rest}`];
  const head = source ?? `${name}(${params.join(', ')})`;
  return description === undefined || description === '' ? head : `${head}\n\n${description}`;
}
