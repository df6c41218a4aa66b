import { datasetChecks, type CheckId } from './checks.js';

/**
 * One problem found in a dataset file, in `DatasetReport.errors` or `DatasetReport.warnings`.
 *
 * @example
 * ```ts
 * const [first]: readonly DatasetIssue[] = (await validateDataset(['train.jsonl'])).errors;
 * if (first !== undefined) console.error(`${first.file}:${first.line ?? ''} [${first.check}] ${first.message}`);
 * ```
 */
export interface DatasetIssue {
  readonly file: string;
  /** 1-based line number; absent for a problem of the whole file (e.g. too few examples). */
  readonly line?: number;
  /** The {@link CheckId} of the check that found it, e.g. `invalid_json`, `too_few_examples` (every check is listed in docs/cli.md). */
  readonly check: string;
  /** What is wrong and, where it helps, what to do. */
  readonly message: string;
}

/** Where the per-line checks put what they find: an {@link IssueLog}, or a view of one. */
export interface IssueSink {
  add(check: CheckId, message: string): void;
}

/**
 * Collects issues while files are read. Keeps at most `maxPerCheck` of each check, the first
 * ones found, so a file where every line is wrong still validates in bounded memory; counts
 * all of them.
 */
export class IssueLog implements IssueSink {
  /** Issues kept, in the order they were added. */
  readonly issues: DatasetIssue[] = [];
  /** Issues found per check, kept or not. */
  readonly counts: Partial<Record<CheckId, number>> = {};
  private readonly kept: Partial<Record<CheckId, number>> = {};
  /** Where the issues being added are: set by the reader before each line. */
  file = '';
  line: number | undefined = undefined;

  constructor(private readonly maxPerCheck: number) {}

  add(check: CheckId, message: string): void {
    this.counts[check] = (this.counts[check] ?? 0) + 1;
    this.keep(this.line === undefined ? { file: this.file, check, message } : { file: this.file, line: this.line, check, message });
  }

  /** Takes in issues kept and counted elsewhere (another range of a file), in order. */
  absorb(issues: readonly DatasetIssue[], counts: Readonly<Partial<Record<CheckId, number>>>): void {
    for (const [check, count] of Object.entries(counts) as Array<[CheckId, number]>) this.counts[check] = (this.counts[check] ?? 0) + count;
    for (const issue of issues) this.keep(issue);
  }

  private keep(issue: DatasetIssue): void {
    const check = issue.check as CheckId;
    const kept = this.kept[check] ?? 0;
    if (kept >= this.maxPerCheck) return;
    this.kept[check] = kept + 1;
    this.issues.push(issue);
  }

  /** Issues found but not kept, over `maxPerCheck`. */
  get omitted(): number {
    let omitted = 0;
    for (const [check, count] of Object.entries(this.counts) as Array<[CheckId, number]>) omitted += count - (this.kept[check] ?? 0);
    return omitted;
  }

  /** Whether any error was found, kept or not. */
  get failed(): boolean {
    return (Object.keys(this.counts) as CheckId[]).some((check) => datasetChecks[check].severity === 'error');
  }
}

/** Errors and warnings found, listed or not, from a report's `counts`. */
export function severityCounts(counts: Readonly<Partial<Record<CheckId, number>>>): { readonly errors: number; readonly warnings: number } {
  let errors = 0;
  let warnings = 0;
  for (const [check, count] of Object.entries(counts) as Array<[CheckId, number]>) {
    if (datasetChecks[check].severity === 'error') errors += count;
    else warnings += count;
  }
  return { errors, warnings };
}

/** Whether an issue is an error (else a warning), by its check. */
export function isError(issue: DatasetIssue): boolean {
  return datasetChecks[issue.check as CheckId]?.severity === 'error';
}
