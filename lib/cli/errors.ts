import { isFnDistilError } from '../errors.js';
import { classNames } from '../openai/class-names.js';

/**
 * One line saying what went wrong, for stderr. HTTP errors from the `openai` client carry their
 * status and the server's message; anything unexpected still gets its message, not a stack.
 */
export function describeError(error: unknown): string {
  if (isFnDistilError(error)) return error.message;
  const named = classNames(error);
  const message = (error as Error | undefined)?.message ?? String(error);
  if (named.has('APIConnectionTimeoutError')) return `The request timed out: ${message}. Check --base-url, or try again.`;
  if (named.has('APIConnectionError')) {
    const cause = (error as { cause?: { message?: string } }).cause?.message;
    return `Cannot reach the API${cause === undefined ? '' : ` (${cause})`}. Check --base-url / OPENAI_BASE_URL and your network.`;
  }
  if (named.has('APIError')) {
    const status = (error as { status?: number }).status;
    const hint = status === 401 ? ' Check OPENAI_API_KEY.' : status === 404 ? ' Check the id or model name.' : '';
    // openai's message already starts with the status ("404 The model ... does not exist").
    const said = message.startsWith(String(status)) ? message : `${status ?? ''} ${message}`.trim();
    return `API error: ${said.replace(/\.$/, '')}.${hint}`;
  }
  if (error instanceof Error) return `${message} (unexpected ${error.name}; run with FN_DISTIL_DEBUG=1 for details)`;
  return message;
}
