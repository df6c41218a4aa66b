import type OpenAI from 'openai';
import { ConfigurationError } from '../errors.js';

/** Connection options every API command takes. */
export interface ConnectionOptions {
  readonly baseUrl?: string;
  readonly timeout?: number;
  readonly maxRetries?: number;
}

/**
 * Defaults of {@link ConnectionOptions}. The `openai` client waits 10 minutes for an answer (times
 * 3 with its retries): a server that accepts connections but never answers would hang a command
 * for half an hour. Uploads get at least the client's 10 minutes whatever this is
 * (`uploadFileDefaults.minTimeout`), since a large file takes long to send.
 */
export const connectionDefaults = { timeout: 60_000 } as const satisfies ConnectionOptions;

const openaiHost = 'api.openai.com';

/**
 * The OpenAI client for API commands: key from `OPENAI_API_KEY`, server from `--base-url` or
 * `OPENAI_BASE_URL` (any OpenAI-compatible server). A missing key is an error only for OpenAI
 * itself: self-hosted servers (vLLM, llama.cpp, Ollama) usually need none.
 */
export async function apiClient(options: ConnectionOptions): Promise<OpenAI> {
  const baseURL = serverUrl(options.baseUrl ?? process.env['OPENAI_BASE_URL']);
  const apiKey = process.env['OPENAI_API_KEY'];
  const isOpenAI = baseURL === undefined || new URL(baseURL).hostname === openaiHost;
  if ((apiKey === undefined || apiKey === '') && isOpenAI) {
    throw new ConfigurationError('OPENAI_API_KEY', 'OPENAI_API_KEY is not set. Export your API key (export OPENAI_API_KEY=sk-...), or pass --base-url for a server that needs none.');
  }
  // Loaded here, not at start-up: the dataset commands work without the optional `openai` peer.
  const { default: Client } = await import('openai').catch((cause: unknown) => {
    throw new ConfigurationError('openai', 'The API commands need the `openai` package (6.47 or later): npm install openai@^6.47.', { cause });
  });
  return new Client({
    fetch: apiRepliesOnly,
    apiKey: apiKey === undefined || apiKey === '' ? 'none' : apiKey,
    ...(baseURL === undefined ? {} : { baseURL }),
    timeout: options.timeout ?? connectionDefaults.timeout,
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
}

/**
 * The server's base URL, checked before any request: `new URL()` and `fetch` would otherwise
 * fail with messages that do not say which setting is wrong. Empty means unset, as for `openai`.
 */
function serverUrl(given: string | undefined): string | undefined {
  if (given === undefined || given.trim() === '') return undefined;
  const protocol = URL.canParse(given) ? new URL(given).protocol : undefined;
  if (protocol === 'http:' || protocol === 'https:') return given;
  throw new ConfigurationError(
    '--base-url',
    `--base-url (or OPENAI_BASE_URL) must be an http or https URL such as http://localhost:8000/v1, got ${JSON.stringify(given)}.`,
  );
}

/**
 * `fetch` for the client, refusing a success that is not the API's JSON: a web page from a
 * --base-url that points at a server's UI or a proxy would otherwise read as an empty list or a
 * job with no id ("Cancelled undefined"). A file's content may be anything; chat replies are
 * checked by swap()'s own answer reading (a `malformed` attempt), as eval needs.
 */
async function apiRepliesOnly(input: string | URL | Request, init?: RequestInit): Promise<Response> {
  const response = await fetch(input, init);
  const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
  if (!response.ok || /\/(content|chat\/completions)$/.test(url.pathname)) return response;
  const type = response.headers.get('content-type') ?? '';
  if (/\bjson\b/i.test(type)) return response;
  const start = (await response.text()).slice(0, 60).replace(/\s+/g, ' ');
  throw new ConfigurationError(
    '--base-url',
    `The server answered ${url.origin}${url.pathname} with ${type === '' ? 'no content type' : type}, not the API's JSON (it began ${JSON.stringify(start)}). ` +
      'Check --base-url / OPENAI_BASE_URL: it must be the API\'s base URL, such as https://api.openai.com/v1 or http://localhost:8000/v1.',
  );
}
