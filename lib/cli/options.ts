import { InvalidArgumentError, Option, type Command } from 'commander';
import { defaultModel } from '../dataset/models.js';
import { connectionDefaults } from './client.js';

/** What a number option accepts, checked when the command line is read. */
export interface NumberRule<Word extends string> {
  /** The smallest value allowed. */
  readonly min?: number;
  /** The largest value allowed. */
  readonly max?: number;
  /** Values must be greater than this one, e.g. 0 for a share. */
  readonly above?: number;
  /** Values must be less than this one, e.g. 1 for a share. */
  readonly below?: number;
  /** Only whole numbers (safe integers). */
  readonly integer?: boolean;
  /** Words taken as they are instead of a number, e.g. `auto`. */
  readonly words?: readonly Word[];
  /** What the option takes, said whenever a value is refused: `Must be <expected>.` */
  readonly expected?: string;
}

/** A commander parser for a number option (or one of a few words), checked when the command line is read. */
export function number<const Word extends string = never>(rule: NumberRule<Word> = {}): (value: string) => number | Word {
  const { min, max, above, below, integer, words = [], expected } = rule;
  return (value) => {
    if ((words as readonly string[]).includes(value)) return value as Word;
    const parsed = Number(value);
    const problem =
      value.trim() === '' || !Number.isFinite(parsed)
        ? 'Not a number.'
        : integer === true && !Number.isSafeInteger(parsed)
          ? 'Not a whole number.'
          : min !== undefined && parsed < min
            ? `Must be at least ${min}.`
            : max !== undefined && parsed > max
              ? `Must be at most ${max}.`
              : above !== undefined && !(parsed > above)
                ? `Must be more than ${above}.`
                : below !== undefined && !(parsed < below)
                  ? `Must be less than ${below}.`
                  : undefined;
    if (problem !== undefined) throw new InvalidArgumentError(expected === undefined ? problem : `Must be ${expected}.`);
    return parsed;
  };
}

/**
 * `--base-url`, `--timeout` and `--max-retries`: what every command that calls the API takes.
 * `uploads`: the command uploads files, which get at least 10 minutes whatever `--timeout` says
 * (`uploadFileDefaults.minTimeout`); only such commands mention it.
 */
export function withConnection(command: Command, { uploads = false }: { readonly uploads?: boolean } = {}): Command {
  const timeout = `timeout of each HTTP request in milliseconds (default: ${connectionDefaults.timeout}${uploads ? '; uploads get at least 10 minutes' : ''})`;
  return command
    .addOption(new Option('--base-url <url>', 'OpenAI-compatible API base URL').env('OPENAI_BASE_URL'))
    .addOption(new Option('--timeout <ms>', timeout).argParser(number({ min: 1, integer: true })))
    .addOption(new Option('--max-retries <n>', 'HTTP retries on 429, 5xx and connection errors (the openai client\'s)').argParser(number({ min: 0, integer: true })));
}

/** `--model`, `--encoding`, `--token-limit`: which tokenizer and limit dataset checks use (`TargetModelOptions`). */
export function withTargetModel(command: Command): Command {
  return command
    .option('--model <model>', 'model the dataset is for: picks the tokenizer and per-example token limit', defaultModel)
    .addOption(new Option('--encoding <encoding>', 'tokenizer for a model fn-distil does not know').choices(['o200k_base', 'cl100k_base']))
    .addOption(new Option('--token-limit <n>', 'per-example token limit for a model fn-distil does not know').argParser(number({ min: 1, integer: true })));
}

/**
 * A dataset argument of the `dataset` commands: `-` is standard input, read as `/dev/stdin` (so
 * messages name it), which the library reads once, in order, as any pipe.
 */
export function datasetArgument(file: string): string {
  return file === '-' ? '/dev/stdin' : file;
}
