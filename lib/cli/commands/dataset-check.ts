import { Option, type Command } from 'commander';
import type { TargetModelOptions } from '../../dataset/models.js';
import { datasetStats } from '../../dataset/stats.js';
import { validateDataset, validateDefaults } from '../../dataset/validate.js';
import { withExamples } from '../help.js';
import { datasetArgument, number, withTargetModel } from '../options.js';
import { byteProgress, printJson } from '../output.js';
import { renderReport, renderStats } from './dataset-check-output.js';

interface ValidateOptions extends TargetModelOptions {
  readonly json?: boolean;
  readonly minExamples: number;
  readonly maxIssues: number;
  readonly threads: number | 'auto';
}

interface StatsOptions extends TargetModelOptions {
  readonly json?: boolean;
  readonly epochs?: number;
  readonly pricePerMtok?: number;
}

/** Registers `fn-distil dataset validate`. */
export function registerValidate(dataset: Command): void {
  const command = dataset
    .command('validate')
    .description('check chat fine-tuning JSONL files (messages or TRL prompt-completion lines) line by line: shape, calls and their arguments, json answers against their schema, token limit, example count, duplicates')
    .argument('<files...>', 'JSONL files (- for standard input); duplicates are looked for across all of them')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--min-examples <n>', 'fewer examples in a file is an error (OpenAI needs 10 in a training file)').argParser(number({ min: 0, integer: true })).default(validateDefaults.minExamples))
    .addOption(new Option('--max-issues <n>', 'issues listed per check; the rest are counted').argParser(number({ min: 1, integer: true })).default(validateDefaults.maxIssues))
    .addOption(
      new Option('--threads <n>', 'threads reading each file: a number (about 35 MB each), or auto (2 for files of 64 MB and more)')
        .argParser(number({ min: 1, integer: true, words: ['auto'], expected: 'a whole number, 1 or more, or auto' }))
        .default(validateDefaults.threads),
    );
  const examples = ['dataset validate train.jsonl', 'dataset validate train.jsonl valid.jsonl --min-examples 1 --model gpt-3.5-turbo-0125 --json', 'dataset validate - < train.jsonl'];
  withExamples(withTargetModel(command), examples, 'Exit code 0 when no error is found (warnings allowed), 1 otherwise.')
    .action(async (files: string[], { json, ...options }: ValidateOptions) => {
      const bar = byteProgress('Validating');
      const report = await validateDataset(files.map(datasetArgument), { ...options, onProgress: bar.update }).finally(bar.stop);
      if (json === true) printJson(report);
      else process.stdout.write(renderReport(report, options.maxIssues));
      process.exitCode = report.ok ? 0 : 1;
    });
}

/** Registers `fn-distil dataset stats`. */
export function registerStats(dataset: Command): void {
  const command = dataset
    .command('stats')
    .description('count examples, messages and tokens per example, and estimate training epochs, billed tokens and cost')
    .argument('<file>', 'a training JSONL file (- for standard input)')
    .option('--json', 'print the numbers as JSON')
    .addOption(new Option('--epochs <n>', "epochs to estimate for (default: the number OpenAI picks for this many examples)").argParser(number({ min: 1, integer: true })))
    .addOption(new Option('--price-per-mtok <dollars>', 'price of one million training tokens, for a cost estimate').argParser(number({ min: 0 })));
  withExamples(withTargetModel(command), ['dataset stats train.jsonl', 'dataset stats train.jsonl --model gpt-3.5-turbo-0125 --price-per-mtok 8 --json'])
    .action(async (file: string, { json, pricePerMtok, ...options }: StatsOptions) => {
      const bar = byteProgress('Counting tokens');
      const stats = await datasetStats(datasetArgument(file), { ...options, pricePerMTok: pricePerMtok, onProgress: bar.update }).finally(bar.stop);
      if (json === true) printJson(stats);
      else process.stdout.write(renderStats(stats));
    });
}
