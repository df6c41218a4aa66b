// Runs the Python side with the setup's venv, bounded in time: make_base.py builds the tiny
// untrained "pretrained" model, docs/examples/open-weight/train_trl.py (the script users run)
// fine-tunes it, to_gguf.py writes the GGUF. Trained models are cached by everything that decides them.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, isAbsolute, join } from 'node:path';
import { spawnCollected } from '../helpers/processes';
import { trainCommand } from './commands';
import { stem, type SentimentData } from './data';
import { openWeightDir, pythonPath, scriptsDir, trainTrlPath } from './parts';

/**
 * Runs `python <script> ...args` (a file of spec/open-weight/python unless absolute) in `cwd`
 * and returns what its last output line says, as JSON. Throws with everything it printed if it
 * fails or runs past `timeoutMs`.
 */
export async function runPython<T>(script: string, args: readonly string[], timeoutMs: number, cwd = scriptsDir): Promise<T> {
  const started = Date.now();
  const { code, stdout, stderr, timedOut } = await spawnCollected(pythonPath, [isAbsolute(script) ? script : join(scriptsDir, script), ...args], {
    cwd,
    env: {
      // Nothing may be fetched from a model hub: everything is built locally.
      HF_HUB_OFFLINE: '1',
      TRANSFORMERS_OFFLINE: '1',
      HF_DATASETS_OFFLINE: '1',
      TOKENIZERS_PARALLELISM: 'false',
      // Found by make_base.py's `from tokenizer import ...` whatever the working directory.
      PYTHONPATH: scriptsDir,
      // One torch thread: this model's matrices are so small that a second OpenMP thread mostly
      // waits, and on a busy machine its spin-waits made a step 10x slower (measured: 0.06-0.18 s
      // per step with one thread, 1.0-1.3 s with two, under a load average of 10 on 2 cores).
      OMP_NUM_THREADS: '1',
    },
    timeoutMs,
  });
  if (code !== 0 || timedOut) {
    const how = timedOut ? `ran past ${timeoutMs / 1000} s and was killed` : `failed with code ${code}`;
    throw new Error(`${basename(script)} ${how} after ${Math.round((Date.now() - started) / 1000)} s\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr.slice(-4000)}`);
  }
  const last = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(last) as T;
}

/** What train_trl.py reports. */
export interface Training {
  readonly parameters: number;
  readonly steps: number;
  readonly loss: number;
  readonly valLoss: number;
  readonly seconds: number;
}

/** A trained model: its Hugging Face directory and its GGUF file. */
export interface TrainedModel {
  readonly dir: string;
  readonly gguf: string;
  /** What train_trl.py reported, or undefined when the model came from the cache. */
  readonly training: Training | undefined;
}

/**
 * Builds the base model, fine-tunes it with train_trl.py as docs/open-weight.md runs it (in the
 * dataset's folder, plus `tuning`) and writes the GGUF; or returns the cached result of the same
 * data, scripts, pinned packages and arguments. A fresh clone (CI) has no cache, so it trains.
 */
export async function trainCached(data: SentimentData, tuning: readonly string[], timeoutMs: number): Promise<TrainedModel> {
  const hash = createHash('sha256');
  const scripts = ['make_base.py', 'tokenizer.py', 'to_gguf.py', 'requirements.txt'].map((name) => join(scriptsDir, name));
  for (const file of [data.promptCompletion, data.promptCompletionVal, trainTrlPath, ...scripts]) hash.update(readFileSync(file)).update('\0');
  hash.update(JSON.stringify(tuning));
  const cached = join(openWeightDir, 'models', hash.digest('hex').slice(0, 16));
  const dir = join(cached, 'hf');
  const gguf = join(cached, 'model.gguf');
  if (existsSync(gguf)) return { dir, gguf, training: undefined };

  const partial = `${cached}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  const base = join(partial, 'base');
  await runPython('make_base.py', ['--train', data.promptCompletion, '--out', base], 120_000);
  const args = trainCommand(stem, base);
  const out = join(data.dir, args[args.indexOf('--out') + 1]!);
  rmSync(out, { recursive: true, force: true });
  const training = await runPython<Training>(trainTrlPath, [...args, ...tuning], timeoutMs, data.dir);
  cpSync(out, join(partial, 'hf'), { recursive: true });
  await runPython('to_gguf.py', ['--model', join(partial, 'hf'), '--out', join(partial, 'model.gguf')], 120_000);
  rmSync(base, { recursive: true, force: true });
  renameSync(partial, cached);
  process.stdout.write(`open-weight: train_trl.py ${tuning.join(' ')}: ${JSON.stringify(training)}\n`);
  return { dir, gguf, training };
}
