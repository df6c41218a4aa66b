import type { Command } from 'commander';

/** Registers `fn-distil eval`. */
export function registerEval(program: Command): void {
  program.command('eval').description('(not implemented yet)');
}
