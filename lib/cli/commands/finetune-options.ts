import { Command, InvalidArgumentError, Option } from 'commander';
import { defaultModel } from '../../dataset/models.js';
import type { Hyperparameter } from '../../finetune/job.js';
import { followJobDefaults } from '../../finetune/follow.js';
import { waitForFileDefaults } from '../../finetune/processing.js';
import { number, withTargetModel } from '../options.js';

/** Flags of every command that waits for a file or a job. */
export interface PollingFlags {
  readonly pollInterval?: number;
  readonly waitTimeout?: number;
}

/** `--poll-interval` and `--wait-timeout`, for commands that wait on the server. */
export function withPolling(command: Command, waitsFor: { readonly files?: boolean; readonly jobs?: boolean }): Command {
  const defaults = [
    ...(waitsFor.files === true ? [`${waitForFileDefaults.pollInterval} for files`] : []),
    ...(waitsFor.jobs === true ? [`${followJobDefaults.pollInterval} for jobs`] : []),
  ].join(', ');
  const timeouts = [
    ...(waitsFor.files === true ? [`${waitForFileDefaults.timeout / 60_000} min for file processing`] : []),
    ...(waitsFor.jobs === true ? ['none for a job'] : []),
  ].join(', ');
  return command
    .addOption(new Option('--poll-interval <ms>', `milliseconds between two status requests (default: ${defaults})`).argParser(number({ min: 1, integer: true })))
    .addOption(new Option('--wait-timeout <ms>', `stop waiting after this many milliseconds, exit code 1 (default: ${timeouts}); the server's work goes on`).argParser(number({ min: 1, integer: true })));
}

/** Poll options for the library from the flags, leaving unset ones to the library's defaults. */
export function pollOptions(flags: PollingFlags): { pollInterval?: number; timeout?: number } {
  return {
    ...(flags.pollInterval === undefined ? {} : { pollInterval: flags.pollInterval }),
    ...(flags.waitTimeout === undefined ? {} : { timeout: flags.waitTimeout }),
  };
}

/** Flags of the two `jobs create-*` commands. */
export interface JobFlags extends PollingFlags {
  readonly model: string;
  readonly nEpochs?: Hyperparameter;
  readonly batchSize?: Hyperparameter;
  readonly learningRateMultiplier?: Hyperparameter;
  readonly suffix?: string;
  readonly seed?: number;
  readonly wait?: boolean;
  readonly waitForFiles: boolean;
  readonly json?: boolean;
}

/**
 * A hyperparameter parser: `auto` or a positive number (whole for `integer`). Ranges are the
 * server's to check (OpenAI allows 1-50 epochs; other servers differ): its 4xx says which.
 */
export function hyperparameter(integer: boolean): (value: string) => Hyperparameter {
  const parse = number({ integer });
  return (value) => {
    if (value === 'auto') return 'auto';
    const parsed = parse(value);
    if (parsed <= 0) throw new InvalidArgumentError('Must be more than 0, or auto.');
    return parsed;
  };
}

/**
 * `--model` of the `jobs create-*` commands: first the base model to fine-tune. With
 * `localChecks` (files checked before uploading) it also picks the checks' tokenizer and limit,
 * and `--encoding` and `--token-limit` come along as the dataset commands define them.
 */
export function withBaseModel(command: Command, options: { readonly localChecks: boolean }): Command {
  const description = options.localChecks ? 'base model to fine-tune; also picks the tokenizer and per-example token limit of the local checks' : 'base model to fine-tune';
  command.addOption(new Option('--model <model>', description).default(defaultModel));
  if (options.localChecks) for (const option of withTargetModel(new Command()).options) if (option.long !== '--model') command.addOption(option);
  return command;
}

/** The job options both `jobs create-*` commands take (the model option is added by {@link withBaseModel}). */
export function withJobOptions(command: Command): Command {
  command
    .addOption(new Option('--n-epochs <n>', 'epochs to train for, or auto (server default)').argParser(hyperparameter(true)))
    .addOption(new Option('--batch-size <n>', 'examples per batch, or auto (server default)').argParser(hyperparameter(true)))
    .addOption(new Option('--learning-rate-multiplier <x>', 'learning rate scaling factor, or auto (server default)').argParser(hyperparameter(false)))
    .option('--suffix <text>', "added to the fine-tuned model's name (up to 64 characters on OpenAI)")
    .addOption(new Option('--seed <n>', 'seed for a reproducible job (0 to 2147483647)').argParser(number({ min: 0, max: 2_147_483_647, integer: true })))
    .option('--no-wait-for-files', 'create the job without waiting for the files to be processed (for servers that process them on upload)')
    .option('--wait', 'follow the job to its end, printing its events and the fine-tuned model (exit code 1 if it fails or is cancelled)')
    .option('--json', 'print the job as JSON (with --wait: one JSON object per line, each event then the job)');
  return withPolling(command, { files: true, jobs: true });
}
