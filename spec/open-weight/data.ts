// The training data of the open-weight tests: distil()'s captured lines, checked, deduplicated,
// split and exported by the built CLI with docs/open-weight.md's own commands (commands.ts).
import { join } from 'node:path';
import { runCli } from '../helpers/cli';
import { captureSentiment } from './sentiment';
import { capturedFile, datasetCommands } from './commands';

export type Message = { role: string; content: string };
export type Line = { messages: Message[] };

/** The dataset's stem: the doc's `math_finetunes.jsonl`, `math.val.jsonl`... are `sentiment_...` here. */
export const stem = 'sentiment';

/** The files {@link sentimentData} writes. */
export interface SentimentData {
  /** The folder the commands ran in. */
  readonly dir: string;
  /** Every captured `'json'` line. */
  readonly captured: string;
  /** Its held-out fifth (`--val 0.2 --seed 1`) as chat lines, what `eval` reads: 100 lines. */
  readonly val: string;
  /** The other 400 lines as prompt-completion, what train_trl.py trains on. */
  readonly promptCompletion: string;
  /** The held-out lines as prompt-completion, train_trl.py's `--val`. */
  readonly promptCompletionVal: string;
}

/** Captures 500 calls of the sentiment classifier into `dir`, then runs section 2's commands there. */
export async function sentimentData(dir: string): Promise<SentimentData> {
  await captureSentiment(join(dir, capturedFile(stem)), 500);
  for (const args of datasetCommands(stem)) {
    const { code, stderr } = await runCli(args, { cwd: dir });
    if (code !== 0) throw new Error(`fn-distil ${args.join(' ')} failed (${code}): ${stderr}`);
  }
  const path = (name: string): string => join(dir, name);
  return {
    dir,
    captured: path(capturedFile(stem)),
    val: path(`${stem}.val.jsonl`),
    promptCompletion: path(`${stem}_pc.train.jsonl`),
    promptCompletionVal: path(`${stem}_pc.val.jsonl`),
  };
}

/**
 * train_trl.py's tuning for the tiny model trained from random weights (a real pretrained model
 * wants the script's defaults): for the model that learns the function, and the barely trained one.
 */
export const trainArgs = {
  learned: ['--epochs', '30', '--learning-rate', '3e-3', '--batch-size', '16'],
  barely: ['--max-steps', '30', '--learning-rate', '3e-3', '--batch-size', '16'],
} as const;
