import type { Command } from 'commander';
import { registerStats, registerValidate } from './dataset-check.js';
import { registerConvert, registerDedupe, registerMerge, registerSplit } from './dataset-transform.js';

/** Registers `fn-distil dataset`: checks (validate, stats) and transforms (split, dedupe, merge, convert). */
export function registerDataset(program: Command): void {
  const dataset = program.command('dataset').description('check, measure, split, dedupe, merge and convert chat fine-tuning JSONL files');
  registerValidate(dataset);
  registerStats(dataset);
  registerSplit(dataset);
  registerDedupe(dataset);
  registerMerge(dataset);
  registerConvert(dataset);
}
