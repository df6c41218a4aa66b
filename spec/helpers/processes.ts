import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** Runs a TypeScript file with tsx from the project's root, as `npm run demo` does. */
export function runTs(file: string, args: readonly string[] = [], cwd = root): SpawnSyncReturns<string> {
  return spawnSync(tsx, [file, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' }, timeout: 120_000 });
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
