import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** Runs a TypeScript file with tsx from the project's root, as `npm run demo` does. */
export function runTs(file: string, args: readonly string[] = [], cwd = root): SpawnSyncReturns<string> {
  return spawnSync(tsx, [file, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000 });
}

/**
 * Runs a TypeScript file with tsx like {@link runTs}, without blocking: the test's own event loop
 * keeps serving the fake servers the file talks to. `env` is laid over the test's environment;
 * an `undefined` value removes that variable.
 */
export function runTsAsync(file: string, args: readonly string[] = [], env: Record<string, string | undefined> = {}): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const merged: Record<string, string | undefined> = { ...process.env, NODE_OPTIONS: '', ...env };
  for (const key of Object.keys(merged)) if (merged[key] === undefined) delete merged[key];
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, [file, ...args], { cwd: root, env: merged as NodeJS.ProcessEnv, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Runs an ES module's source in a real Node process, importing `fn-distil` from lib/. */
export function runScript(source: string): SpawnSyncReturns<string> {
  mkdirSync(join(root, '.scratch'), { recursive: true });
  const file = join(root, '.scratch', `script-${process.pid}-${Math.random().toString(36).slice(2)}.mts`);
  writeFileSync(file, source);
  try {
    return runTs(file);
  } finally {
    rmSync(file, { force: true });
  }
}
