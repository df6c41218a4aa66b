import { isFnDistilError } from '../errors.js';
import { classNames } from '../openai/class-names.js';

/**
 * One line saying what went wrong, for stderr. HTTP errors from the `openai` client carry their
 * status and the server's message; anything unexpected still gets its message, not a stack.
 */
export function describeError(error: unknown): string {
  if (isFnDistilError(error)) return error.message;
  // The client wraps what its fetch throws (a reply that is not the API's) in a connection error.
  const ours = fnDistilCause(error);
  if (ours !== undefined) return ours.message;
  const named = classNames(error);
  const message = withoutPeriod((error as Error | undefined)?.message ?? String(error));
  if (named.has('APIConnectionTimeoutError')) {
    // openai says only "Request timed out.", which the sentence already does.
    const detail = /^request timed out$/i.test(message) ? '' : ` (${message})`;
    return `The request timed out${detail}. Check --base-url, raise --timeout, or try again.`;
  }
  if (named.has('APIConnectionError')) {
    const cause = innermostMessage(error);
    return `Cannot reach the API${cause === undefined ? '' : ` (${cause})`}. Check --base-url / OPENAI_BASE_URL and your network.`;
  }
  if (named.has('APIError')) {
    const status = (error as { status?: number }).status;
    const hint = status === 401 ? ' Check OPENAI_API_KEY.' : status === 404 ? ' Check the id or model name.' : '';
    // openai's message already starts with the status ("404 The model ... does not exist").
    const said = message.startsWith(String(status)) ? message : `${status ?? ''} ${message}`.trim();
    return `API error: ${said}.${hint}`;
  }
  if (error instanceof Error) return `${message} (unexpected ${error.name}; run with FN_DISTIL_DEBUG=1 for details)`;
  return message;
}

/**
 * A commander usage error as one line: `unknown command 'valdate'. Did you mean validate? Add
 * --help for usage.` Commander writes it as `error: ...` with a suggestion on a line of its own.
 */
export function usageLine(text: string): string {
  const sentences = text
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim().replace(/^\((.*)\)$/, '$1'))
    .filter((line) => line !== '');
  return [...sentences, 'Add --help for usage'].map((sentence) => `${withoutPeriod(sentence)}${/[?!]$/.test(sentence) ? '' : '.'}`).join(' ');
}

/** The message of the deepest `cause`: `fetch failed` says less than `connect ECONNREFUSED ...`. */
function innermostMessage(error: unknown): string | undefined {
  let message: string | undefined;
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  // Bounded: a cause chain can loop back on itself.
  for (let depth = 0; depth < 10 && cause !== undefined && cause !== null; depth++) {
    const own = (cause as { message?: unknown }).message;
    if (typeof own === 'string' && own !== '') message = own;
    cause = (cause as { cause?: unknown }).cause;
  }
  return message === undefined ? undefined : withoutPeriod(message);
}

/** A message ready to be followed by another sentence: without its final full stop. */
function withoutPeriod(message: string): string {
  return message.trim().replace(/\.+$/, '');
}

/** The first fn-distil error on the `cause` chain, if any. */
function fnDistilCause(error: unknown): Error | undefined {
  let cause = (error as { cause?: unknown } | undefined)?.cause;
  // Bounded: a cause chain can loop back on itself.
  for (let depth = 0; depth < 10 && cause !== undefined && cause !== null; depth++) {
    if (isFnDistilError(cause)) return cause;
    cause = (cause as { cause?: unknown }).cause;
  }
  return undefined;
}
