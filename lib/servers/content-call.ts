/**
 * A tool call some servers leave in `content` instead of `tool_calls`, read as the call's
 * arguments text. The shapes are those open servers leave when they have no parser for the
 * model's call syntax (see each server's profile): Hermes/Qwen `<tool_call>{...}</tool_call>`
 * blocks, a list or a single object `{"name", "arguments" | "parameters"}`, or the arguments as
 * bare JSON. The first call that names `toolName` wins; with none, a lone JSON object is taken as
 * the arguments themselves (what a model trained on `'json'` lines answers), which the schema
 * then checks. Undefined when `content` holds no JSON at all.
 */
export function callInContent(content: string, toolName: string): string | undefined {
  const blocks = [...content.matchAll(/<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/g)].map((match) => (match[1] ?? '').trim());
  const texts = blocks.length > 0 ? blocks : [content.trim()];
  const values: Array<{ text: string; value: unknown }> = [];
  for (const text of texts) {
    if (!(text.startsWith('{') || text.startsWith('['))) continue;
    try {
      values.push({ text, value: JSON.parse(text) });
    } catch {
      // Not a call in any shape: the next block may be one.
    }
  }
  for (const { value } of values) {
    for (const call of Array.isArray(value) ? value : [value]) {
      if (!isObject(call) || call['name'] !== toolName) continue;
      const args = argumentsText(call['arguments'] ?? call['parameters']);
      if (args !== undefined) return args;
    }
  }
  const lone = values.length === 1 ? values[0] : undefined;
  return lone !== undefined && isObject(lone.value) ? lone.text : undefined;
}

/** Arguments as JSON text: servers send a string (OpenAI's shape) or the object itself (Ollama's native one). */
export function argumentsText(args: unknown): string | undefined {
  if (typeof args === 'string') return args;
  return isObject(args) ? JSON.stringify(args) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
