import { InvalidArgumentError, Option, type Command } from 'commander';
import { datasetStats } from '../../dataset/stats.js';
import { validateDataset } from '../../dataset/validate.js';
import { number, withTargetModel } from '../options.js';
import { printJson, progress, type Progress } from '../output.js';
import { renderReport, renderStats } from './dataset-check-output.js';

interface TargetOptions {
  readonly model: string;
  readonly encoding?: string;
  readonly tokenLimit?: number;
}

interface ValidateOptions extends TargetOptions {
  readonly json?: boolean;
  readonly minExamples: number;
  readonly maxIssues: number;
  readonly threads: number | 'auto';
}

interface StatsOptions extends TargetOptions {
  readonly json?: boolean;
  readonly epochs?: number;
  readonly pricePerMtok?: number;
}

/** Registers `fn-distil dataset validate`. */
export function registerValidate(dataset: Command): void {
  const command = dataset
    .command('validate')
    .description('check chat fine-tuning JSONL files line by line: shape, calls and their arguments, token limit, example count, duplicates')
    .argument('<files...>', 'JSONL files; duplicates are looked for across all of them')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--min-examples <n>', 'fewer examples in a file is an error (OpenAI needs 10 in a training file)').argParser(number({ min: 0, integer: true })).default(10))
    .addOption(new Option('--max-issues <n>', 'issues listed per check; the rest are counted').argParser(number({ min: 1, integer: true })).default(100))
    .addOption(new Option('--threads <n>', 'threads reading each file: a number (about 35 MB each), or auto (2 for files of 64 MB and more)').argParser(threads).default('auto'));
  withTargetModel(command)
    .addHelpText('after', '\nExit code 0 when no error is found (warnings allowed), 1 otherwise.\n\nExamples:\n  $ fn-distil dataset validate train.jsonl\n  $ fn-distil dataset validate train.jsonl valid.jsonl --min-examples 1 --model gpt-3.5-turbo-0125 --json')
    .action(async (files: string[], options: ValidateOptions) => {
      const bar = lazyProgress('Validating');
      const report = await validateDataset(files, { ...target(options), minExamples: options.minExamples, maxIssues: options.maxIssues, threads: options.threads, onProgress: bar.update }).finally(bar.stop);
      if (options.json === true) printJson(report);
      else process.stdout.write(renderReport(report, options.maxIssues));
      process.exitCode = report.ok ? 0 : 1;
    });
}

/** Registers `fn-distil dataset stats`. */
export function registerStats(dataset: Command): void {
  const command = dataset
    .command('stats')
    .description('count examples, messages and tokens per example, and estimate training epochs, billed tokens and cost')
    .argument('<file>', 'a training JSONL file')
    .option('--json', 'print the numbers as JSON')
    .addOption(new Option('--epochs <n>', "epochs to estimate for (default: the number OpenAI picks for this many examples)").argParser(number({ min: 1, integer: true })))
    .addOption(new Option('--price-per-mtok <dollars>', 'price of one million training tokens, for a cost estimate').argParser(number({ min: 0 })));
  withTargetModel(command)
    .addHelpText('after', '\nExamples:\n  $ fn-distil dataset stats train.jsonl\n  $ fn-distil dataset stats train.jsonl --model gpt-3.5-turbo-0125 --price-per-mtok 8 --json')
    .action(async (file: string, options: StatsOptions) => {
      const bar = lazyProgress('Counting tokens');
      const stats = await datasetStats(file, {
        ...target(options),
        ...(options.epochs === undefined ? {} : { epochs: options.epochs }),
        ...(options.pricePerMtok === undefined ? {} : { pricePerMTok: options.pricePerMtok }),
        onProgress: bar.update,
      }).finally(bar.stop);
      if (options.json === true) printJson(stats);
      else process.stdout.write(renderStats(stats));
    });
}

function target(options: TargetOptions): { model: string; encoding?: string; tokenLimit?: number } {
  return {
    model: options.model,
    ...(options.encoding === undefined ? {} : { encoding: options.encoding }),
    ...(options.tokenLimit === undefined ? {} : { tokenLimit: options.tokenLimit }),
  };
}

function threads(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  try {
    return number({ min: 1, integer: true })(value);
  } catch {
    throw new InvalidArgumentError('Use a whole number, 1 or more, or auto.');
  }
}

/** A progress bar in megabytes, started at the first report, when the total is known. */
function lazyProgress(label: string): { readonly update: (bytes: number, total: number) => void; readonly stop: () => void } {
  let bar: Progress | undefined;
  const megabytes = (bytes: number): number => Math.round(bytes / 1e5) / 10;
  return {
    update: (bytes, total) => {
      bar ??= progress(label, megabytes(total), 'MB');
      bar.update(megabytes(bytes));
    },
    stop: () => bar?.stop(),
  };
}
