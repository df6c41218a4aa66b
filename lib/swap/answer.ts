import type OpenAI from 'openai';
import type { SwapAttempt } from '../errors.js';
import type { CompiledValidator } from '../validation/validator.js';
import type { TSchema } from '@sinclair/typebox';
import type { Message, RequestSpec } from './request.js';
import type { ServerProfile } from '../servers/types.js';
import { argumentsText, callInContent } from '../servers/content-call.js';

type Completion = OpenAI.Chat.Completions.ChatCompletion;

/** A model reply read as the function's output: the value, or why it is not one. */
export type Reading =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly failure: SwapAttempt; readonly followUp: Message[]; readonly reask: boolean };

/**
 * Why a 200 reply is not a chat completion this module can read, or undefined when it is one.
 * The client returns whatever the server sent (text for an HTML page), typed as a completion:
 * everything `readAnswer` touches is checked here, so a broken server or a proxy in
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
 * instructor re-asks, in a shape every server accepts: the model's answer as plain assistant
 * text, then the feedback as a user message. Never an echoed tool call, whose `arguments` may not
 * be JSON (SGLang and Ollama refuse those), nor a reply cut off by the token limit, which would
 * be sent back longer than it could be answered (`reask: false`). The reply must have passed
 * {@link notACompletion}.
 */
export function readAnswer(
  spec: Pick<RequestSpec, 'format' | 'toolName'>,
  validator: CompiledValidator<TSchema>,
  completion: Completion,
  server: Pick<ServerProfile, 'callsInContent'>,
): Reading {
  const choice = completion.choices[0] as Completion['choices'][number];
  const { message } = choice;
  if (typeof message.refusal === 'string' && message.refusal !== '') {
    return failed({ kind: 'refusal', message: `the model refused: ${message.refusal}` }, message.refusal);
  }
  if (choice.finish_reason === 'length') {
    return { ok: false, failure: { kind: 'length', message: 'the answer was cut off by the token limit (finish_reason "length")' }, followUp: [], reask: false };
  }
  const text = answerText(spec, message, server);
  if (typeof text !== 'string') {
    const wanted = spec.format === 'json' ? 'no JSON content' : `no call to ${spec.toolName}`;
    return failed({ kind: 'no_call', message: `the reply has ${wanted}` }, message.content ?? '');
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return failed({ kind: 'json', message: `the answer is not JSON: ${(cause as Error).message}`, cause }, text);
  }
  if (!validator.check(value)) {
    const issues = validator.issues();
    const detail = issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ');
    return failed({ kind: 'schema', message: detail, issues }, text);
  }
  return { ok: true, value };
}

/** The answer's JSON text where the format (and the server) puts it, if the reply has one. */
function answerText(spec: Pick<RequestSpec, 'format' | 'toolName'>, message: Completion['choices'][number]['message'], server: Pick<ServerProfile, 'callsInContent'>): string | undefined {
  if (spec.format === 'json') return message.content ?? undefined;
  if (spec.format === 'messages') return message.function_call?.name === spec.toolName ? argumentsText(message.function_call.arguments) : undefined;
  const call = message.tool_calls?.find((tool) => tool.type === 'function' && tool.function.name === spec.toolName);
  if (call?.type === 'function') return argumentsText(call.function.arguments);
  const content = message.content;
  return server.callsInContent && typeof content === 'string' ? callInContent(content, spec.toolName) : undefined;
}

function failed(failure: SwapAttempt, answer: string): Reading {
  const feedback = `Validation Error found:\n${failure.message}\nRecall the function correctly, fix the errors.`;
  return { ok: false, failure, followUp: [{ role: 'assistant', content: answer }, { role: 'user', content: feedback }], reask: true };
}
