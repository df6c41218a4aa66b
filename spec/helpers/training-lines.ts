import { writeFileSync } from 'node:fs';

/** The declared function the fixtures call: integer a, b and their product. */
export const multiplyParameters = {
  type: 'object',
  properties: { a: { type: 'integer' }, b: { type: 'integer' }, result: { type: 'integer' } },
  required: ['a', 'b', 'result'],
  additionalProperties: false,
};

export const system = { role: 'system', content: 'Predict the results of this function:\n\nmultiply(a, b)' };
export const tools = [{ type: 'function', function: { name: 'multiply', description: 'The product of two integers', parameters: multiplyParameters } }];
export const functions = [{ name: 'multiply', description: 'The product of two integers', parameters: multiplyParameters }];

const user = (a: number): { role: 'user'; content: string } => ({ role: 'user', content: `Return multiply(${a}, 7)` });
const args = (a: number): string => JSON.stringify({ a, b: 7, result: a * 7 });

/** A valid `'tools'`-format line; different for each `a`. */
export function toolsLine(a: number): Record<string, unknown> {
  return { messages: [system, user(a), { role: 'assistant', tool_calls: [{ id: 'call_0', type: 'function', function: { name: 'multiply', arguments: args(a) } }] }], tools };
}

/** A valid `'messages'`-format line (deprecated `functions`); different for each `a`. */
export function functionsLine(a: number): Record<string, unknown> {
  return { messages: [system, user(a), { role: 'assistant', function_call: { name: 'multiply', arguments: args(a) } }], functions };
}

/** A valid plain chat line; different for each `a`. */
export function chatLine(a: number): Record<string, unknown> {
  return { messages: [system, user(a), { role: 'assistant', content: args(a) }] };
}

/** Writes lines (objects are serialized, strings written as they are) as a JSONL file. */
export function writeLines(file: string, lines: ReadonlyArray<unknown>): string {
  writeFileSync(file, lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n') + '\n');
  return file;
}
