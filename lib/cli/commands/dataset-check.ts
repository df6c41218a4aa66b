import type { Command } from 'commander';

/** Registers `fn-distil dataset validate`. */
export function registerValidate(dataset: Command): void {
  dataset.command('validate').description('(not implemented yet)');
}

/** Registers `fn-distil dataset stats`. */
export function registerStats(dataset: Command): void {
  dataset.command('stats').description('(not implemented yet)');
}
