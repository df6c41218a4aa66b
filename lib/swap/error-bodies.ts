import type OpenAI from 'openai';

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/**
 * The client with a `fetch` that puts a server's own error message where the `openai` client
 * reads it. The client takes an error's message from `{"error": {"message"}}` (openai-node
 * core/error.ts `makeMessage`), so SGLang's flat `{"object": "error", "message"}`
 * (srt/entrypoints/openai/protocol.py ErrorResponse) and FastAPI's `{"detail"}` (`transformers
 * serve`) come out as "400 status code (no body)", and `{"error": "<text>"}` (LM Studio, TGI's
 * `{"error", "error_type"}`) JSON-quoted. Such a body is rewritten in OpenAI's shape, with the
 * same status and headers; every other reply passes untouched.
 *
 * Only a plain `OpenAI` client is rebuilt so (`withOptions`): a subclass such as `AzureOpenAI`
 * takes constructor options `withOptions` does not carry over (its deployment), and a client
 * whose `create` was replaced (a test stub) must keep it. Those are used as they are.
 */
export function withServerErrors(client: OpenAI): OpenAI {
  const stubbed = Object.prototype.hasOwnProperty.call(client.chat?.completions ?? {}, 'create');
  if (Object.getPrototypeOf(client)?.constructor?.name !== 'OpenAI' || stubbed || typeof client.withOptions !== 'function') return client;
  // The client keeps its fetch in a field TypeScript calls private; withOptions() copies it too.
  const inner = ((client as unknown as { fetch?: Fetch }).fetch ?? globalThis.fetch) as Fetch;
  const fetch: Fetch = async (input, init) => {
    const response = await inner(input, init);
    if (response.ok || !(response.headers.get('content-type') ?? '').includes('json')) return response;
    const text = await response.clone().text();
    const message = errorMessage(text);
    if (message === undefined) return response;
    const headers = new Headers(response.headers);
    headers.delete('content-length');
    headers.delete('content-encoding');
    const body = JSON.stringify({ error: { message, type: null, param: null, code: null } });
    return new Response(body, { status: response.status, statusText: response.statusText, headers });
  };
  try {
    return client.withOptions({ fetch });
  } catch {
    // A client that cannot be rebuilt still works, with the client's own error messages.
    return client;
  }
}

/** The message of an error body not in OpenAI's shape, or undefined when it is in it (or has none). */
function errorMessage(text: string): string | undefined {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const { error, message, detail } = body as { error?: unknown; message?: unknown; detail?: unknown };
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') return undefined;
  const said = typeof error === 'string' ? error : typeof message === 'string' ? message : detail;
  if (said === undefined || said === null) return undefined;
  return typeof said === 'string' ? said : JSON.stringify(said);
}
