import { formatNumber, plural } from '../dataset/numbers.js';
import type { EvalReport } from './metrics.js';

const percent = (rate: number): string => `${(rate * 100).toFixed(1)}%`;
const remaining = (count: number): string => (count === 1 ? 'example' : plural(count, 'example'));

/** The report's summary rows, shared by the terminal table and the Markdown file. */
export function reportRows(report: EvalReport): Array<[string, string]> {
  // With nothing evaluated there is no rate to show: 0.0% would read as a verdict on the model.
  const share = (rate: number): string => (report.evaluated === 0 ? 'n/a' : percent(rate));
  return [
    ['model', report.model],
    ['examples evaluated', `${formatNumber(report.evaluated)} of ${formatNumber(report.examples)}${report.resumed > 0 ? ` (${formatNumber(report.resumed)} from earlier runs)` : ''}`],
    ['exact match', share(report.exactMatch)],
    ['invalid answers', `${formatNumber(report.invalidAnswers)} (${share(report.invalidRate)})`],
    ['re-asks', formatNumber(report.reasks)],
    ['failed requests', formatNumber(report.failed)],
    // No sample, no latency: 0 ms would read as a measurement.
    ['latency p50 / p95', report.evaluated === 0 ? 'n/a' : `${Math.round(report.latencyMs.p50)} ms / ${Math.round(report.latencyMs.p95)} ms`],
    ['tokens (prompt + completion)', `${formatNumber(report.tokens.prompt)} + ${formatNumber(report.tokens.completion)} = ${formatNumber(report.tokens.total)}`],
  ];
}

/** Per-field accuracy rows. */
export function fieldRows(report: EvalReport): Array<[string, string]> {
  return Object.entries(report.fields).map(([field, rate]) => [field, percent(rate)]);
}

/** The report as a Markdown document, for `--report-md`. */
export function markdownReport(report: EvalReport): string {
  const table = (head: [string, string], rows: Array<[string, string]>): string =>
    [`| ${head[0]} | ${head[1]} |`, '| --- | --- |', ...rows.map(([a, b]) => `| ${a.replace(/\|/g, '\\|')} | ${b.replace(/\|/g, '\\|')} |`)].join('\n');
  const parts = [`# Evaluation of ${report.model}`, '', `Dataset: \`${report.dataset}\``, '', table(['metric', 'value'], reportRows(report))];
  const fields = fieldRows(report);
  if (fields.length > 0) parts.push('', '## Per-field accuracy', '', table(['field', 'accuracy'], fields));
  if (report.interrupted || report.failed > 0) parts.push('', `Incomplete: run the same command again to evaluate the remaining ${remaining(report.examples - report.evaluated)}.`);
  return `${parts.join('\n')}\n`;
}
