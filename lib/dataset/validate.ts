import { ConfigurationError, DatasetError } from '../errors.js';
import { datasetChecks, type CheckId } from './checks.js';
import { recordWords } from './line-digests.js';
import { OrderedDuplicates } from './duplicates.js';
import { IssueLog, isError, type DatasetIssue } from './issues.js';
import { inputFile, type ByteRange, type InputFile } from './lines.js';
import { targetModel, targetModelDefaults, type TargetModel, type TargetModelOptions } from './models.js';
import { formatNumber, plural } from './numbers.js';
import { averageLineBytes, splitLines } from './ranges.js';
import { autoThreads, minRangeBytes, validateInWorker, workerScript } from './threads.js';
import { validateRange, type RangeResult, type RangeSettings } from './validate-range.js';

export type { DatasetIssue } from './issues.js';

/**
 * What {@link validateDataset} found: the issues (at most `maxIssues` of each check listed, all
 * counted), and whether the files can be used for fine-tuning.
 *
 * @example
 * ```ts
 * const report: DatasetReport = await validateDataset(['train.jsonl']);
 * if (!report.ok) console.error(`${report.errors.length} errors listed, ${report.counts.invalid_json ?? 0} lines not JSON`);
 * ```
 */
export interface DatasetReport {
  readonly files: readonly string[];
  /**
   * Chat examples read: lines holding a JSON object with a `messages` list, or TRL's
   * conversational `prompt` and `completion` lists. Only these count toward `minExamples`.
   */
  readonly examples: number;
  /**
   * Non-blank lines that are not chat examples: not JSON, not an object, without a `messages`
   * list (distil()'s `'raw'` lines, `{"text": ...}`, a `{"prompt": "..."}` of text), or too long to
   * read; each is also an error.
   */
  readonly notExamples: number;
  /** True when no error was found: the files can be used for fine-tuning. */
  readonly ok: boolean;
  /** Problems that make a file unusable for fine-tuning, in file and line order (at most `maxIssues` of each check). */
  readonly errors: readonly DatasetIssue[];
  /** Problems worth a look that do not stop a job, e.g. duplicates (at most `maxIssues` of each check). */
  readonly warnings: readonly DatasetIssue[];
  /** How many issues each check found, including those not listed. */
  readonly counts: Readonly<Partial<Record<CheckId, number>>>;
  /** Issues found but not listed in `errors` / `warnings`, over `maxIssues` per check. */
  readonly omitted: number;
  /** The model the token limit was checked for, with its tokenizer and limit. */
  readonly model: TargetModel;
}

/**
 * Options of {@link validateDataset}: the target model's (`model`, `encoding`, `tokenLimit`) and
 * how much to check and report.
 *
 * @example
 * ```ts
 * const options: ValidateDatasetOptions = { model: 'gpt-3.5-turbo-0125', minExamples: 1, maxIssues: 20, threads: 1 };
 * ```
 */
export interface ValidateDatasetOptions extends TargetModelOptions {
  /** A file with fewer examples is an error. @default 10 (OpenAI's minimum for a training file) */
  readonly minExamples?: number | undefined;
  /** Issues listed per check; the rest are only counted, so memory stays bounded. @default 100 */
  readonly maxIssues?: number | undefined;
  /**
   * Threads reading each file: `'auto'` uses 2 when Node has 2 cores or more and the file is
   * 64 MB or more; a number splits every file into that many parts (each thread beyond the
   * first takes about 35 MB). Threads need the built package (dist/validate-worker.js); from
   * sources everything runs on one. A pipe (`/dev/stdin`, a FIFO) is always read on one.
   * @default 'auto'
   */
  readonly threads?: number | 'auto' | undefined;
  /**
   * Called as the files are read (about every 64 KB), with bytes read so far over all files and
   * their total size. Not called while a pipe is read: its size is unknown.
   */
  readonly onProgress?: ((bytesRead: number, totalBytes: number) => void) | undefined;
}

/** Defaults of {@link ValidateDatasetOptions}. */
export const validateDefaults = { ...targetModelDefaults, minExamples: 10, maxIssues: 100, threads: 'auto' } as const satisfies ValidateDatasetOptions;

/**
 * Checks chat fine-tuning JSONL files line by line, streaming, each line parsed once. Structural
 * checks find what OpenAI's schema of a training line rejects; semantic checks find what a job
 * would refuse or learn wrong from: undeclared functions, arguments that miss their
 * `parameters` schema, `'json'` answers that miss the schema their system prompt declares,
 * examples over the model's token limit, fewer than 10 examples, and duplicates across all the
 * files (about 17 bytes of memory per line). TRL's conversational prompt-completion lines are
 * examples too, checked as their prompt then completion messages. A pipe (`/dev/stdin`, a FIFO,
 * bash's `<(...)`) is read once, in order, on one thread. A missing file or an unknown model
 * throws; problems in the data are reported, never thrown.
 *
 * @example
 * ```ts
 * const report = await validateDataset(['train.jsonl', 'valid.jsonl'], { model: 'gpt-4o-mini-2024-07-18', minExamples: 1 });
 * for (const issue of report.errors) console.error(`${issue.file}:${issue.line ?? ''} ${issue.message}`);
 * if (!report.ok) process.exitCode = 1;
 * ```
 */
export async function validateDataset(files: readonly string[], options: ValidateDatasetOptions = {}): Promise<DatasetReport> {
  const minExamples = options.minExamples ?? validateDefaults.minExamples;
  const maxIssues = options.maxIssues ?? validateDefaults.maxIssues;
  const threads = options.threads ?? validateDefaults.threads;
  if (!(Number.isInteger(minExamples) && minExamples >= 0)) throw new ConfigurationError('minExamples', `\`minExamples\` must be a whole number, 0 or more, got ${String(minExamples)}.`);
  if (!(Number.isInteger(maxIssues) && maxIssues >= 1)) throw new ConfigurationError('maxIssues', `\`maxIssues\` must be a whole number, 1 or more, got ${String(maxIssues)}.`);
  if (threads !== 'auto' && !(Number.isInteger(threads) && threads >= 1)) throw new ConfigurationError('threads', `\`threads\` must be 'auto' or a whole number, 1 or more, got ${String(threads)}.`);
  const model = targetModel(options);
  if (files.length === 0) throw new DatasetError('', undefined, 'No dataset file given.');
  // Every file is looked at first, so a typo in the last one fails before minutes of reading.
  const inputs = files.map(inputFile);
  // A pipe has no size: it is read on one thread, in one pass, and its progress is not reported.
  const totalBytes = inputs.reduce((sum, input) => sum + input.size, 0);
  const script = (threads === 'auto' ? autoThreads() : threads) > 1 ? workerScript() : undefined;
  const partsOf = (size: number): number => (script === undefined ? 1 : threads === 'auto' ? Math.min(autoThreads(), Math.floor(size / minRangeBytes)) : threads);
  // Sampling a pipe's first lines would consume them: only a regular file is sampled.
  const sampled = inputs.find((input) => input.regular);

  const settings: RangeSettings = { model, maxIssues };
  const log = new IssueLog(maxIssues);
  const duplicates = new OrderedDuplicates(files, maxIssues, sampled === undefined ? 0 : totalBytes / averageLineBytes(sampled.file));
  let examples = 0;
  let notExamples = 0;
  let bytesBefore = 0;
  for (let k = 0; k < files.length; k++) {
    const { file, size, regular } = inputs[k] as InputFile;
    const ranges: ReadonlyArray<ByteRange | undefined> = regular ? splitLines(file, size, partsOf(size)) : [undefined];
    duplicates.startFile(k, ranges.length);
    const before = bytesBefore;
    const results = await validateRanges(file, ranges, settings, script, duplicates, (bytes) => {
      if (regular) options.onProgress?.(before + bytes, totalBytes);
    });
    const fileLog = duplicates.finishFile();
    const fileExamples = results.reduce((sum, result) => sum + result.examples, 0);
    const fileNotExamples = results.reduce((sum, result) => sum + result.notExamples, 0);
    const filePromptCompletion = results.reduce((sum, result) => sum + result.promptCompletion, 0);
    fileLog.line = undefined;
    if (filePromptCompletion > 0) {
      fileLog.add(
        'prompt_completion',
        `${file} has ${plural(filePromptCompletion, 'prompt-completion line')} (TRL's conversational shape), checked as prompt then completion messages: TRL trains on this shape, but OpenAI fine-tuning reads only {"messages": [...]} lines (for OpenAI, convert the source file with fn-distil dataset convert --to tools).`,
      );
    }
    if (fileExamples < minExamples) {
      const others = fileNotExamples === 0 ? '' : ` (and ${notExamplesNote(fileNotExamples)})`;
      fileLog.add('too_few_examples', `${file} has ${plural(fileExamples, 'example')}${others}; fine-tuning needs at least ${formatNumber(minExamples)}${minExamples === validateDefaults.minExamples ? " (OpenAI's minimum)" : ''}.`);
    }
    absorbInLineOrder(log, results, fileLog);
    examples += fileExamples;
    notExamples += fileNotExamples;
    bytesBefore += size;
  }
  // Counts in the catalogue's order, so the report reads the same however the files were split.
  const counts = Object.fromEntries((Object.keys(datasetChecks) as CheckId[]).filter((check) => log.counts[check] !== undefined).map((check) => [check, log.counts[check]]));
  return { files, examples, notExamples, ok: !log.failed, errors: log.issues.filter(isError), warnings: log.issues.filter((issue) => !isError(issue)), counts, omitted: log.omitted, model };
}

/**
 * Validates the ranges of one file at once: the first on this thread, the others on worker
 * threads (`script`); line digests go to `duplicates` as they come. Any failure stops them all.
 * A lone `undefined` range is the whole input, read in one pass (a pipe).
 */
async function validateRanges(
  file: string,
  ranges: ReadonlyArray<ByteRange | undefined>,
  settings: RangeSettings,
  script: string | undefined,
  duplicates: OrderedDuplicates,
  onProgress: (bytes: number) => void,
): Promise<RangeResult[]> {
  const read = ranges.map(() => 0);
  const progress = (r: number, bytes: number): void => {
    read[r] = bytes;
    onProgress(read.reduce((sum, value) => sum + value, 0));
  };
  const finished = (r: number) => (result: RangeResult): RangeResult => {
    duplicates.finished(r, result.lines);
    return result;
  };
  const workers = ranges.slice(1).map((range, j) =>
    validateInWorker(script as string, { file, range: range as ByteRange, settings }, {
      onDigests: (records) => duplicates.digests(j + 1, records, records.length / recordWords, false),
      onProgress: (bytes) => progress(j + 1, bytes),
    }),
  );
  const stop = new AbortController();
  try {
    const here = validateRange(file, ranges[0], settings, {
      onDigests: (records, count) => duplicates.digests(0, records, count, true),
      onProgress: (bytes) => progress(0, bytes),
      signal: stop.signal,
    });
    return await Promise.all([here.then(finished(0)), ...workers.map((worker, j) => worker.result.then(finished(j + 1)))]);
  } finally {
    stop.abort();
    for (const worker of workers) worker.stop();
  }
}

/** Adds one file's issues to `log` in line order: each range's, shifted to file line numbers, then the file's own. */
function absorbInLineOrder(log: IssueLog, results: readonly RangeResult[], fileLog: IssueLog): void {
  const issues: DatasetIssue[] = [...fileLog.issues];
  const counts: Partial<Record<CheckId, number>> = { ...fileLog.counts };
  let offset = 0;
  for (const result of results) {
    for (const issue of result.issues) issues.push(offset === 0 || issue.line === undefined ? issue : { ...issue, line: issue.line + offset });
    for (const [check, count] of Object.entries(result.counts) as Array<[CheckId, number]>) counts[check] = (counts[check] ?? 0) + count;
    offset += result.lines;
  }
  // Stable: issues of one line keep the order they were found in; whole-file issues go last.
  issues.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity));
  log.absorb(issues, counts);
}

/** `2 lines that are not examples`, `1 line that is not an example`: said the same by validate and its report. */
export function notExamplesNote(count: number): string {
  return count === 1 ? '1 line that is not an example' : `${formatNumber(count)} lines that are not examples`;
}
