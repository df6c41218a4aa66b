import type OpenAI from 'openai';
import { ConfigurationError } from '../errors.js';

/** Connection options every API command takes. */
export interface ConnectionOptions {
  readonly baseUrl?: string;
  readonly timeout?: number;
  readonly maxRetries?: number;
}

const openaiHost = 'api.openai.com';

/**
 * The OpenAI client for API commands: key from `OPENAI_API_KEY`, server from `--base-url` or
 * `OPENAI_BASE_URL` (any OpenAI-compatible server). A missing key is an error only for OpenAI
 * itself: self-hosted servers (vLLM, llama.cpp, Ollama) usually need none.
 */
export async function apiClient(options: ConnectionOptions): Promise<OpenAI> {
  const baseURL = options.baseUrl ?? process.env['OPENAI_BASE_URL'] ?? undefined;
  const apiKey = process.env['OPENAI_API_KEY'];
  const isOpenAI = baseURL === undefined || new URL(baseURL).hostname === openaiHost;
  if ((apiKey === undefined || apiKey === '') && isOpenAI) {
    throw new ConfigurationError('OPENAI_API_KEY', 'OPENAI_API_KEY is not set. Export your API key (export OPENAI_API_KEY=sk-...), or pass --base-url for a server that needs none.');
  }
  // Loaded here, not at start-up: the dataset commands work without the optional `openai` peer.
  const { default: Client } = await import('openai').catch((cause: unknown) => {
    throw new ConfigurationError('openai', "The API commands need the `openai` package (6.x): npm install openai@6.", { cause });
  });
  return new Client({
    apiKey: apiKey === undefined || apiKey === '' ? 'none' : apiKey,
    ...(baseURL === undefined ? {} : { baseURL }),
    ...(options.timeout === undefined ? {} : { timeout: options.timeout }),
    ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
  });
}
