import { writeFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { serverNames } from '../../servers/index.js';
import type { ServerName } from '../../servers/types.js';
import { evaluateModel } from '../../eval/evaluate.js';
import { evaluateDefaults } from '../../eval/options.js';
import { fieldRows, markdownReport, reportRows } from '../../eval/markdown.js';
import type { EvalReport } from '../../eval/metrics.js';
import { apiClient, connectionDefaults, type ConnectionOptions } from '../client.js';
import { exitCodes } from '../exit-codes.js';
import { withExamples } from '../help.js';
import { number, withConnection } from '../options.js';
import { formatNumber, plural, printJson, printTable, progress } from '../output.js';

interface EvalFlags extends ConnectionOptions {
  readonly model: string;
  readonly dataset: string;
  readonly concurrency: number;
  readonly reasks: number;
  readonly temperature?: number;
  readonly maxTokens?: number;
  readonly server?: ServerName;
  readonly omitSchema?: boolean;
  readonly results?: string;
  readonly fresh?: boolean;
  readonly limit?: number;
  readonly json?: boolean;
  readonly reportJson?: string;
  readonly reportMd?: string;
}

/** Registers `fn-distil eval`. */
export function registerEval(program: Command): void {
  const command = program
    .command('eval')
    .description("replay held-out examples to a model through swap()'s request path and compare its answers with the recorded outputs")
    .requiredOption('--model <model>', '(required) the model to evaluate, e.g. ft:gpt-4o-mini-2024-07-18:acme::abc123')
    .requiredOption('--dataset <file>', '(required) held-out examples (chat JSONL), e.g. the validation file of `dataset split`')
    .option('--concurrency <n>', 'requests in flight at once', number({ min: 1, integer: true }), evaluateDefaults.concurrency)
    .option('--reasks <n>', 're-asks after an invalid answer, with the errors sent back (as swap()\'s maxRetries)', number({ min: 0, integer: true }), evaluateDefaults.reasks)
    .addOption(new Option('--server <name>', "the server that hosts the model: what each request carries (default: openai for api.openai.com, else generic)").choices(serverNames))
    .option('--temperature <t>', `sampling temperature sent with each request (default: ${evaluateDefaults.temperature})`, number({ min: 0, max: 2 }))
    .option('--max-tokens <n>', `most tokens of one answer (default: ${evaluateDefaults.maxTokens})`, number({ min: 1, integer: true }))
    .option('--omit-schema', 'declare functions by name only, as swap()\'s omitSchema')
    .option('--results <file>', 'results file that makes runs resumable (default: <dataset>.eval-results.jsonl)')
    .option('--fresh', 'ignore results of earlier runs in the results file and start over')
    .option('--limit <n>', 'evaluate only the first n examples', number({ min: 1, integer: true }))
    .option('--json', 'print the report as JSON')
    .option('--report-json <file>', 'also write the report as JSON to a file')
    .option('--report-md <file>', 'also write the report as Markdown to a file');
  withExamples(withConnection(command), [
    'eval --model ft:gpt-4o-mini-2024-07-18:acme::abc123 --dataset math_finetunes.val.jsonl --report-md eval.md',
    'eval --model my-finetune --dataset math_finetunes.val.jsonl --base-url http://127.0.0.1:8000/v1 --server vllm --concurrency 8 --json',
  ]).action(async (flags: EvalFlags) => {
    const client = await apiClient(flags);
    const controller = new AbortController();
    // Ctrl-C stops asking; every result so far is already in the results file.
    const interrupt = (): void => controller.abort();
    process.once('SIGINT', interrupt);
    const bar = progress('eval', 1, 'examples');
    let report: EvalReport;
    try {
      report = await evaluateModel({
        dataset: flags.dataset,
        model: flags.model,
        client,
        concurrency: flags.concurrency,
        reasks: flags.reasks,
        omitSchema: flags.omitSchema === true,
        fresh: flags.fresh === true,
        ...(flags.results === undefined ? {} : { resultsFile: flags.results }),
        signal: controller.signal,
        onProgress: (done, total) => bar.update(done, total),
        ...(flags.temperature === undefined ? {} : { temperature: flags.temperature }),
        ...(flags.maxTokens === undefined ? {} : { maxTokens: flags.maxTokens }),
        ...(flags.server === undefined ? {} : { server: flags.server }),
        ...(flags.limit === undefined ? {} : { limit: flags.limit }),
        // The whole reply, not only its headers, within --timeout (a minute by default).
        timeoutMs: flags.timeout ?? connectionDefaults.timeout,
      });
    } finally {
      bar.stop();
      process.off('SIGINT', interrupt);
    }
    if (flags.reportJson !== undefined) writeFileSync(flags.reportJson, `${JSON.stringify(report, null, 2)}\n`);
    if (flags.reportMd !== undefined) writeFileSync(flags.reportMd, markdownReport(report));
    if (flags.json === true) printJson(report);
    else {
      printTable(['metric', 'value'], reportRows(report));
      const fields = fieldRows(report);
      if (fields.length > 0) printTable(['field', 'accuracy'], fields);
    }
    const missing = report.examples - report.evaluated;
    if (report.interrupted) {
      const kept = report.evaluated > 0 ? ` (results so far are in ${report.resultsFile})` : '';
      process.stderr.write(`fn-distil: interrupted with ${formatNumber(missing)} of ${plural(report.examples, 'example')} left; run the same command again to resume${kept}.\n`);
      process.exitCode = exitCodes.SIGINT;
    } else if (report.failed > 0) {
      const kept = report.evaluated > 0 ? ` (answered ones are kept in ${report.resultsFile})` : '';
      const last = report.lastFailure === undefined ? '' : `; last error: ${report.lastFailure}`;
      process.stderr.write(`fn-distil: ${plural(report.failed, 'example')} got no answer (HTTP errors, timeouts or replies that were not chat completions${last}); run the same command again to ask only those${kept}.\n`);
      process.exitCode = exitCodes.failure;
    }
  });
}
