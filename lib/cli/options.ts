import { InvalidArgumentError, Option, type Command } from 'commander';

/** A commander parser for a number option, checked when the command line is read. */
export function number(options: { readonly min?: number; readonly max?: number; readonly integer?: boolean } = {}): (value: string) => number {
  return (value) => {
    const parsed = Number(value);
    const { min, max, integer } = options;
    if (value.trim() === '' || !Number.isFinite(parsed)) throw new InvalidArgumentError('Not a number.');
    if (integer === true && !Number.isInteger(parsed)) throw new InvalidArgumentError('Not a whole number.');
    if (min !== undefined && parsed < min) throw new InvalidArgumentError(`Must be at least ${min}.`);
    if (max !== undefined && parsed > max) throw new InvalidArgumentError(`Must be at most ${max}.`);
    return parsed;
  };
}

/** `--base-url`, `--timeout` and `--max-retries`: what every command that calls the API takes. */
export function withConnection(command: Command): Command {
  return command
    .addOption(new Option('--base-url <url>', 'OpenAI-compatible API base URL').env('OPENAI_BASE_URL'))
    .addOption(new Option('--timeout <ms>', 'timeout of each HTTP request in milliseconds').argParser(number({ min: 1, integer: true })))
    .addOption(new Option('--max-retries <n>', 'HTTP retries on 429, 5xx and connection errors (the openai client\'s)').argParser(number({ min: 0, integer: true })));
}

/** `--model`, `--encoding`, `--token-limit`: which tokenizer and limit dataset checks use. */
export function withTargetModel(command: Command): Command {
  return command
    .option('--model <model>', 'model the dataset is for: picks the tokenizer and per-example token limit', 'gpt-4o-mini-2024-07-18')
    .addOption(new Option('--encoding <encoding>', 'tokenizer for a model fn-distil does not know').choices(['o200k_base', 'cl100k_base']))
    .addOption(new Option('--token-limit <n>', 'per-example token limit for a model fn-distil does not know').argParser(number({ min: 1, integer: true })));
}
