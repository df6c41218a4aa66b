import type { TSchema } from '@sinclair/typebox';
import { compareOutputs } from '../swap/compare.js';
import { ask, type AskContext } from '../swap/ask.js';
import { classNames } from '../openai/class-names.js';
import { lazyClient } from '../swap/client.js';
import type { Message } from '../swap/request.js';
import { inputFile } from '../dataset/lines.js';
import { escapeControls } from '../dataset/values.js';
import { plural } from '../dataset/numbers.js';
import { defaultOutput } from '../dataset/outputs.js';
import { ParameterValidators } from '../dataset/parameters.js';
import { ConfigurationError, DatasetError, isAnswerFailure, type SwapAttempt } from '../errors.js';
import { checkServed, environmentBaseURL, resolveServer } from '../servers/index.js';
import { toIssue, type CompiledValidator } from '../validation/validator.js';
import { readHeldOut, type HeldOutExample } from './examples.js';
import { summarize, type EvalReport } from './metrics.js';
import { checkEvaluateOptions, defaultResultsFile, evaluateDefaults, type EvaluateOptions } from './options.js';
import { resultKey, ResultsFile, type ExampleResult } from './results.js';

// Refusals that every example would get alike (bad key, no access, unknown model): stop at once.
// A 400 or 422 may be one example's own problem (too long for the model): counted, not fatal.
const fatalStatuses = new Set([401, 403, 404]);
const anyJson: CompiledValidator<TSchema> = { check: ((_: unknown) => true) as CompiledValidator<TSchema>['check'], issues: () => [] };

/**
 * Replays each held-out example's prompt to a model through the same request path as `swap()`
 * (same request shape, same answer parsing, same schema validation), compares the answers with
 * the recorded outputs and reports exact-match rate, per-field accuracy, invalid-answer rate,
 * latency and tokens. Each result is appended to a results file as soon as it is known, so an
 * interrupted run resumes without asking (or paying) twice. A dataset without examples is a
 * `DatasetError`; examples that got no answer are counted in `failed`, with the last error in
 * `lastFailure`.
 *
 * @example
 * ```ts
 * import OpenAI from 'openai';
 * import { evaluateModel } from 'fn-distil';
 *
 * const report = await evaluateModel({ dataset: 'math.val.jsonl', model: 'ft:gpt-4o-mini-2024-07-18:acme::abc123', client: new OpenAI() });
 * console.log(report.exactMatch, report.fields, report.invalidRate, report.latencyMs.p95);
 * ```
 */
export async function evaluateModel(options: EvaluateOptions): Promise<EvalReport> {
  checkEvaluateOptions(options);
  // Decided before the dataset is read: a pipe gives its lines once.
  const resultsFile = options.resultsFile ?? defaultOutput(inputFile(options.dataset), defaultResultsFile(options.dataset), 'resultsFile', '--results');
  const examples = await readHeldOut(options.dataset, options.limit);
  if (examples.length === 0) {
    throw new DatasetError(options.dataset, undefined, `${options.dataset} has no examples: there is nothing to evaluate. Give a file of held-out examples, e.g. the validation file of \`fn-distil dataset split\`.`);
  }
  const server = resolveServer(options.server, options.client?.baseURL ?? environmentBaseURL());
  for (const format of new Set(examples.map((example) => example.call.format))) checkServed(format, server);
  const store = new ResultsFile(resultsFile, options.fresh ?? evaluateDefaults.fresh);
  const client = lazyClient(options.client);
  // The same compiled parameters as `dataset validate` (every JSON Schema draft a line may declare).
  const parameterValidators = new ParameterValidators();
  const validatorFor = (example: HeldOutExample): CompiledValidator<TSchema> => {
    const { parameters, toolName } = example.call;
    if (parameters === undefined) return anyJson;
    const compiled = parameterValidators.get(toolName ?? '', parameters);
    if ('problem' in compiled) {
      throw new DatasetError(
        options.dataset,
        example.line,
        `${options.dataset}:${example.line}: the answer's schema does not compile (${compiled.problem}). Run \`fn-distil dataset validate ${options.dataset}\`.`,
      );
    }
    const { validate } = compiled;
    return { check: validate as CompiledValidator<TSchema>['check'], issues: () => (validate.errors ?? []).map(toIssue) };
  };

  // Everything that changes the answers: a result is reused only for the very same question.
  const settings = {
    model: options.model,
    reasks: options.reasks ?? evaluateDefaults.reasks,
    omitSchema: options.omitSchema ?? evaluateDefaults.omitSchema,
    temperature: options.temperature ?? evaluateDefaults.temperature,
    maxTokens: options.maxTokens ?? evaluateDefaults.maxTokens,
    server: server.name,
  };
  // Shared by every request of the run: a server error seen to repeat is not retried again.
  const rejections = new Set<string>();
  // The same refusal for example after example is the server's configuration: stop asking.
  let refused: { readonly text: string; readonly failure: SwapAttempt; count: number } | undefined;
  // Set once the refusals stopped the run: answers still in flight then do not undo it.
  let refusedStop = false;
  const results: ExampleResult[] = [];
  let resumed = 0;
  let failed = 0;
  let lastFailure: string | undefined;
  const pending: HeldOutExample[] = [];
  for (const example of examples) {
    const previous = store.previous.get(resultKey(settings, example.text));
    if (previous === undefined) pending.push(example);
    else {
      results.push(previous);
      resumed++;
    }
  }
  options.onProgress?.(results.length, examples.length);

  const one = async (example: HeldOutExample): Promise<void> => {
    const { call } = example;
    const context: AskContext = {
      spec: { format: call.format, toolName: call.toolName ?? 'answer', toolDescription: call.toolDescription ?? '', parameters: call.parameters ?? {} },
      validator: validatorFor(example),
      client,
      model: options.model,
      server,
      omitSchema: settings.omitSchema || call.parameters === undefined,
      temperature: settings.temperature,
      maxTokens: settings.maxTokens,
      maxRetries: settings.reasks,
      timeoutMs: options.timeoutMs,
      signal: options.signal,
      rejections,
    };
    const start = performance.now();
    const asked = await ask(context, call.prompt.map(promptMessage));
    const latencyMs = performance.now() - start;
    const last = asked.failures[asked.failures.length - 1];
    if (last?.kind === 'rejected') {
      const text = failureText(last);
      refused = refused?.text === text ? { ...refused, count: refused.count + 1 } : { text, failure: last, count: 1 };
      if (refused.count >= sameRefusals) stopped = refusedStop = true;
    } else if (asked.answers > 0 && !refusedStop) refused = undefined;
    // A request that failed, first or a re-ask, leaves the example without a final answer.
    if (asked.answers === 0 || (last !== undefined && !isAnswerFailure(last.kind))) {
      const cause = last?.cause;
      // So does a server that cannot be reached at all (after the retries).
      const unreachable = last?.kind === 'http' && classNames(cause).has('APIConnectionError');
      if (unreachable || fatalStatuses.has((cause as { status?: number } | undefined)?.status ?? 0)) {
        stopped = true;
        throw cause;
      }
      // Otherwise (5xx after the retries, timeout, abort, a reply that is not a chat
      // completion, a refused request) nothing is stored: asked again next run.
      if (options.signal?.aborted !== true) {
        failed++;
        if (last !== undefined) lastFailure = failureText(last);
      }
      return;
    }
    const compared = asked.ok ? compareOutputs(example.expected, asked.value) : { exact: false, fields: missedFields(example.expected) };
    const result: ExampleResult = {
      key: resultKey(settings, example.text),
      line: example.line,
      valid: asked.ok,
      exact: compared.exact,
      fields: compared.fields,
      latencyMs: Math.round(latencyMs * 10) / 10,
      requests: asked.answers,
      promptTokens: asked.promptTokens,
      completionTokens: asked.completionTokens,
      ...(asked.ok || last === undefined ? {} : { error: `${last.kind}: ${last.message}` }),
    };
    store.add(result);
    results.push(result);
    options.onProgress?.(results.length, examples.length);
  };

  let next = 0;
  let stopped = false;
  const concurrency = options.concurrency ?? evaluateDefaults.concurrency;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, pending.length) }, async () => {
      while (next < pending.length && !stopped && options.signal?.aborted !== true) await one(pending[next++] as HeldOutExample);
    }),
  );
  if (refusedStop && refused !== undefined && options.signal?.aborted !== true) {
    throw new ConfigurationError(
      'server',
      `${server.label} refused ${refused.count} requests in a row with the same error, so the run stopped (${plural(results.length - resumed, 'example')} answered this run, kept in ${resultsFile}): ${refused.text}. Check how the server was started for this format and \`server\` (now '${server.name}'); docs/open-weight.md lists both for each server.`,
      { cause: refused.failure.cause },
    );
  }
  results.sort((a, b) => a.line - b.line);
  return summarize(
    { model: options.model, dataset: options.dataset, resultsFile, examples: examples.length, resumed, failed, ...(lastFailure === undefined ? {} : { lastFailure }), interrupted: options.signal?.aborted === true },
    results,
  );
}

/** A prompt message as the API takes it: `weight` is a training-file key only. */
function promptMessage(message: Readonly<Record<string, unknown>>): Message {
  const { weight: _weight, ...rest } = message;
  return rest as unknown as Message;
}

/** An invalid answer matches none of the recorded fields. */
function missedFields(expected: unknown): Record<string, boolean> {
  if (typeof expected !== 'object' || expected === null || Array.isArray(expected)) return {};
  return Object.fromEntries(Object.keys(expected).map((field) => [field, false]));
}

const longestFailure = 200;
/** Refusals in a row, with the same status and message, that stop a run. */
const sameRefusals = 3;


/** A failed request as one short line: `HTTP 500 overloaded` (the status first, as openai words it), else the attempt's message. */
function failureText(failure: SwapAttempt): string {
  const status = (failure.cause as { status?: unknown } | undefined)?.status;
  const text = (failure.kind === 'http' || failure.kind === 'rejected') && typeof status === 'number' ? `HTTP ${failure.message.startsWith(`${status}`) ? failure.message : `${status} ${failure.message}`}` : failure.message;
  const line = escapeControls(text.replace(/\s+/g, ' ').trim());
  return line.length > longestFailure ? `${line.slice(0, longestFailure - 3)}...` : line;
}
