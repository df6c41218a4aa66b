import { ConfigurationError } from '../errors.js';
import type { ExampleFormat } from '../formats/types.js';
import { generic } from './generic.js';
import { llamaCpp } from './llama-cpp.js';
import { lmstudio } from './lmstudio.js';
import { ollama } from './ollama.js';
import { openai } from './openai.js';
import { sglang } from './sglang.js';
import { tgi } from './tgi.js';
import { transformers } from './transformers.js';
import type { ServerName, ServerProfile } from './types.js';
import { vllm } from './vllm.js';

/** Every server profile, by the name `server` takes. */
export const serverProfiles: Readonly<Record<ServerName, ServerProfile>> = {
  openai,
  vllm,
  sglang,
  'llama.cpp': llamaCpp,
  ollama,
  lmstudio,
  tgi,
  transformers,
  generic,
};

export const serverNames = Object.keys(serverProfiles) as ServerName[];

/** OpenAI's own hosts (and Azure OpenAI's), whose API is OpenAI's. */
const openaiHosts = /(^|\.)(api\.openai\.com|openai\.azure\.com)$/i;

/**
 * The profile of `server`, or, when none is named, the one its base URL implies: OpenAI's for
 * api.openai.com and Azure OpenAI (the client's default base URL included), `'generic'` for
 * any other server.
 */
export function resolveServer(server: ServerName | undefined, baseURL: string | undefined): ServerProfile {
  if (server !== undefined) return serverProfiles[server];
  let host = '';
  try {
    host = new URL(baseURL ?? 'https://api.openai.com/v1').hostname;
  } catch {
    // A base URL the client would refuse anyway: not OpenAI's.
  }
  return openaiHosts.test(host) ? openai : generic;
}

/** The base URL requests will go to when no client is given: the one `new OpenAI()` takes. */
export function environmentBaseURL(): string | undefined {
  const fromEnv = process.env['OPENAI_BASE_URL'];
  return fromEnv === undefined || fromEnv === '' ? undefined : fromEnv;
}

/** Checks the `server` option's value when wrapping. */
export function checkServerName(server: unknown, option = 'server'): asserts server is ServerName | undefined {
  if (server !== undefined && !(typeof server === 'string' && server in serverProfiles)) {
    throw new ConfigurationError(option, `\`${option}\` must be one of ${serverNames.map((name) => `'${name}'`).join(', ')}, got ${JSON.stringify(server)}.`);
  }
}

/** Refuses a format the server cannot serve, saying what to use instead. */
export function checkServed(format: ExampleFormat, profile: ServerProfile): void {
  const reason = profile.refuses[format];
  if (reason !== undefined) throw new ConfigurationError('format', `Format '${format}' cannot be served by ${profile.label} (\`server: '${profile.name}'\`): ${reason}`);
}

export type { ServerName, ServerProfile } from './types.js';
