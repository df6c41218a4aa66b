/**
 * Stable error codes, one per failure users handle differently.
 *
 * @example
 * ```ts
 * try {
 *   await fast(133, 539);
 * } catch (error) {
 *   const code: FnDistilErrorCode | undefined = isFnDistilError(error) ? error.code : undefined;
 *   if (code !== 'SWAP') throw error;
 *   console.warn('the model gave no valid answer; try again later');
 * }
 * ```
 */
export type FnDistilErrorCode = 'CONFIGURATION' | 'OUTPUT_VALIDATION' | 'CAPTURE' | 'SWAP' | 'DATASET' | 'FINE_TUNING';

/**
 * Base class of every error fn-distil throws or reports. Check with {@link isFnDistilError},
 * which also works across duplicate installs of the package.
 *
 * @example
 * ```ts
 * try { multiply(1, 2); } catch (error) {
 *   if (isFnDistilError(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class FnDistilError extends Error {
  override name: string = 'FnDistilError';
  readonly code: FnDistilErrorCode;

  constructor(code: FnDistilErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/**
 * An option given to `distil()`, `createInstructions()`, `swap()` or a dataset function is
 * invalid. Thrown when wrapping, never at the first call; the message names the option in
 * backticks.
 *
 * @example
 * ```ts
 * try {
 *   distil(multiplyImpl, Multiply, { sampleRate: 2 });
 * } catch (error) {
 *   if (error instanceof ConfigurationError) console.error(error.option); // 'sampleRate' (`sampleRate` must be a number from 0 to 1, got 2.)
 * }
 * ```
 */
export class ConfigurationError extends FnDistilError {
  override name = 'ConfigurationError' as const;
  /** The option at fault, e.g. `sampleRate`. */
  readonly option: string;

  constructor(option: string, message: string, options?: { cause?: unknown }) {
    super('CONFIGURATION', message, options);
    this.option = option;
  }
}

/**
 * One failing location of an output, as reported by the schema validator.
 *
 * @example
 * ```ts
 * try {
 *   multiply(133, 539);
 * } catch (error) {
 *   const issues: readonly ValidationIssue[] = error instanceof OutputValidationError ? error.issues : [];
 *   for (const { path, message } of issues) console.error(`${path || '(root)'} ${message}`); // /result must be integer
 * }
 * ```
 */
export interface ValidationIssue {
  /** JSON Pointer into the output, `''` for the output itself, e.g. `/result`. */
  readonly path: string;
  /** What is wrong there, e.g. `must be integer`. */
  readonly message: string;
}

/**
 * The wrapped function returned a value its schema rejects. Nothing was written for that call.
 *
 * @example
 * ```ts
 * try { multiply(1, 2); } catch (error) {
 *   if (error instanceof OutputValidationError) console.log(error.issues); // [{ path: '/result', message: 'must be integer' }]
 * }
 * ```
 */
export class OutputValidationError extends FnDistilError {
  override name = 'OutputValidationError' as const;
  /** Name of the wrapped function, as in the prompt. */
  readonly functionName: string;
  /** Name of the schema (function or tool name). */
  readonly schemaName: string;
  /** Every failing path with its message. */
  readonly issues: readonly ValidationIssue[];
  /** The value that failed validation. */
  readonly output: unknown;

  constructor(functionName: string, schemaName: string, issues: readonly ValidationIssue[], output: unknown) {
    const detail = issues.map((issue) => `${issue.path || '(root)'} ${issue.message}`).join('; ');
    super(
      'OUTPUT_VALIDATION',
      `${functionName} returned an invalid ${schemaName}: ${detail}. ` +
        'Fix the function or the schema; nothing was recorded for this call.',
    );
    this.functionName = functionName;
    this.schemaName = schemaName;
    this.issues = issues;
    this.output = output;
  }
}

/**
 * What stage of capture failed: building the line (`'serialize'`), the `redact` hook, a
 * transport, parking lines beyond `maxBufferedBytes` in a temporary file (`'overflow'`), or a
 * call captured after `close()` began (`'closed'`).
 *
 * @example
 * ```ts
 * const lost: Record<CaptureStage, number> = { serialize: 0, redact: 0, transport: 0, overflow: 0, closed: 0 };
 * const multiply = distil(multiplyImpl, Multiply, {
 *   transports: [new winston.transports.File({ filename: 'math_finetunes.jsonl' })],
 *   onError: (error) => {
 *     lost[error.stage] += error.examples;
 *   },
 * });
 * ```
 */
export type CaptureStage = 'serialize' | 'redact' | 'transport' | 'overflow' | 'closed';

/**
 * An example could not be captured. Never thrown at the caller: it goes to the `onError` option
 * (by default a single process warning). It says how many examples were affected, so nothing is
 * lost silently.
 *
 * @example
 * ```ts
 * const multiply = distil(multiplyImpl, Multiply, {
 *   transports: [new winston.transports.File({ filename: 'math_finetunes.jsonl' })],
 *   onError: (error: CaptureError) => console.warn(`${error.functionName}: ${error.examples} example(s) not written (${error.stage})`, error.cause),
 * });
 * ```
 */
export class CaptureError extends FnDistilError {
  override name = 'CaptureError' as const;
  /** Where it failed: building the line, the redact hook, or a transport. */
  readonly stage: CaptureStage;
  /** Name of the wrapped function. */
  readonly functionName: string;
  /** How many examples were not written because of this error. */
  readonly examples: number;

  constructor(
    stage: CaptureStage,
    functionName: string,
    examples: number,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('CAPTURE', message, options);
    this.stage = stage;
    this.functionName = functionName;
    this.examples = examples;
  }
}

/**
 * Why one request to the model did not give a valid answer: the request failed (`'http'`,
 * `'timeout'`, `'aborted'`), the server refused it (`'rejected'`: a 4xx other than 408, 409 and
 * 429, or the same 5xx twice, which retrying cannot change), the server answered 200 with something that is not a chat
 * completion, such as a proxy's HTML page or JSON without `choices` (`'malformed'`), the model's
 * answer was not usable (`'json'`, `'schema'`, `'refusal'`, `'no_call'`, `'length'`), or the
 * call's arguments could not be sent (`'arguments'`). Only the model's unusable answers are
 * re-asked: the others are the server's or the caller's to fix.
 *
 * @example
 * ```ts
 * try {
 *   await fast(133, 539);
 * } catch (error) {
 *   const kinds: SwapFailureKind[] = error instanceof SwapError ? error.attempts.map((attempt) => attempt.kind) : [];
 *   if (kinds.includes('http') || kinds.includes('timeout')) console.warn('the server failed, not the model');
 * }
 * ```
 */
export type SwapFailureKind = 'http' | 'rejected' | 'timeout' | 'aborted' | 'malformed' | 'json' | 'schema' | 'refusal' | 'no_call' | 'length' | 'arguments';

/**
 * One failed attempt of a swapped call, as a {@link SwapError}'s `attempts` lists them.
 *
 * @example
 * ```ts
 * try {
 *   await fast(133, 539);
 * } catch (error) {
 *   const attempts: readonly SwapAttempt[] = error instanceof SwapError ? error.attempts : [];
 *   for (const { kind, message, issues } of attempts) console.warn(kind, message, issues ?? []); // schema /result must be integer [...]
 * }
 * ```
 */
export interface SwapAttempt {
  readonly kind: SwapFailureKind;
  /** What went wrong, e.g. `/result must be integer` or `429 Rate limit reached`. */
  readonly message: string;
  /** The underlying error (an `openai` APIError, a SyntaxError), when there is one. */
  readonly cause?: unknown;
  /** Validation issues, for `kind: 'schema'`. */
  readonly issues?: readonly ValidationIssue[];
}

/**
 * A swapped call got no valid answer from the model: every attempt failed (HTTP error, timeout,
 * a reply that is not a chat completion, malformed JSON, schema failure, refusal, no call, cut
 * off) and `fallback` was off or not allowed. `attempts` holds each one's cause, in order.
 *
 * @example
 * ```ts
 * try { await fast(133, 539); } catch (error) {
 *   if (error instanceof SwapError) console.log(error.attempts.map((a) => a.kind)); // ['schema', 'json', 'schema']
 * }
 * ```
 */
export class SwapError extends FnDistilError {
  override name = 'SwapError' as const;
  readonly functionName: string;
  readonly model: string;
  readonly attempts: readonly SwapAttempt[];

  constructor(functionName: string, model: string, attempts: readonly SwapAttempt[]) {
    const last = attempts[attempts.length - 1];
    const kind = last?.kind ?? 'none';
    // Each kind has its own remedy: re-asks help an invalid answer only.
    const fallback = 'or set `fallback: true` to answer with the original function instead';
    const next =
      kind === 'http' || kind === 'timeout'
        ? `Check the server, raise the client's \`maxRetries\` or the \`timeoutMs\` option, ${fallback}.`
        : kind === 'rejected'
          ? `${refusalAdvice(last)}, ${fallback}.`
          : kind === 'length'
            ? `Raise \`maxTokens\` if the answer is longer than that, or check that the server's context (per slot) holds the prompt and the answer, ${fallback}.`
            : kind === 'aborted'
              ? 'The call was aborted; an aborted call never falls back.'
              : kind === 'arguments'
                ? `Pass arguments JSON can carry, ${fallback}.`
                : kind === 'malformed'
                  ? `Check that the client's \`baseURL\` points at an OpenAI-compatible server (a proxy or gateway in between may answer with a page of its own), ${fallback}.`
                  : `Raise \`maxRetries\` to re-ask more, ${fallback}.`;
    super(
      'SWAP',
      `${functionName} got no valid answer from ${model} ${tried(attempts)}; last: ${kind}: ${(last?.message ?? '').replace(/\.+$/, '')}. ${next}`,
      { cause: last?.cause },
    );
    this.functionName = functionName;
    this.model = model;
    this.attempts = attempts;
  }
}

/** What to check when the server refused a request, by what it said: retrying would not help. */
function refusalAdvice(attempt: SwapAttempt | undefined): string {
  const status = (attempt?.cause as { status?: unknown } | undefined)?.status;
  const said = attempt?.message ?? '';
  if (status === 401 || status === 403) return 'The server refused the key or its access, so it was not retried: check the client\'s API key and what it may use';
  if (status === 404) return 'The server does not know the model or the path, so it was not retried: check `model` (GET /v1/models lists the names it serves) and the client\'s `baseURL`';
  if (/context|too long|too many tokens|exceeds/i.test(said)) {
    return 'The prompt and the answer do not fit the model\'s context, so it was not retried: give the server a larger context (per slot, for llama.cpp) or lower `maxTokens`';
  }
  return 'The server refuses this request, so it was not retried: check how the server was started for this format and the `server` option (docs/open-weight.md lists both for each server)';
}

/** Whether an attempt failed on the model's answer (re-askable), not on the request or the server's reply. */
export function isAnswerFailure(kind: SwapFailureKind): boolean {
  return kind !== 'http' && kind !== 'rejected' && kind !== 'timeout' && kind !== 'aborted' && kind !== 'malformed' && kind !== 'arguments';
}

/**
 * What a swapped call tried, in words. Attempts are the model's answers, then the request that
 * failed if one did: the client may have sent that one several times (its own `maxRetries`),
 * which it does not report, so it is said to count once rather than miscounted.
 */
function tried(attempts: readonly SwapAttempt[]): string {
  const last = attempts[attempts.length - 1]?.kind;
  if (last === 'arguments') return 'without asking it (the call cannot be put in a prompt)';
  const invalid = attempts.filter((attempt) => isAnswerFailure(attempt.kind)).length;
  const parts = invalid === 0 ? [] : [`${invalid} invalid answer${invalid === 1 ? '' : 's'}`];
  if (last === 'http' || last === 'timeout') parts.push('a failed request (counted once, however many times it was retried)');
  if (last === 'rejected') parts.push('a request the server refused');
  if (last === 'aborted') parts.push('an aborted request');
  if (last === 'malformed') parts.push('a reply that is not a chat completion');
  return parts.length === 0 ? 'without an attempt' : `after ${parts.join(' and ')}`;
}

/**
 * A dataset file cannot be read or is not what the operation needs: missing, unreadable, a line
 * that is not JSON where one is required, an example in a shape it cannot convert. `file` and,
 * when one line is at fault, its 1-based `line` say where.
 *
 * @example
 * ```ts
 * try { await datasetStats('train.jsonl'); } catch (error) {
 *   if (error instanceof DatasetError) console.error(`${error.file}:${error.line ?? ''} ${error.message}`);
 * }
 * ```
 */
export class DatasetError extends FnDistilError {
  override name = 'DatasetError' as const;
  /** The file at fault. */
  readonly file: string;
  /** The 1-based line at fault, when one line is. */
  readonly line: number | undefined;

  constructor(file: string, line: number | undefined, message: string, options?: { cause?: unknown }) {
    super('DATASET', message, options);
    this.file = file;
    this.line = line;
  }
}

/**
 * A fine-tuning step did not succeed: an uploaded file the server could not process, a job that
 * failed or was cancelled, or a wait that timed out. HTTP errors stay the `openai` client's own
 * (`APIError` with `status`); this error is for what the API answered successfully but meant no.
 *
 * @example
 * ```ts
 * function report(error: unknown): void {
 *   if (error instanceof FineTuningError) console.error(`${error.id} ended ${error.status}: ${error.message}`); // ftjob-abc123 ended failed: ...
 *   else if (isFnDistilError(error)) console.error(error.code, error.message);
 * }
 * ```
 */
export class FineTuningError extends FnDistilError {
  override name = 'FineTuningError' as const;
  /** The file or job id concerned. */
  readonly id: string;
  /** Its last status as the server reported it, e.g. `failed` or `error`. */
  readonly status: string;

  constructor(id: string, status: string, message: string, options?: { cause?: unknown }) {
    super('FINE_TUNING', message, options);
    this.id = id;
    this.status = status;
  }
}

const names = new Set(['FnDistilError', 'ConfigurationError', 'OutputValidationError', 'CaptureError', 'SwapError', 'DatasetError', 'FineTuningError']);

/**
 * True for any error from fn-distil, including one thrown by another copy of the package
 * (it checks `name` and `code`, not only `instanceof`).
 *
 * @example
 * ```ts
 * try {
 *   await fast(133, 539);
 * } catch (error) {
 *   if (!isFnDistilError(error)) throw error;
 *   console.warn(error.code, error.message); // SWAP three_digit_multiply got no valid answer from ...
 * }
 * ```
 */
export function isFnDistilError(error: unknown): error is FnDistilError {
  if (error instanceof FnDistilError) return true;
  return (
    error instanceof Error &&
    names.has(error.name) &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}
