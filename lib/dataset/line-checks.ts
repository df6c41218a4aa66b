import { callPath, checkCall, checkFunctions, checkTools } from './calls.js';
import type { IssueSink } from './issues.js';
import type { ParameterValidators } from './parameters.js';
import { describe, isObject, typeIsNotFunction } from './values.js';

type Role = 'system' | 'user' | 'assistant' | 'tool' | 'function';
type PartType = 'text' | 'refusal' | 'image_url' | 'input_audio' | 'file';
type Json = Record<string, unknown>;

const lineKeys = new Set(['messages', 'tools', 'parallel_tool_calls', 'functions']);

// The keys OpenAI's schema names for each role (FineTuneChatRequestInput, 2025-04). The schema
// does not forbid others, but OpenAI's data preparation check (cookbook,
// Chat_finetuning_data_prep.ipynb) counts them as format errors ("message_unrecognized_key").
const messageKeys: Readonly<Record<Role, ReadonlySet<string>>> = {
  system: new Set(['role', 'content', 'name']),
  user: new Set(['role', 'content', 'name']),
  assistant: new Set(['role', 'content', 'name', 'refusal', 'audio', 'tool_calls', 'function_call', 'weight']),
  tool: new Set(['role', 'content', 'tool_call_id']),
  function: new Set(['role', 'content', 'name']),
};

const textParts: readonly PartType[] = ['text'];
const userParts: readonly PartType[] = ['text', 'image_url', 'input_audio', 'file'];
const assistantParts: readonly PartType[] = ['text', 'refusal'];

/**
 * Runs every per-line check on one line's object (whether a line is JSON and an object at all is
 * `parseExampleLine`'s to say, line-rules.ts); issues go to `log` at its current line.
 */
export function checkLine(value: Readonly<Record<string, unknown>>, log: IssueSink, validators: ParameterValidators): void {
  for (const key in value) {
    if (!lineKeys.has(key)) log.add('unknown_line_key', `the line has the key ${JSON.stringify(key)}, which is not part of a training example (messages, tools, parallel_tool_calls, functions): remove it.`);
  }
  const parallel = value['parallel_tool_calls'];
  if (parallel !== undefined && typeof parallel !== 'boolean') log.add('invalid_field', `parallel_tool_calls must be true or false, not ${describe(parallel)}.`);
  if (value['tools'] !== undefined) checkTools(value['tools'], log);
  if (value['functions'] !== undefined) checkFunctions(value['functions'], log);

  const messages = value['messages'];
  if (messages === undefined) {
    log.add('missing_messages', 'the line has no "messages": each example is {"messages": [...]} with at least an assistant message.');
    return;
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    log.add('invalid_messages', `"messages" is ${describe(messages)}; it must be a non-empty list of messages.`);
    return;
  }
  let system = false;
  let user = false;
  let assistant = false;
  for (let i = 0; i < messages.length; i++) {
    const message: unknown = messages[i];
    if (!isObject(message)) {
      log.add('invalid_message', `messages[${i}] is ${describe(message)}, not a message object.`);
      continue;
    }
    const role = message['role'];
    switch (role) {
      case 'system':
        system = true;
        content(message, i, role, textParts, false, log);
        name(message, i, role, false, log);
        break;
      case 'user':
        user = true;
        content(message, i, role, userParts, false, log);
        name(message, i, role, false, log);
        break;
      case 'assistant':
        assistant = true;
        checkAssistant(message, i, value, log, validators);
        break;
      case 'tool':
        content(message, i, role, textParts, false, log);
        if (typeof message['tool_call_id'] !== 'string') log.add('invalid_field', `messages[${i}] (tool) needs a string "tool_call_id", the id of the call it answers; it has ${describe(message['tool_call_id'])}.`);
        break;
      case 'function':
        content(message, i, role, undefined, true, log);
        name(message, i, role, true, log);
        break;
      default:
        log.add('invalid_role', `messages[${i}] has role ${describe(role)}; use system, user, assistant, tool or function.`);
        continue;
    }
    const allowed = messageKeys[role as Role];
    for (const key in message) {
      if (!allowed.has(key)) log.add('unknown_key', `messages[${i}] (${role}) has the key ${JSON.stringify(key)}, which is not part of the chat format for ${role} messages: OpenAI's data check may refuse it and other trainers ignore it; remove it.`);
    }
  }
  if (!assistant) log.add('no_assistant_message', 'the example has no assistant message, so there is nothing to learn: add the answer as an assistant message.');
  if (!system) log.add('no_system_message', 'the example has no system message; the same system prompt on every example usually helps.');
  if (!user) log.add('no_user_message', 'the example has no user message.');
}

function checkAssistant(message: Json, i: number, line: Json, log: IssueSink, validators: ParameterValidators): void {
  const weight = message['weight'];
  if (weight !== undefined && weight !== 0 && weight !== 1) log.add('invalid_weight', `messages[${i}] has weight ${describe(weight)}; weight is 0 (do not train on this message) or 1.`);
  const contentOk = content(message, i, 'assistant', assistantParts, true, log);
  name(message, i, 'assistant', false, log);
  const refusal = message['refusal'];
  if (refusal !== undefined && refusal !== null && typeof refusal !== 'string') log.add('invalid_field', `messages[${i}] has a refusal that is ${describe(refusal)}, not a string.`);
  const audio = message['audio'];
  if (audio !== undefined && audio !== null && !(isObject(audio) && typeof audio['id'] === 'string')) log.add('invalid_field', `messages[${i}] has an audio that is not {"id": "..."}.`);

  let calls = false;
  const toolCalls = message['tool_calls'];
  if (toolCalls !== undefined) {
    if (!Array.isArray(toolCalls)) log.add('invalid_tool_call', `messages[${i}].tool_calls is ${describe(toolCalls)}, not a list of tool calls.`);
    else {
      calls = toolCalls.length > 0;
      for (let j = 0; j < toolCalls.length; j++) checkToolCall(toolCalls[j], i, j, line, log, validators);
    }
  }
  const functionCall = message['function_call'];
  if (functionCall !== undefined && functionCall !== null) {
    calls = true;
    if (!isObject(functionCall) || typeof functionCall['name'] !== 'string' || typeof functionCall['arguments'] !== 'string') {
      log.add('invalid_function_call', `${callPath(i, -1)} must be {"name": "...", "arguments": "..."} with both strings.`);
    } else {
      checkCall(functionCall['name'], functionCall['arguments'], line, i, -1, log, validators);
    }
  }
  if (!contentOk || calls) return;
  const text = message['content'];
  if (text === undefined || text === null || text === '') {
    log.add('missing_content', `messages[${i}] (assistant) has no content, tool call or function call: give the answer it should learn.`);
  }
}

function checkToolCall(call: unknown, i: number, j: number, line: Json, log: IssueSink, validators: ParameterValidators): void {
  const where = (): string => `messages[${i}].tool_calls[${j}]`;
  if (!isObject(call)) return log.add('invalid_tool_call', `${where()} is ${describe(call)}, not a tool call.`);
  if (typeof call['id'] !== 'string') log.add('invalid_tool_call', `${where()} has no string "id" (any id, e.g. "call_0").`);
  if (call['type'] !== 'function') log.add('invalid_tool_call', `${where()} ${typeIsNotFunction(call['type'])}.`);
  const fn = call['function'];
  if (!isObject(fn) || typeof fn['name'] !== 'string' || typeof fn['arguments'] !== 'string') {
    const objectArguments = isObject(fn) && typeof fn['arguments'] === 'object' && fn['arguments'] !== null;
    const why = objectArguments ? ': its arguments are an object, which open-weight chat templates take (dataset convert --arguments object) but OpenAI does not' : '';
    return log.add('invalid_tool_call', `${where()}.function must be {"name": "...", "arguments": "..."} with both strings${why}.`);
  }
  checkCall(fn['name'], fn['arguments'], line, i, j, log, validators);
}

/**
 * Checks a message's `content` against what its role takes: a string, content parts of the
 * allowed types (none when `parts` is undefined), or null where `nullable`. Returns whether it
 * is well-formed; a missing `content` is well-formed only for assistant messages.
 */
function content(message: Json, i: number, role: Role, parts: readonly PartType[] | undefined, nullable: boolean, log: IssueSink): boolean {
  const value = message['content'];
  if (typeof value === 'string') return true;
  if (value === undefined) {
    if (role === 'assistant') return true;
    log.add('invalid_content', `messages[${i}] (${role}) has no content.`);
    return false;
  }
  if (value === null && nullable) return true;
  const problem = Array.isArray(value) && parts !== undefined ? partsProblem(value, parts) : `is ${describe(value)}, not ${parts === undefined ? 'a string' : 'a string or a list of content parts'}`;
  if (problem === undefined) return true;
  log.add('invalid_content', `messages[${i}] (${role}) content ${problem}.`);
  return false;
}

function partsProblem(parts: readonly unknown[], allowed: readonly PartType[]): string | undefined {
  if (parts.length === 0) return 'is an empty list';
  for (let k = 0; k < parts.length; k++) {
    const part = parts[k];
    const type = isObject(part) ? part['type'] : undefined;
    if (!isObject(part) || !allowed.includes(type as PartType)) return `part ${k} is not one of the parts this role takes (${allowed.join(', ')})`;
    if (!partShapes[type as PartType](part)) return `part ${k} (${String(type)}) is missing its fields or has the wrong types`;
  }
  return undefined;
}

const optionalString = (value: unknown): boolean => value === undefined || typeof value === 'string';
const partShapes: Readonly<Record<PartType, (part: Json) => boolean>> = {
  text: (part) => typeof part['text'] === 'string',
  refusal: (part) => typeof part['refusal'] === 'string',
  image_url: (part) => {
    const image = part['image_url'];
    return isObject(image) && typeof image['url'] === 'string' && (image['detail'] === undefined || image['detail'] === 'auto' || image['detail'] === 'low' || image['detail'] === 'high');
  },
  input_audio: (part) => {
    const audio = part['input_audio'];
    return isObject(audio) && typeof audio['data'] === 'string' && (audio['format'] === 'wav' || audio['format'] === 'mp3');
  },
  file: (part) => {
    const file = part['file'];
    return isObject(file) && optionalString(file['filename']) && optionalString(file['file_data']) && optionalString(file['file_id']);
  },
};

function name(message: Json, i: number, role: Role, required: boolean, log: IssueSink): void {
  const value = message['name'];
  if (typeof value === 'string' || (value === undefined && !required)) return;
  log.add('invalid_field', `messages[${i}] (${role}) ${value === undefined ? 'needs a string "name"' : `has a name that is ${describe(value)}, not a string`}.`);
}
