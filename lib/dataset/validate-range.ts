import type { CheckId } from './checks.js';
import { lineDigest, recordWords } from './line-digests.js';
import { IssueLog, type DatasetIssue } from './issues.js';
import { checkLine } from './line-checks.js';
import { checkJsonAnswer, checkPromptCompletion } from './open-weight-checks.js';
import { maxLineBytes, readLineBatches, type ByteRange } from './lines.js';
import { formatNumber } from './numbers.js';
import type { TargetModel } from './models.js';
import { ParameterValidators } from './parameters.js';
import { countExampleTokens, loadTokenCounter, mayExceed, type TokenCounter } from './tokens.js';
import { isBlank, isPromptCompletion, notAnExample, parseExampleLine, promptCompletionChat } from './line-rules.js';

/** What every part of a validation run shares; plain data, so it can be sent to a worker. */
export interface RangeSettings {
  readonly model: TargetModel;
  readonly maxIssues: number;
}

/** What one range of a file holds: issues with line numbers counted from the range's start. */
export interface RangeResult {
  /** Lines in the range, blank ones included. */
  readonly lines: number;
  /** Chat examples: lines holding a JSON object with a `messages` list, or TRL's `prompt` and `completion` lists. */
  readonly examples: number;
  /** Of the examples, those in TRL's prompt-completion shape. */
  readonly promptCompletion: number;
  /** Other non-blank lines: not JSON objects, without a `messages` list, or too long to read. */
  readonly notExamples: number;
  readonly issues: readonly DatasetIssue[];
  readonly counts: Readonly<Partial<Record<CheckId, number>>>;
}

/** Where the range's line digests and progress go as it is read. */
export interface RangeHooks {
  /**
   * Receives `count` records of `recordWords` words: a line's digest, then its line number.
   * The array is reused once this returns: copy what must outlive the call.
   */
  readonly onDigests: (records: Uint32Array, count: number) => void;
  /** Bytes of the range read so far. */
  readonly onProgress: (bytes: number) => void;
  /** Stops reading (another range failed). */
  readonly signal?: AbortSignal;
}

const recordsPerFlush = 4096;

/**
 * Reads one range of a file (or all of it) and runs every per-line check: a byte order mark,
 * lines too long to read, blank lines, JSON, shape, calls and arguments, and the token limit
 * for lines long enough to reach it. Lines are what line-rules.ts says they are; each is parsed
 * once. Duplicates are not decided here: the digests go to `hooks.onDigests`, in order, for
 * whoever sees all ranges.
 */
export async function validateRange(file: string, range: ByteRange | undefined, settings: RangeSettings, hooks: RangeHooks): Promise<RangeResult> {
  const { model } = settings;
  const log = new IssueLog(settings.maxIssues);
  log.file = file;
  const validators = new ParameterValidators();
  const records = new Uint32Array(recordsPerFlush * recordWords);
  let count = 0;
  let counter: TokenCounter | undefined;
  let examples = 0;
  let promptCompletion = 0;
  let notExamples = 0;
  let lines = 0;
  for await (const batch of readLineBatches(file, range, 'report')) {
    const texts = batch.lines;
    const tooLong = batch.tooLong;
    if (batch.byteOrderMark) {
      log.line = batch.firstLine;
      log.add('byte_order_mark', 'the file starts with a byte order mark (U+FEFF): fn-distil leaves it out, but other tools may read it as part of this line; save the file as UTF-8 without BOM.');
    }
    for (let i = 0; i < texts.length; i++) {
      const text = texts[i] as string;
      const line = batch.firstLine + i;
      log.line = line;
      if (tooLong?.includes(i) === true) {
        notExamples++;
        log.add('line_too_long', `the line is longer than ${formatNumber(maxLineBytes())} bytes, the most fn-distil reads as one line, so it was not read: an example that long is over every model's token limit. Remove the line, or check that the file has its line breaks.`);
        continue;
      }
      if (isBlank(text)) {
        log.add('blank_line', 'blank line: it is not an example; remove it before uploading.');
        continue;
      }
      lineDigest(text, records, count * recordWords);
      records[count * recordWords + recordWords - 1] = line;
      if (++count === recordsPerFlush) {
        hooks.onDigests(records, count);
        count = 0;
      }
      const parsed = parseExampleLine(text);
      if ('problem' in parsed) {
        notExamples++;
        log.add(parsed.check, parsed.check === 'invalid_json' ? `${parsed.problem}.` : `${parsed.problem}: each line is one example, {"messages": [...]}.`);
        continue;
      }
      const value = parsed.value;
      // Only a messages list, or TRL's prompt and completion lists, makes an example: 11 lines of
      // which 2 are {"text": ...} are 9.
      const conversational = isPromptCompletion(value);
      if (conversational) {
        examples++;
        promptCompletion++;
        checkPromptCompletion(value, log, validators);
      } else {
        if (notAnExample(value) === undefined) examples++;
        else notExamples++;
        checkLine(value, log, validators);
        if (Array.isArray(value['messages'])) checkJsonAnswer(value['messages'], log, validators);
      }
      // UTF-8 takes at most 3 bytes per UTF-16 unit: most lines are ruled out without counting bytes.
      if (text.length * 3 > model.tokenLimit && mayExceed(Buffer.byteLength(text), model.tokenLimit)) {
        counter ??= await loadTokenCounter(model.encoding);
        const example = conversational ? promptCompletionChat(value) : value;
        const { total } = countExampleTokens(example, counter);
        if (total > model.tokenLimit) {
          log.add('too_many_tokens', `the example has ${formatNumber(total)} tokens, over the ${formatNumber(model.tokenLimit)} that ${model.model} trains on: it would be truncated. Shorten or drop it.`);
        }
      }
    }
    lines = batch.firstLine + texts.length - 1;
    hooks.onProgress(batch.bytesRead);
    hooks.signal?.throwIfAborted();
  }
  if (count > 0) hooks.onDigests(records, count);
  return { lines, examples, promptCompletion, notExamples, issues: log.issues, counts: log.counts };
}
