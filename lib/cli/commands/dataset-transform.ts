import { Option, type Command } from 'commander';
import { convertDataset } from '../../dataset/convert.js';
import { argumentsShapes, completionShapes, convertTargets, type ArgumentsShape, type CompletionShape, type ConvertTarget } from '../../dataset/convert-line.js';
import { dedupeDataset } from '../../dataset/dedupe.js';
import { mergeDatasets, type ShardCounts } from '../../dataset/merge.js';
import { splitDataset, splitDefaults } from '../../dataset/split.js';
import { ConfigurationError } from '../../errors.js';
import { withExamples } from '../help.js';
import { datasetArgument, number } from '../options.js';
import { formatNumber, plural, printJson, printTable } from '../output.js';
import { runTransform } from './transform-run.js';

const countsHead = ['file', 'read', 'written', 'duplicates', 'blank', 'skipped'];
const countsRow = (counts: ShardCounts): Array<string | number> => [
  counts.file,
  ...[counts.read, counts.written, counts.duplicates, counts.blank, counts.skipped].map((value) => formatNumber(value)),
];

/** Registers `fn-distil dataset split`. */
export function registerSplit(dataset: Command): void {
  const command = dataset
    .command('split')
    .description('split a dataset into a training and a validation file: exact sizes, seeded, order kept')
    .argument('<file>', 'JSONL dataset to split (a file: it is read twice)')
    .addOption(new Option('--val <share>', 'share of the examples for validation, between 0 and 1').argParser(number({ above: 0, below: 1, expected: 'a share between 0 and 1 (exclusive), e.g. 0.1' })).default(splitDefaults.validation))
    .addOption(new Option('--seed <n>', 'seed of the selection: the same file and seed give the same split').argParser(number({ integer: true, expected: 'a whole number' })).default(splitDefaults.seed))
    .option('--train-output <file>', 'training file (default: <name>.train.jsonl next to the input)')
    .option('--val-output <file>', 'validation file (default: <name>.val.jsonl next to the input)')
    .option('--json', 'print the result as JSON');
  withExamples(command, ['dataset split math_finetunes.jsonl --val 0.1 --seed 7'])
    .action(async (file: string, options: { val: number; seed: number; trainOutput?: string; valOutput?: string; json?: boolean }) => {
      const result = await runTransform('split', (run) =>
        splitDataset(datasetArgument(file), {
          validation: options.val,
          seed: options.seed,
          ...(options.trainOutput === undefined ? {} : { trainOutput: options.trainOutput }),
          ...(options.valOutput === undefined ? {} : { validationOutput: options.valOutput }),
          signal: run.signal,
          onProgress: run.onProgress,
        }),
      );
      if (options.json === true) return printJson(result);
      process.stdout.write(`Split ${plural(result.examples, 'example')} of ${result.file} with seed ${result.seed}${blankNote(result.blank)}:\n`);
      printTable(['', 'file', 'examples'], [
        ['train', result.train.file, formatNumber(result.train.examples)],
        ['validation', result.validation.file, formatNumber(result.validation.examples)],
      ]);
    });
}

/** Registers `fn-distil dataset dedupe`. */
export function registerDedupe(dataset: Command): void {
  const command = dataset
    .command('dedupe')
    .description('copy a dataset without repeated examples (same JSON value, key order and spacing ignored), keeping the first')
    .argument('<file>', 'JSONL dataset (- for standard input)')
    .option('-o, --output <file>', 'deduplicated file (default: <name>.deduped.jsonl next to the input)')
    .option('--skip-invalid', 'leave out lines that are not JSON objects (each is reported) instead of failing')
    .option('--json', 'print the result as JSON');
  withExamples(command, ['dataset dedupe math_finetunes.jsonl -o math_unique.jsonl'])
    .action(async (file: string, options: { output?: string; skipInvalid?: boolean; json?: boolean }) => {
      const result = await runTransform('dedupe', (run) =>
        dedupeDataset(datasetArgument(file), { ...(options.output === undefined ? {} : { output: options.output }), skipInvalid: options.skipInvalid === true, ...run }),
      );
      if (options.json === true) return printJson(result);
      process.stdout.write(`Wrote ${plural(result.written, 'example')} to ${result.output} (${plural(result.duplicates, 'duplicate')} dropped):\n`);
      printTable(countsHead, [countsRow(result)]);
    });
}

/** Registers `fn-distil dataset merge`. */
export function registerMerge(dataset: Command): void {
  const command = dataset
    .command('merge')
    .description('merge dataset shards (one file per process or machine) into one file, dropping duplicates across shards')
    .argument('<shards...>', 'JSONL files to merge, in order (- for standard input)')
    .requiredOption('-o, --output <file>', '(required) merged file')
    .option('--keep-duplicates', 'write every example, even one already written')
    .option('--skip-invalid', 'leave out lines that are not JSON objects (each is reported) instead of failing')
    .option('--json', 'print the result as JSON');
  withExamples(command, ['dataset merge captures/*.jsonl -o math_finetunes.jsonl'])
    .action(async (shards: string[], options: { output: string; keepDuplicates?: boolean; skipInvalid?: boolean; json?: boolean }) => {
      const result = await runTransform('merge', (run) =>
        mergeDatasets(shards.map(datasetArgument), options.output, { dedupe: options.keepDuplicates !== true, skipInvalid: options.skipInvalid === true, ...run }),
      );
      if (options.json === true) return printJson(result);
      process.stdout.write(
        `Merged ${plural(result.shards.length, 'shard')} into ${result.output}: ${plural(result.written, 'example')} written, ${plural(result.duplicates, 'duplicate')} dropped.\n`,
      );
      printTable(countsHead, [...result.shards.map(countsRow), countsRow({ ...result, file: 'total' })]);
    });
}

/** Registers `fn-distil dataset convert`. */
export function registerConvert(dataset: Command): void {
  const command = dataset
    .command('convert')
    .description('rewrite every example in another format: tools, messages, json (plain chat for TRL, Axolotl, Unsloth) or prompt-completion (TRL, loss on the answer only)')
    .argument('<file>', 'JSONL dataset in any format distil() writes (messages, tools, json or raw); - for standard input')
    .addOption(new Option('--to <format>', 'target format').choices(convertTargets).makeOptionMandatory())
    .option('-o, --output <file>', 'converted file (default: <name>.<format>.jsonl next to the input)')
    .addOption(new Option('--completion <format>', "what a prompt-completion line's completion holds: the answer as JSON content, or the tool call (with the line's tools) (default: json)").choices(completionShapes))
    .addOption(new Option('--arguments <shape>', 'tool call arguments as a JSON string (OpenAI) or an object (templates that render arguments | tojson) (default: string)').choices(argumentsShapes))
    .option('--tool-name <name>', 'function name for raw lines whose schema has no title')
    .option('--tool-description <text>', "description of the function for lines that carry none (json, raw); default: the schema's description")
    .option('--skip-invalid', 'leave out lines that cannot be converted (each is reported) instead of failing')
    .option('--json', 'print the result as JSON');
  withExamples(command, [
    'dataset convert math_finetunes.jsonl --to json -o math_chat.jsonl',
    'dataset convert math_finetunes.jsonl --to prompt-completion -o math_trl.jsonl',
    'dataset convert math_finetunes.jsonl --to tools --arguments object',
  ])
    .action(
      async (
        file: string,
        options: {
          to: ConvertTarget;
          output?: string;
          completion?: CompletionShape;
          arguments?: ArgumentsShape;
          toolName?: string;
          toolDescription?: string;
          skipInvalid?: boolean;
          json?: boolean;
        },
      ) => {
        const { to, output, completion, arguments: argumentsAs, toolName, toolDescription } = options;
        const result = await runTransform('convert', (run) =>
          convertDataset(datasetArgument(file), to, {
            ...(output === undefined ? {} : { output }),
            ...(completion === undefined ? {} : { completion }),
            ...(argumentsAs === undefined ? {} : { argumentsAs }),
            ...(toolName === undefined ? {} : { toolName }),
            ...(toolDescription === undefined ? {} : { toolDescription }),
            skipInvalid: options.skipInvalid === true,
            ...run,
          }).catch((error: unknown) => {
            throw withFlags(error, { toolName: '--tool-name', completion: '--completion', argumentsAs: '--arguments' });
          }),
        );
        if (options.json === true) return printJson(result);
        process.stdout.write(`Wrote ${plural(result.written, `${to} example`)} to ${result.output}${blankNote(result.blank)}:\n`);
        const from = Object.entries(result.from).filter(([, count]) => count > 0);
        printTable(
          ['from', 'examples'],
          [...from.map(([format, count]) => [format, formatNumber(count)]), ...(result.skipped > 0 ? [['skipped', formatNumber(result.skipped)]] : [])],
        );
      },
    );
}

/** A library error about one of `flags`' options as the command line says it: naming the flags that set them. */
function withFlags(error: unknown, flags: Readonly<Record<string, string>>): unknown {
  if (!(error instanceof ConfigurationError) || !Object.hasOwn(flags, error.option)) return error;
  let message = error.message;
  for (const [option, flag] of Object.entries(flags)) message = message.replaceAll(`the \`${option}\` option`, flag).replaceAll(`\`${option}\``, flag);
  return new ConfigurationError(flags[error.option] as string, message, { cause: error });
}

function blankNote(blank: number): string {
  return blank === 0 ? '' : ` (${plural(blank, 'blank line')} left out)`;
}
