import type { Command } from 'commander';

/** Registers `fn-distil files`. */
export function registerFiles(program: Command): void {
  program.command('files').description('(not implemented yet)');
}
