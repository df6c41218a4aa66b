// A loopback proxy in front of the real llama-server that keeps every request body and reply it
// passes on, so a test can see exactly what swap() sent (max_tokens, temperature, tool_choice...)
// and what the server answered, without trusting the server's log format.
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on: its path, parsed JSON body, and the server's status and parsed reply. */
export interface Exchange {
  readonly path: string;
  readonly body: Record<string, unknown>;
  readonly status: number;
  readonly reply: Record<string, unknown>;
}

export interface RecordingProxy {
  /** `http://127.0.0.1:<port>/v1`, the `baseURL` of a client that goes through the proxy. */
  readonly baseURL: string;
  /** Every chat completion exchange since the last `take()` (or the start), and forgets them. */
  take(): Exchange[];
  close(): Promise<void>;
}

/** Starts a proxy to `target` (a `.../v1` base URL) on a free loopback port. */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const origin = new URL(target).origin;
  const exchanges: Exchange[] = [];
  const server = createServer((request, response) => {
    void (async () => {
      const text = await readBody(request);
      const upstream = await fetch(origin + (request.url ?? '/'), {
        method: request.method ?? 'GET',
        headers: { 'content-type': request.headers['content-type'] ?? 'application/json' },
        ...(text === '' ? {} : { body: text }),
      });
      const reply = await upstream.text();
      exchanges.push({ path: request.url ?? '', body: parse(text), status: upstream.status, reply: parse(reply) });
      response.writeHead(upstream.status, { 'content-type': upstream.headers.get('content-type') ?? 'application/json' });
      response.end(reply);
    })().catch((error: unknown) => {
      response.writeHead(502).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    take: () => exchanges.splice(0).filter(({ path }) => path.endsWith('/chat/completions')),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

function parse(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { text };
  }
}
