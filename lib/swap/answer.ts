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
 * Reads the answer of one completion in the function's format, parses it and validates it. On
 * failure it also gives the messages that continue the conversation with the errors, the way
 * instructor re-asks: the model's own reply, then a function/tool/user message saying what to fix.
 */
export function readAnswer(spec: Pick<RequestSpec, 'format' | 'toolName'>, validator: CompiledValidator<TSchema>, completion: Completion): Reading {
  const choice = completion.choices[0];
  const message = choice?.message;
  if (message === undefined) return failed({ kind: 'no_call', message: 'the reply has no choices' }, [], spec);
  const echoed = echo(message);
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    return failed({ kind: 'refusal', message: `the model refused: ${message.refusal}` }, echoed, spec);
  }
  if (choice?.finish_reason === 'length') {
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
