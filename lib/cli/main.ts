import { Command, CommanderError } from 'commander';
import { registerDataset } from './commands/dataset.js';
import { registerEval } from './commands/eval.js';
import { registerFiles } from './commands/files.js';
import { registerJobs } from './commands/jobs.js';
import { escapeControls } from '../dataset/values.js';
import { describeError, usageLine } from './errors.js';
import { exitCodes } from './exit-codes.js';
import { version } from './version.js';

/**
 * Builds the `fn-distil` program: one command group per file under commands/. Subcommands
 * inherit `exitOverride` and the output configuration from the program they are added to.
 */
export function program(): Command {
  const cli = new Command('fn-distil')
    .description('Check, measure, split and convert fine-tuning datasets captured by distil(), run fine-tuning jobs, and evaluate the fine-tuned model.')
    .version(version, '-V, --version')
    .exitOverride()
    // Without "[options]" in the command column, long descriptions still wrap at the terminal's width.
    .configureHelp({ subcommandTerm: (command) => `${command.name()} ${command.usage().replace(/^\[options\] ?/, '')}`.trimEnd() })
    .configureOutput({ outputError: (text, write) => write(`fn-distil: ${usageLine(text)}\n`) });
  registerDataset(cli);
  registerFiles(cli);
  registerJobs(cli);
  registerEval(cli);
  return cli;
}

/**
 * Runs the command line and resolves to the exit code. Every failure becomes one line on
 * stderr, never a stack trace: users read it, scripts read the exit code.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await program().parseAsync([...argv], { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version "fail" with exit code 0; usage errors were already printed.
      return error.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    // Messages may quote a file's lines or a server's words: their control characters are escaped.
    process.stderr.write(`fn-distil: ${escapeControls(describeError(error))}\n`);
    if (process.env['FN_DISTIL_DEBUG'] === '1') process.stderr.write(`${(error as Error | undefined)?.stack ?? String(error)}\n`);
    // A command stopped by a signal has set 128 + its number, as shells report it.
    return typeof process.exitCode === 'number' && process.exitCode > exitCodes.usage ? process.exitCode : exitCodes.failure;
  }
}
