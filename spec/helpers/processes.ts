import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
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
export function runTs(file: string, args: readonly string[] = [], options: string | RunOptions = {}): SpawnSyncReturns<string> {
  const { cwd = root, fileSizeLimitKiB } = typeof options === 'string' ? { cwd: options } : options;
  const run = { cwd, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '', TSX_TSCONFIG_PATH: join(root, 'tsconfig.json') }, timeout: 120_000 } as const;
  if (fileSizeLimitKiB === undefined) return spawnSync(tsx, [file, ...args], run);
  return spawnSync('bash', ['-c', 'ulimit -f "$1" && shift && exec "$@"', 'bash', String(fileSizeLimitKiB), tsx, file, ...args], run);
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
