import type { Command } from 'commander';

/** Registers `fn-distil dataset split`. */
export function registerSplit(dataset: Command): void {
  dataset.command('split').description('(not implemented yet)');
}

/** Registers `fn-distil dataset dedupe`. */
export function registerDedupe(dataset: Command): void {
  dataset.command('dedupe').description('(not implemented yet)');
}

/** Registers `fn-distil dataset merge`. */
export function registerMerge(dataset: Command): void {
  dataset.command('merge').description('(not implemented yet)');
}

/** Registers `fn-distil dataset convert`. */
export function registerConvert(dataset: Command): void {
  dataset.command('convert').description('(not implemented yet)');
}
