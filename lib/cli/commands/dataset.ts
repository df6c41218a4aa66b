import type { Command } from 'commander';

/** Registers `fn-distil dataset`. */
export function registerDataset(program: Command): void {
  program.command('dataset').description('(not implemented yet)');
}
