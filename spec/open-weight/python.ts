// Runs the Python scripts (train.py, to_gguf.py, generate.py) with the setup's venv, bounded in
// time, and keeps trained models in a cache keyed by everything that decides them.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { spawnCollected } from '../helpers/processes';
import { openWeightDir, pythonPath, scriptsDir } from './parts';

/**
 * Runs `python <script> ...args` and returns what its last output line says, as JSON. Throws
 * with everything it printed if it fails or runs past `timeoutMs`.
 */
export async function runPython<T>(script: string, args: readonly string[], timeoutMs: number): Promise<T> {
  const started = Date.now();
  const { code, stdout, stderr, timedOut } = await spawnCollected(pythonPath, [join(scriptsDir, script), ...args], {
    cwd: scriptsDir,
    // Nothing may be fetched from a model hub: these scripts build everything locally.
    env: { HF_HUB_OFFLINE: '1', TRANSFORMERS_OFFLINE: '1', HF_DATASETS_OFFLINE: '1', TOKENIZERS_PARALLELISM: 'false' },
    timeoutMs,
  });
  if (code !== 0 || timedOut) {
    const how = timedOut ? `ran past ${timeoutMs / 1000} s and was killed` : `failed with code ${code}`;
    throw new Error(`${script} ${how} after ${Math.round((Date.now() - started) / 1000)} s\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr.slice(-4000)}`);
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** What train.py reports. */
export interface Training {
  readonly parameters: number;
  readonly steps: number;
  readonly loss: number;
  readonly seconds: number;
}

/** A trained model: its Hugging Face directory and its GGUF file. */
export interface TrainedModel {
  readonly dir: string;
  readonly gguf: string;
  /** What train.py reported, or undefined when the model came from the cache. */
  readonly training: Training | undefined;
}

/**
 * Trains on a prompt-completion file and writes the GGUF, or returns the cached result of the
 * same data, scripts, pinned packages and arguments. A fresh clone (CI) has no cache, so it trains.
 */
export async function trainCached(trainFile: string, trainArgs: readonly string[], timeoutMs: number): Promise<TrainedModel> {
  const hash = createHash('sha256');
  for (const file of [trainFile, ...['train.py', 'tokenizer.py', 'to_gguf.py', 'requirements.txt'].map((name) => join(scriptsDir, name))]) {
    hash.update(readFileSync(file)).update('\0');
  }
  hash.update(JSON.stringify(trainArgs));
  const cached = join(openWeightDir, 'models', hash.digest('hex').slice(0, 16));
  const dir = join(cached, 'hf');
  const gguf = join(cached, 'model.gguf');
  if (existsSync(gguf)) return { dir, gguf, training: undefined };

  const partial = `${cached}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const training = await runPython<Training>('train.py', ['--train', trainFile, '--out', join(partial, 'hf'), ...trainArgs], timeoutMs);
  await runPython('to_gguf.py', ['--model', join(partial, 'hf'), '--out', join(partial, 'model.gguf')], 120_000);
  renameSync(partial, cached);
  return { dir, gguf, training };
}
