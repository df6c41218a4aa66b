import type OpenAI from 'openai';
import type { SwapAttempt } from '../errors.js';
import { classNames } from '../openai/class-names.js';
import type { ServerProfile } from '../servers/types.js';
import { linkSignal } from './linked-signal.js';

type Body = OpenAI.Chat.Completions.ChatCompletionCreateParamsNonStreaming;
type Completion = OpenAI.Chat.Completions.ChatCompletion;

/** What sending needs: the server, the timeout and signal of each attempt, and the rejections seen so far. */
export interface SendContext {
  readonly server: ServerProfile;
  readonly timeoutMs: number | undefined;
  readonly signal: AbortSignal | undefined;
  /**
   * Server errors already seen to repeat (status and message), shared by every call of one
   * wrapper or eval run: such an error is the server's configuration, not a passing fault, and
   * is not retried again.
   */
  readonly rejections: Set<string>;
}

/** A completion, or why there is none. */
export type Sent = { readonly ok: true; readonly completion: Completion } | { readonly ok: false; readonly failure: SwapAttempt };

/**
 * Sends one chat request, retrying what can pass with the client's own retry budget
 * (`client.maxRetries`) and backoff, as the client would (openai-node `shouldRetry`: connection
 * failures, timeouts, 408, 409, 429, 5xx, or the server's `x-should-retry`), except for what
 * cannot pass: a 4xx is a request the server refuses, and a 500 or 501 that comes back the same is
 * its configuration (llama.cpp's 500 "tools param requires --jinja flag"). Both are `'rejected'`,
 * never retried; later calls skip the retries for such a 500 until the server answers again.
 */

export async function send(client: OpenAI, body: Body, context: SendContext): Promise<Sent> {
  const budget = Number.isInteger(client.maxRetries) && client.maxRetries >= 0 ? client.maxRetries : 2;
  let previous: string | undefined;
  for (let retry = 0; ; retry++) {
    const sent = performance.now();
    const linked = linkSignal(context.signal);
    const deadline = attemptDeadline(context.timeoutMs, linked?.signal);
    const signal = deadline?.signal ?? linked?.signal;
    try {
      const completion = await client.chat.completions.create(body, {
        maxRetries: 0,
        ...(context.timeoutMs === undefined ? {} : { timeout: context.timeoutMs }),
        ...(signal === undefined ? {} : { signal }),
      });
      // A server that answers again has been fixed (or restarted): retry its errors again.
      context.rejections.clear();
      return { ok: true, completion };
    } catch (cause) {
      const elapsed = performance.now() - sent;
      const failure: SwapAttempt =
        deadline?.expired() === true && context.signal?.aborted !== true
          ? { kind: 'timeout', message: `no complete reply within ${context.timeoutMs} ms: the server sent nothing, or stopped part-way through the body`, cause }
          : requestFailure(cause, context, elapsed);
      const status = statusOf(cause);
      if (failure.kind !== 'http' && failure.kind !== 'timeout') return { ok: false, failure };
      if (status !== undefined && context.server.cutOff?.test(failure.message) === true) {
        return { ok: false, failure: { kind: 'length', message: `the answer was cut off by the token limit or the context, or is not in the format the server's grammar expects (the server said: ${failure.message})`, cause } };
      }
      if (status !== undefined && !retryable(cause, status)) return { ok: false, failure: { ...failure, kind: 'rejected' } };
      // Only an internal error that comes back the same is configuration (llama.cpp's 500 "tools
      // param requires --jinja flag"): 429 and 502-504 are the outages retries are for, and a
      // server that says to retry (x-should-retry, retry-after) is believed.
      const configuration = (status === 500 || status === 501) && header(cause, 'x-should-retry') !== 'true' && !header(cause, 'retry-after');
      const key = configuration ? `${status} ${failure.message}` : undefined;
      if (key !== undefined && (context.rejections.has(key) || key === previous)) {
        context.rejections.add(key);
        return { ok: false, failure: { ...failure, kind: 'rejected', message: `${failure.message} (the same error again: the server's configuration, not a passing fault)` } };
      }
      if (retry >= budget) return { ok: false, failure };
      previous = key;
      if (!(await pause(retryDelay(cause, retry), context.signal))) return { ok: false, failure: { kind: 'aborted', message: 'the request was aborted', cause } };
    } finally {
      deadline?.dispose();
      linked?.dispose();
    }
  }
}

/**
 * A signal that aborts `timeoutMs` after the request starts, or with the caller's. The client's
 * own `timeout` stops at the reply's headers (openai-node clears its timer once `fetch` resolves),
 * so a server that sends headers and then stalls, or drips the body, would hold the call for as
 * long as Node's socket allows; this one covers the request to its last byte, body parsing
 * included, since aborting the fetch also aborts reading its body.
 */
function attemptDeadline(timeoutMs: number | undefined, parent: AbortSignal | undefined): { signal: AbortSignal; expired: () => boolean; dispose: () => void } | undefined {
  if (timeoutMs === undefined) return undefined;
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort();
  }, timeoutMs);
  const onAbort = (): void => controller.abort(parent?.reason);
  if (parent?.aborted === true) onAbort();
  else parent?.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    expired: () => expired,
    dispose: () => {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' ? status : undefined;
}

function header(error: unknown, name: string): string | null | undefined {
  const headers = (error as { headers?: { get?: (name: string) => string | null } } | undefined)?.headers;
  return typeof headers?.get === 'function' ? headers.get(name) : undefined;
}

/** openai-node's `shouldRetry`, for a reply with a status. */
function retryable(error: unknown, status: number): boolean {
  const says = header(error, 'x-should-retry');
  if (says === 'true') return true;
  if (says === 'false') return false;
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** openai-node's `retryRequest` delay: the server's `retry-after-ms` / `retry-after`, else 0.5 s doubling to 8 s, with jitter. */
function retryDelay(error: unknown, retry: number): number {
  const ms = Number.parseFloat(header(error, 'retry-after-ms') ?? '');
  if (Number.isFinite(ms) && ms >= 0 && ms <= 60_000) return ms;
  const after = header(error, 'retry-after');
  if (after !== undefined && after !== null) {
    const seconds = Number.parseFloat(after);
    const wait = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(after) - Date.now();
    if (Number.isFinite(wait) && wait >= 0 && wait <= 60_000) return wait;
  }
  return Math.min(500 * 2 ** retry, 8000) * (1 - Math.random() * 0.25);
}

/**
 * Waits, or resolves false at once when the signal aborts. It listens on a linked signal, so many
 * calls pausing under one caller's signal add one listener to it, not one each (Node warns at 11).
 */
function pause(ms: number, parent: AbortSignal | undefined): Promise<boolean> {
  if (parent?.aborted === true) return Promise.resolve(false);
  const linked = linkSignal(parent);
  return new Promise((resolve) => {
    const done = (ok: boolean): void => {
      clearTimeout(timer);
      linked?.dispose();
      resolve(ok);
    };
    const timer = setTimeout(() => done(true), ms);
    linked?.signal.addEventListener('abort', () => done(false), { once: true });
  });
}

function requestFailure(cause: unknown, context: SendContext, elapsedMs: number): SwapAttempt {
  const message = (cause as Error | undefined)?.message ?? String(cause);
  // openai's errors all have `name` 'Error'; their classes tell them apart.
  const classes = classNames(cause);
  if (context.signal?.aborted === true || classes.has('APIUserAbortError')) return { kind: 'aborted', message: 'the request was aborted', cause };
  // A 200 whose body is not JSON though it says it is: the client's `response.json()` throws.
  if (statusOf(cause) === undefined && (cause as { name?: unknown } | undefined)?.name === 'SyntaxError') {
    return { kind: 'malformed', message: `the reply is not a chat completion (its body is not valid JSON: ${message})`, cause };
  }
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
function unnamedTimeout(error: unknown, context: SendContext, elapsedMs: number): boolean {
  const causes: Array<{ name?: unknown; message?: unknown; code?: unknown }> = [];
  for (let cause = (error as { cause?: unknown }).cause; typeof cause === 'object' && cause !== null && causes.length < 8; cause = (cause as { cause?: unknown }).cause) {
    causes.push(cause);
  }
  // The client's own test, for a timeout it could not see through the realm boundary.
  if (causes.some(({ name, message }) => name === 'AbortError' || name === 'TimeoutError' || /timed? ?out/i.test(String(message)))) return true;
  if (causes.some(({ name, code }) => name === 'TypeError' || typeof code === 'string')) return false;
  return context.timeoutMs !== undefined && elapsedMs >= context.timeoutMs;
}
