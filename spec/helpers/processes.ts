import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** How a script is run: in which directory, and under which file size limit (`ulimit -f`, in KiB). */
export interface RunOptions {
  readonly cwd?: string;
  readonly fileSizeLimitKiB?: number;
}

/**
 * Runs a TypeScript file with tsx, from the project's root unless told, as `npm run demo` does.
 * With `fileSizeLimitKiB`, writes past that size fail with EFBIG part-way, as on a full disk.
 */
export function runTs(file: string, args: readonly string[] = [], options: RunOptions = {}): SpawnSyncReturns<string> {
  const { cwd = root, fileSizeLimitKiB } = options;
  const run = { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') }, timeout: 120_000 } as const;
  if (fileSizeLimitKiB === undefined) return spawnSync(tsx, [file, ...args], run);
  return spawnSync('bash', ['-c', 'ulimit -f "$1" && shift && exec "$@"', 'bash', String(fileSizeLimitKiB), tsx, file, ...args], run);
}

/** What a process printed and how it ended, as {@link spawnCollected} reports it. */
export interface Collected {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Whether it was killed for running past `timeoutMs`. */
  readonly timedOut: boolean;
}

/**
 * Runs a command without blocking (the test's own event loop keeps serving the fake servers the
 * process talks to) and collects its output. `env` is laid over the test's environment; an
 * `undefined` value removes that variable. Its stdin is `input`, or empty. A process still
 * running after `timeoutMs` is killed.
 */
export function spawnCollected(
  command: string,
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string; timeoutMs: number },
): Promise<Collected> {
  const env: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '', ...options.env };
  for (const key of Object.keys(env)) if (env[key] === undefined) delete env[key];
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { cwd: options.cwd ?? root, env: env as NodeJS.ProcessEnv, stdio: 'pipe' });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, timedOut });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Runs a TypeScript file with tsx like {@link runTs}, without blocking: see {@link spawnCollected}. */
export async function runTsAsync(file: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await spawnCollected(tsx, [file, ...args], { env: { TSX_TSCONFIG_PATH: join(root, 'tsconfig.json'), ...env }, timeoutMs: 120_000 });
  return { status: code, stdout, stderr };
}

/** Runs an ES module's source in a real Node process, importing `fn-distil` from lib/. */
export function runScript(source: string, options: RunOptions = {}): SpawnSyncReturns<string> {
  mkdirSync(join(root, '.scratch'), { recursive: true });
  const file = join(root, '.scratch', `script-${process.pid}-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(file, source);
  try {
    return runTs(file, [], options);
  } finally {
    rmSync(file, { force: true });
  }
}
