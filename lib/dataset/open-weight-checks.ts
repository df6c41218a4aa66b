// The checks of the shapes open-weight trainers read: a 'json' line's answer against the schema
// its system prompt declares, and TRL's conversational prompt-completion lines.
import { schemaDeclaration } from './example.js';
import type { IssueSink } from './issues.js';
import { checkLine } from './line-checks.js';
import { promptCompletionChat } from './line-rules.js';
import type { ParameterValidators } from './parameters.js';
import { escapeControls, isObject } from './values.js';

const promptCompletionKeys = new Set(['prompt', 'completion', 'tools']);

/**
 * Checks the answer of a `'json'`-format line: when the first system message declares a JSON
 * Schema (*Answer with only a JSON object, the <name>, matching this JSON Schema: ...*, as
 * `distil()` writes it) and the last message is the assistant's text, that text must be JSON
 * the schema accepts. Each distinct schema is compiled once.
 */
export function checkJsonAnswer(messages: readonly unknown[], log: IssueSink, validators: ParameterValidators): void {
  const i = messages.length - 1;
  const last = messages[i];
  if (!isObject(last) || last['role'] !== 'assistant' || typeof last['content'] !== 'string') return;
  if (last['tool_calls'] !== undefined || (last['function_call'] !== undefined && last['function_call'] !== null)) return;
  let system: unknown;
  for (const message of messages) {
    if (isObject(message) && message['role'] === 'system') {
      system = message['content'];
      break;
    }
  }
  const declared = typeof system === 'string' ? schemaDeclaration(system) : undefined;
  if (declared === undefined) return;
  const name = JSON.stringify(declared.toolName);
  let answer: unknown;
  try {
    answer = JSON.parse(last['content']);
  } catch (error) {
    return log.add('invalid_answer', `messages[${i}].content is not valid JSON (${escapeControls((error as Error).message)}), but the system prompt asks for a JSON ${name} matching its schema.`);
  }
  const check = validators.fromText(declared.schemaText);
  if ('problem' in check) {
    return log.add('invalid_parameters', `the JSON Schema of ${name} in the system prompt is not one that compiles (${escapeControls(check.problem)}), so the answer cannot be checked.`);
  }
  if (!check.validate(answer)) {
    const error = check.validate.errors?.[0];
    const detail = error === undefined ? 'rejected' : `${error.instancePath === '' ? '(root)' : error.instancePath} ${error.message ?? error.keyword}`;
    log.add('answer_mismatch', `messages[${i}].content does not match the JSON Schema of ${name} in the system prompt: ${detail}.`);
  }
}

/**
 * Runs every per-line check on a prompt-completion line (line-rules.ts `isPromptCompletion`), read as the
 * chat example of its prompt then its completion messages, with its `tools`: issues name
 * `prompt[i]` and `completion[j]` instead of `messages[k]`. Tool call arguments may be objects
 * here (templates take them so; OpenAI never reads these lines): they are checked as values.
 */
export function checkPromptCompletion(value: Readonly<Record<string, unknown>>, log: IssueSink, validators: ParameterValidators): void {
  for (const key in value) {
    if (!promptCompletionKeys.has(key)) log.add('unknown_line_key', `the line has the key ${JSON.stringify(key)}, which is not part of a prompt-completion example (prompt, completion, tools): remove it.`);
  }
  const prompt = value['prompt'] as readonly unknown[];
  const completion = value['completion'] as readonly unknown[];
  if (completion.length === 0) log.add('invalid_messages', '"completion" is an empty list; it must hold the assistant\'s answer, the message to learn.');
  const n = prompt.length;
  const renamed: IssueSink = {
    add: (check, message) => log.add(check, message.replace(/messages\[(\d+)\]/g, (_, k: string) => (Number(k) < n ? `prompt[${k}]` : `completion[${Number(k) - n}]`))),
  };
  const chat = promptCompletionChat(value);
  const messages = chat.messages.map((message, k) => (k < n ? message : withStringArguments(message)));
  checkLine({ ...chat, messages }, renamed, validators);
  checkJsonAnswer(messages, renamed, validators);
}

/** An assistant message whose tool calls' object arguments are given as their JSON text, as checkCall reads them. */
function withStringArguments(message: unknown): unknown {
  if (!isObject(message) || !Array.isArray(message['tool_calls'])) return message;
  const calls = message['tool_calls'].map((call: unknown) => {
    const fn = isObject(call) ? call['function'] : undefined;
    if (!isObject(call) || !isObject(fn) || fn['arguments'] === undefined || typeof fn['arguments'] === 'string') return call;
    return { ...call, function: { ...fn, arguments: JSON.stringify(fn['arguments']) } };
  });
  return { ...message, tool_calls: calls };
}
