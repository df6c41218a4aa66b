import type OpenAI from 'openai';
import type { TSchema } from '@sinclair/typebox';
import type { SwapAttempt } from '../errors.js';
import type { CompiledValidator } from '../validation/validator.js';
import { classNames } from '../openai/class-names.js';
import { notACompletion, readAnswer } from './answer.js';
import { linkSignal } from './linked-signal.js';
import { chatRequest, type Message, type RequestSpec } from './request.js';

export interface AskContext {
  readonly spec: RequestSpec;
  readonly validator: CompiledValidator<TSchema>;
  readonly client: () => Promise<OpenAI>;
  readonly model: string;
  readonly omitSchema: boolean;
  readonly temperature: number | undefined;
  readonly maxRetries: number;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
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
 * it from the dataset), then up to `maxRetries` re-asks with the validation errors. HTTP
 * failures are not re-asked here: the client has already retried them by its own settings; nor
 * is a reply that is not a chat completion, which is the server's fault, not the model's.
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
    const body = chatRequest(context.spec, context.model, messages, context);
    let completion: OpenAI.Chat.Completions.ChatCompletion;
    const sent = performance.now();
    const linked = linkSignal(context.signal);
    try {
      completion = await client.chat.completions.create(body, {
        ...(context.timeoutMs === undefined ? {} : { timeout: context.timeoutMs }),
        ...(linked === undefined ? {} : { signal: linked.signal }),
      });
    } catch (cause) {
      failures.push(httpFailure(cause, context, performance.now() - sent));
      return done(false);
    } finally {
      linked?.dispose();
    }
    const malformed = notACompletion(completion);
    if (malformed !== undefined) {
      // The server (or a proxy in front of it) is broken, not the model: asking again would not help.
      failures.push({ kind: 'malformed', message: malformed });
      return done(false);
    }
    answers++;
    promptTokens += count(completion.usage?.prompt_tokens);
    completionTokens += count(completion.usage?.completion_tokens);
    const reading = readAnswer(context.spec, context.validator, completion);
    if (reading.ok) return done(true, reading.value);
    failures.push(reading.failure);
    messages.push(...reading.followUp);
  }
  return done(false);
}

/** A token count as reported, or 0 when the server sent none (or something else). */
function count(tokens: unknown): number {
  return typeof tokens === 'number' && Number.isFinite(tokens) ? tokens : 0;
}

function httpFailure(cause: unknown, context: AskContext, elapsedMs: number): SwapAttempt {
  const message = (cause as Error | undefined)?.message ?? String(cause);
  // openai's errors all have `name` 'Error'; their classes tell them apart.
  const classes = classNames(cause);
  if (context.signal?.aborted === true || classes.has('APIUserAbortError')) return { kind: 'aborted', message: 'the request was aborted', cause };
  const timedOut = classes.has('APIConnectionTimeoutError') || (classes.has('APIConnectionError') && unnamedTimeout(cause, context, elapsedMs));
  if (timedOut) return { kind: 'timeout', message: `the request timed out after ${Math.round(elapsedMs)} ms: ${message}`, cause };
  return { kind: 'http', message, cause };
}

/**
 * Whether a connection error the client did not call a timeout was one all the same. Where
 * fetch runs in another realm than the client (test runners, vm contexts), the client cannot
 * recognise the abort of its own timer and says only "Connection error.", with a cause that
 * has lost its name. By the Fetch standard a network failure rejects with a TypeError: that, or
 * a system error code, is a connection that failed (refused, reset, unknown host) however long
 * the client's retries took. Only a cause that says neither leaves the clock to decide.
 */
function unnamedTimeout(error: unknown, context: AskContext, elapsedMs: number): boolean {
  const causes: Array<{ name?: unknown; message?: unknown; code?: unknown }> = [];
  for (let cause = (error as { cause?: unknown }).cause; typeof cause === 'object' && cause !== null && causes.length < 8; cause = (cause as { cause?: unknown }).cause) {
    causes.push(cause);
  }
  // The client's own test, for a timeout it could not see through the realm boundary.
  if (causes.some(({ name, message }) => name === 'AbortError' || name === 'TimeoutError' || /timed? ?out/i.test(String(message)))) return true;
  if (causes.some(({ name, code }) => name === 'TypeError' || typeof code === 'string')) return false;
  return context.timeoutMs !== undefined && elapsedMs >= context.timeoutMs;
}
