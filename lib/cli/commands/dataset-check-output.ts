import { datasetChecks, type CheckId } from '../../dataset/checks.js';
import type { DatasetStats } from '../../dataset/stats.js';
import { severityCounts } from '../../dataset/issues.js';
import { notExamplesNote, type DatasetIssue, type DatasetReport } from '../../dataset/validate.js';
import { escapeControls } from '../../dataset/values.js';
import { formatNumber, plural, renderTable } from '../output.js';

// Cents for prices and costs of a dollar or more; two significant digits for smaller costs.
const dollars = (value: number): string =>
  `$${value.toLocaleString('en-US', value >= 1 || value === 0 ? { minimumFractionDigits: 2, maximumFractionDigits: 2 } : { maximumSignificantDigits: 2 })}`;

/** One issue on one line, as `dataset validate` and the checks before an upload print it: `file:line: severity [check] message`. */
export function renderIssue(issue: DatasetIssue): string {
  const severity = datasetChecks[issue.check as CheckId]?.severity ?? 'error';
  // Messages quote lines of the file: no control character of theirs reaches the terminal.
  return escapeControls(`${issue.file}${issue.line === undefined ? '' : `:${issue.line}`}: ${severity} [${issue.check}] ${issue.message}`);
}

/** `dataset validate` for people: one line per issue in file and line order, then a summary. */
export function renderReport(report: DatasetReport, maxIssues: number): string {
  const order = (issue: DatasetIssue): [number, number] => [report.files.indexOf(issue.file), issue.line ?? Infinity];
  const issues = [...report.errors, ...report.warnings].sort((a, b) => {
    const [fileA, lineA] = order(a);
    const [fileB, lineB] = order(b);
    return fileA - fileB || lineA - lineB || 0;
  });
  const lines = issues.map(renderIssue);
  if (report.omitted > 0) {
    const over = (Object.entries(report.counts) as Array<[CheckId, number]>).filter(([, count]) => count > maxIssues).map(([check, count]) => `${check} ${formatNumber(count - maxIssues)}`);
    lines.push(`... and ${plural(report.omitted, 'more issue')} not listed (--max-issues ${maxIssues}): ${over.join(', ')}`);
  }
  const { errors, warnings } = severityCounts(report.counts);
  const { model, encoding, tokenLimit } = report.model;
  if (lines.length > 0) lines.push('');
  const others = report.notExamples === 0 ? '' : ` (and ${notExamplesNote(report.notExamples)})`;
  lines.push(`${plural(report.examples, 'example')}${others} in ${report.files.join(', ')}; token limit ${formatNumber(tokenLimit)} per example (${model}, ${encoding}).`);
  lines.push(errors === 0 ? `No errors, ${plural(warnings, 'warning')}.` : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}: fix the errors before fine-tuning.`);
  return `${lines.join('\n')}\n`;
}

/** `dataset stats` for people: a table of per-example distributions, then the training estimate. */
export function renderStats(stats: DatasetStats): string {
  const { model, encoding, tokenLimit } = stats.model;
  const row = (label: string, d: DatasetStats['messages']): Array<string | number> => [label, formatNumber(d.min), formatNumber(d.max), formatNumber(d.mean, 1), formatNumber(d.median, 1), formatNumber(d.p10, 1), formatNumber(d.p90, 1)];
  const lines = [
    `${stats.file}: ${plural(stats.examples, 'example')}, tokens counted for ${model} (${encoding}, at most ${formatNumber(tokenLimit)} per example).`,
    renderTable(['per example', 'min', 'max', 'mean', 'median', 'p10', 'p90'], [row('messages', stats.messages), row('total tokens', stats.totalTokens), row('assistant tokens', stats.assistantTokens)]),
    `Over the token limit: ${plural(stats.overLimit, 'example')}${stats.overLimit === 0 ? '' : ' (truncated in training, billed at the limit)'}.`,
    stats.epochs === stats.defaultEpochs
      ? `Epochs: ${stats.epochs} (OpenAI's default for ${plural(stats.examples, 'example')}).`
      : `Epochs: ${stats.epochs} (given; OpenAI's default for ${plural(stats.examples, 'example')} is ${stats.defaultEpochs}).`,
    `Billed tokens: ${formatNumber(stats.billingTokensPerEpoch)} per epoch x ${stats.epochs} = ${formatNumber(stats.billingTokens)}.`,
    stats.estimatedCost === undefined || stats.pricePerMTok === undefined
      ? 'Estimated cost: give --price-per-mtok (dollars per million training tokens, from your provider\'s pricing page).'
      : `Estimated cost: ${dollars(stats.estimatedCost)} at ${dollars(stats.pricePerMTok)} per million training tokens.`,
  ];
  return `${lines.join('\n')}\n`;
}
