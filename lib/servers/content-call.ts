/**
 * A tool call some servers leave in `content` instead of `tool_calls`, read as the call's
 * arguments text. The shapes are those open servers leave when they have no parser for the
 * model's call syntax (see each server's profile): a Hermes/Qwen `<tool_call>{...}</tool_call>`
 * block, a list or a single object `{"name", "arguments" | "parameters"}`, or the arguments as
 * bare JSON. Undefined when `content` holds none of them.
 */
export function callInContent(content: string, toolName: string): string | undefined {
  const tagged = /<tool_call>([\s\S]*?)(?:<\/tool_call>|$)/.exec(content);
  const text = (tagged?.[1] ?? content).trim();
  if (!(text.startsWith('{') || text.startsWith('['))) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    // Not a call in any shape: let the reader report the text as it is.
    return undefined;
  }
  const calls = Array.isArray(value) ? value : [value];
  for (const call of calls) {
    if (!isObject(call)) continue;
    const args = call['arguments'] ?? call['parameters'];
    if (call['name'] === toolName && args !== undefined) return argumentsText(args);
  }
  // A lone object that is not a call is the arguments themselves (a model trained on 'json' lines).
  return !Array.isArray(value) && isObject(value) && !('name' in value && ('arguments' in value || 'parameters' in value)) ? text : undefined;
}

/** Arguments as JSON text: servers send a string (OpenAI's shape) or the object itself (Ollama's native one). */
export function argumentsText(args: unknown): string | undefined {
  if (typeof args === 'string') return args;
  return isObject(args) ? JSON.stringify(args) : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
