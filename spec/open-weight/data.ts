// The training data of the open-weight tests: distil()'s captured lines, split by the built CLI,
// the train part converted to TRL's conversational prompt-completion form.
import { writeFileSync } from 'node:fs';
import { runCli } from '../helpers/cli';
import { readJsonLines } from '../helpers/files';
import { captureSentiment } from './sentiment';

export type Message = { role: string; content: string };
export type Line = { messages: Message[] };

/** The files {@link sentimentData} writes. */
export interface SentimentData {
  /** Every captured `'json'` line. */
  readonly captured: string;
  /** Its held-out fifth (`fn-distil dataset split --val 0.2 --seed 1`): 100 lines. */
  readonly val: string;
  /** The other 400 lines as prompt-completion, what train.py reads. */
  readonly promptCompletion: string;
}

/** Captures 500 calls of the sentiment classifier into `dir`, splits them, converts the train part. */
export async function sentimentData(path: (name: string) => string): Promise<SentimentData> {
  const captured = path('sentiment.jsonl');
  await captureSentiment(captured, 500);
  const split = await runCli(['dataset', 'split', captured, '--val', '0.2', '--seed', '1']);
  if (split.code !== 0) throw new Error(`fn-distil dataset split failed: ${split.stderr}`);
  const promptCompletion = path('sentiment.train.prompt-completion.jsonl');
  toPromptCompletion(path('sentiment.train.jsonl'), promptCompletion);
  return { captured, val: path('sentiment.val.jsonl'), promptCompletion };
}

/**
 * TEMPORARY, until `fn-distil dataset convert --to prompt-completion` lands: TRL's conversational
 * prompt-completion line of a `'json'` line (prompt: the system and user messages; completion:
 * the assistant's answer), which makes TRL's loss cover the answer only.
 */
function toPromptCompletion(from: string, to: string): void {
  const lines = readJsonLines(from) as Line[];
  writeFileSync(to, lines.map(({ messages }) => `${JSON.stringify({ prompt: messages.slice(0, -1), completion: messages.slice(-1) })}\n`).join(''));
}

/** What train.py is given for the model that learns the function, and for the barely trained one. */
export const trainArgs = {
  learned: ['--epochs', '30', '--max-seconds', '480'],
  barely: ['--max-steps', '30'],
} as const;
