import type { Command } from 'commander';

/**
 * Ends a command's `--help` with its examples, one `$ fn-distil ...` line each, and anything
 * else worth saying first (exit codes, defaults), so every command's help reads the same way.
 */
export function withExamples(command: Command, examples: readonly string[], note?: string): Command {
  const lines = examples.map((example) => `  $ fn-distil ${example}`);
  return command.addHelpText('after', `${note === undefined ? '' : `\n${note}\n`}\nExamples:\n${lines.join('\n')}`);
}
