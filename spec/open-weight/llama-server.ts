// Starts the real llama-server on a GGUF file, on a free loopback port, and always stops it.
import { spawn } from 'node:child_process';
import { llamaServerPath } from './parts';

export interface LlamaServerOptions {
  /** The GGUF file to serve. */
  readonly model: string;
  /** The name `/v1/models` shows and requests may use. @default 'fn-distil-tiny' */
  readonly alias?: string;
  /** `-c`: the context, all of it for the one slot (`-np 1`). @default 1024 */
  readonly contextSize?: number;
  /** `--jinja` (the chat template in the GGUF) or `--no-jinja` (llama.cpp's built-in templates). @default true */
  readonly jinja?: boolean;
  /** `-t`. @default 1: answers of a model this small take milliseconds; the other core stays free for the tests. */
  readonly threads?: number;
  /** More flags, after the others. */
  readonly args?: readonly string[];
  /** How long to wait for `/health` to answer 200. @default 60_000 */
  readonly startTimeoutMs?: number;
}

export interface LlamaServer {
  /** `http://127.0.0.1:<port>/v1`, the `baseURL` of an OpenAI client. */
  readonly baseURL: string;
  readonly alias: string;
  /** Everything the server printed so far (it logs what requests it downgraded or rejected). */
  log(): string;
  /** Stops the server and resolves once it has exited. Safe to call twice. */
  stop(): Promise<void>;
}

// The server runs under a shell that kills it when its standard input closes, which happens when
// stop() ends it or when this process dies in any way (a Jest worker killed on timeout included),
// so no test leaves a server behind.
const tied = '"$@" & server=$!; trap \'kill $server 2>/dev/null\' EXIT; read -r _ || true; kill $server 2>/dev/null; wait $server';

/** Starts llama-server with `--port 0` and reads the port it bound from its log. */
export async function startLlamaServer(options: LlamaServerOptions): Promise<LlamaServer> {
  const alias = options.alias ?? 'fn-distil-tiny';
  const args = [
    ...['-m', options.model, '--alias', alias, '--host', '127.0.0.1', '--port', '0'],
    ...['-np', '1', '-c', String(options.contextSize ?? 1024), '-t', String(options.threads ?? 1)],
    options.jinja === false ? '--no-jinja' : '--jinja',
    ...['--no-webui', '--offline'],
    ...(options.args ?? []),
  ];
  const child = spawn('bash', ['-c', tied, 'llama-server', llamaServerPath, ...args], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (!stopped) {
      stopped = true;
      child.stdin.end();
      const killer = setTimeout(() => killGroup(child.pid), 10_000);
      await exited;
      clearTimeout(killer);
    }
    await exited;
  };
  try {
    const port = await waitForPort(() => output, exited, options.startTimeoutMs ?? 60_000);
    const baseURL = `http://127.0.0.1:${port}/v1`;
    await waitForHealth(`http://127.0.0.1:${port}/health`, exited, options.startTimeoutMs ?? 60_000);
    return { baseURL, alias, log: () => output, stop };
  } catch (error) {
    await stop();
    throw new Error(`llama-server did not start: ${(error as Error).message}\n--- its log ---\n${output}`);
  }
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

async function waitForPort(output: () => string, exited: Promise<void>, timeoutMs: number): Promise<number> {
  return poll(timeoutMs, exited, async () => {
    const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output());
    return match === null ? undefined : Number(match[1]);
  });
}

async function waitForHealth(url: string, exited: Promise<void>, timeoutMs: number): Promise<true> {
  return poll(timeoutMs, exited, async () => {
    // /health answers 503 while the model loads, 200 once it can serve (llama.cpp tools/server/README.md).
    const response = await fetch(url, { signal: AbortSignal.timeout(2_000) }).catch(() => undefined);
    return response?.status === 200 ? true : undefined;
  });
}

/** Calls `check` every 100 ms until it gives a value, the process exits, or `timeoutMs` passes. */
async function poll<T>(timeoutMs: number, exited: Promise<void>, check: () => Promise<T | undefined>): Promise<T> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (gone) throw new Error('it exited');
    if (Date.now() > deadline) throw new Error(`no answer within ${timeoutMs / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
