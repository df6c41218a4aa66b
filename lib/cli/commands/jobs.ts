import type { Command } from 'commander';

/** Registers `fn-distil jobs`. */
export function registerJobs(program: Command): void {
  program.command('jobs').description('(not implemented yet)');
}
