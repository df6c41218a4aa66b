import { setTimeout as sleep } from 'node:timers/promises';
import { classNames } from '../openai/class-names.js';

/**
 * Whether an error from the `openai` client is worth another try: the connection failed or timed
 * out, or the server said 408, 409, 429 or 5xx (the same rule the client applies to its own
 * retries).
 */
export function isRetryable(error: unknown): boolean {
  const names = classNames(error);
  if (names.has('APIConnectionError')) return true;
  if (!names.has('APIError')) return false;
  const status = (error as { status?: number }).status;
  return status === 408 || status === 409 || status === 429 || (status !== undefined && status >= 500);
}

/** Milliseconds to wait before retry number `attempt` (1-based): the server's Retry-After, else exponential backoff. */
export function retryDelay(error: unknown, attempt: number): number {
  const headers = (error as { headers?: { get?: (name: string) => string | null } }).headers;
  const after = headers?.get?.('retry-after-ms') ?? null;
  const afterSeconds = headers?.get?.('retry-after') ?? null;
  const asked = after !== null ? Number(after) : afterSeconds !== null ? Number(afterSeconds) * 1000 : Number.NaN;
  if (Number.isFinite(asked) && asked >= 0 && asked <= 60_000) return asked;
  const backoff = Math.min(500 * 2 ** (attempt - 1), 8_000);
  return backoff * (0.75 + Math.random() * 0.25);
}

/**
 * Runs `operation` up to `1 + retries` times while it fails with a retryable error. For requests
 * the client cannot retry itself: an upload streams the file, and a streamed body cannot be sent
 * twice, so each try opens the file again.
 */
export async function withRetries<T>(retries: number, operation: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await operation(attempt);
    } catch (error) {
      if (attempt >= retries || !isRetryable(error)) throw error;
      await sleep(retryDelay(error, attempt + 1));
    }
  }
}
