import type OpenAI from 'openai';
import type { SwapAttempt } from '../errors.js';
import type { CompiledValidator } from '../validation/validator.js';
import type { TSchema } from '@sinclair/typebox';
import type { Message, RequestSpec } from './request.js';

type Completion = OpenAI.Chat.Completions.ChatCompletion;

/** A model reply read as the function's output: the value, or why it is not one. */
export type Reading =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly failure: SwapAttempt; readonly followUp: Message[] };

/**
 * Why a 200 reply is not a chat completion this module can read, or undefined when it is one.
 * The client returns whatever the server sent (text for an HTML page), typed as a completion:
 * everything `readAnswer` and `echo` touch is checked here, so a broken server or a proxy in
 * between is a failed attempt, never a TypeError.
 */
export function notACompletion(reply: unknown): string | undefined {
  const problem = shapeProblem(reply);
  return problem === undefined ? undefined : `the reply is not a chat completion (${problem}): ${excerpt(reply)}`;
}

function shapeProblem(reply: unknown): string | undefined {
  if (typeof reply === 'string') return 'it is text, not JSON';
  if (!isObject(reply)) return 'it is not a JSON object';
  const { choices } = reply;
  if (!Array.isArray(choices)) return 'it has no "choices" list';
  if (choices.length === 0) return '"choices" is empty';
  const message: unknown = isObject(choices[0]) ? choices[0]['message'] : undefined;
  if (!isObject(message)) return 'choices[0] has no "message" object';
  const calls = message['tool_calls'];
  if (calls != null && !(Array.isArray(calls) && calls.every((call) => isObject(call) && (call['type'] !== 'function' || isObject(call['function']))))) {
    return 'choices[0].message.tool_calls is not a list of calls';
  }
  if (message['function_call'] != null && !isObject(message['function_call'])) return 'choices[0].message.function_call is not an object';
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The start of what the server sent, on one line, enough to recognise a proxy's page. */
function excerpt(reply: unknown): string {
  const text = (typeof reply === 'string' ? reply : (JSON.stringify(reply) ?? String(reply))).replace(/\s+/g, ' ').trim();
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
}

/**
 * Reads the answer of one completion in the function's format, parses it and validates it. On
 * failure it also gives the messages that continue the conversation with the errors, the way
 * instructor re-asks: the model's own reply, then a function/tool/user message saying what to fix.
 * The reply must have passed {@link notACompletion}.
 */
export function readAnswer(spec: Pick<RequestSpec, 'format' | 'toolName'>, validator: CompiledValidator<TSchema>, completion: Completion): Reading {
  const choice = completion.choices[0] as Completion['choices'][number];
  const { message } = choice;
  const echoed = echo(message);
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    return failed({ kind: 'refusal', message: `the model refused: ${message.refusal}` }, echoed, spec);
  }
  if (choice.finish_reason === 'length') {
    return failed({ kind: 'length', message: 'the answer was cut off (finish_reason "length")' }, echoed, spec);
  }
  let text: string | null | undefined;
  if (spec.format === 'tools') {
    const call = message.tool_calls?.find((tool) => tool.type === 'function' && tool.function.name === spec.toolName);
    text = call?.type === 'function' ? call.function.arguments : undefined;
  } else if (spec.format === 'json') text = message.content;
  else text = message.function_call?.name === spec.toolName ? message.function_call.arguments : undefined;
  if (typeof text !== 'string') {
    const wanted = spec.format === 'json' ? 'no JSON content' : `no call to ${spec.toolName}`;
    return failed({ kind: 'no_call', message: `the reply has ${wanted}` }, echoed, spec);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return failed({ kind: 'json', message: `the answer is not JSON: ${(cause as Error).message}`, cause }, echoed, spec);
  }
  if (!validator.check(value)) {
    const issues = validator.issues();
    const detail = issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ');
    return failed({ kind: 'schema', message: detail, issues }, echoed, spec);
  }
  return { ok: true, value };
}

/** The model's reply as a message to send back. */
function echo(message: OpenAI.Chat.Completions.ChatCompletionMessage): Message[] {
  const reply: Record<string, unknown> = { role: 'assistant', content: message.content ?? null };
  if (message.tool_calls !== undefined && message.tool_calls.length > 0) reply['tool_calls'] = message.tool_calls;
  if (message.function_call != null) reply['function_call'] = message.function_call;
  if (reply['content'] === null && reply['tool_calls'] === undefined && reply['function_call'] === undefined) reply['content'] = message.refusal ?? '';
  return [reply as unknown as Message];
}

function failed(failure: SwapAttempt, echoed: Message[], spec: Pick<RequestSpec, 'toolName'>): Reading {
  const feedback = `Validation Error found:\n${failure.message}\nRecall the function correctly, fix the errors.`;
  const reply = echoed[0] as { tool_calls?: Array<{ id: string }>; function_call?: unknown } | undefined;
  // Every tool call must be answered by a tool message before the conversation can go on.
  const replies: Message[] =
    reply?.tool_calls !== undefined
      ? reply.tool_calls.map((call) => ({ role: 'tool', tool_call_id: call.id, content: feedback }))
      : reply?.function_call !== undefined
        ? [{ role: 'function', name: spec.toolName, content: feedback }]
        : [{ role: 'user', content: feedback }];
  return { ok: false, failure, followUp: [...echoed, ...replies] };
}
