import type OpenAI from 'openai';
import type { TSchema } from '@sinclair/typebox';
import type { SwapAttempt } from '../errors.js';
import type { CompiledValidator } from '../validation/validator.js';
import { notACompletion, readAnswer } from './answer.js';
import { chatRequest, type Message, type RequestSettings, type RequestSpec } from './request.js';
import { send, type SendContext } from './send.js';

export interface AskContext extends RequestSettings, SendContext {
  readonly spec: RequestSpec;
  readonly validator: CompiledValidator<TSchema>;
  readonly client: () => Promise<OpenAI>;
  readonly model: string;
  readonly maxRetries: number;
}

export interface Asked {
  /** The validated answer, when there is one. */
  readonly value?: unknown;
  readonly ok: boolean;
  /** Every failed attempt, in order. */
  readonly failures: readonly SwapAttempt[];
  /** Requests answered by the model (HTTP failures excluded). */
  readonly answers: number;
  readonly promptTokens: number;
  readonly completionTokens: number;
}

/**
 * Asks the model for one call's output: the training prompt (`swap()` builds it, `eval` replays
 * it from the dataset), then up to `maxRetries` re-asks with the validation errors. Failed
 * requests are retried by `send` (transient ones only), not re-asked here; nor is a reply that
 * is not a chat completion, which is the server's fault, not the model's, nor an answer cut off
 * by the token limit.
 */
export async function ask(context: AskContext, prompt: readonly Message[]): Promise<Asked> {
  const client = await context.client();
  const messages = [...prompt];
  const failures: SwapAttempt[] = [];
  let answers = 0;
  let promptTokens = 0;
  let completionTokens = 0;
  const done = (ok: boolean, value?: unknown): Asked => ({ ok, value, failures, answers, promptTokens, completionTokens });
  for (let attempt = 0; attempt <= context.maxRetries; attempt++) {
    const sent = await send(client, chatRequest(context.spec, context.model, messages, context), context);
    if (!sent.ok) {
      failures.push(sent.failure);
      // A cut-off answer the server reports as an error (llama.cpp) is still the model's answer.
      if (sent.failure.kind === 'length') answers++;
      return done(false);
    }
    const { completion } = sent;
    const malformed = notACompletion(completion);
    if (malformed !== undefined) {
      // The server (or a proxy in front of it) is broken, not the model: asking again would not help.
      failures.push({ kind: 'malformed', message: malformed });
      return done(false);
    }
    answers++;
    promptTokens += count(completion.usage?.prompt_tokens);
    completionTokens += count(completion.usage?.completion_tokens);
    const reading = readAnswer(context.spec, context.validator, completion, context.server);
    if (reading.ok) return done(true, reading.value);
    failures.push(reading.failure);
    if (!reading.reask) return done(false);
    messages.push(...reading.followUp);
  }
  return done(false);
}

/** A token count as reported, or 0 when the server sent none (or something else). */
function count(tokens: unknown): number {
  return typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : 0;
}
