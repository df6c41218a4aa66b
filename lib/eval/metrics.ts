import { nearestRank } from '../swap/stats.js';
import type { ExampleResult } from './results.js';

/**
 * What `evaluateModel()` measured.
 *
 * @example
 * ```ts
 * const report = await evaluateModel({ dataset: 'val.jsonl', model: 'ft:...' });
 * if (report.exactMatch >= 0.98 && report.invalidRate === 0) console.log('ready to swap');
 * ```
 */
export interface EvalReport {
  readonly model: string;
  readonly dataset: string;
  readonly resultsFile: string;
  /** Examples in the dataset (or the first `limit`). */
  readonly examples: number;
  /** Examples with a result: answered now or reused from the results file. */
  readonly evaluated: number;
  /** Of those, results reused from an earlier run. */
  readonly resumed: number;
  /**
   * Examples whose request failed over HTTP (after the client's retries) or got a reply that is
   * not a chat completion (e.g. a proxy's page): not stored, asked again next run.
   */
  readonly failed: number;
  /**
   * Why the last of the `failed` examples got no answer, e.g. `HTTP 500 overloaded` or `the
   * request timed out after 60000 ms`; absent when none failed.
   */
  readonly lastFailure?: string;
  /** Whether the run was stopped before every example was asked. */
  readonly interrupted: boolean;
  /** Share of evaluated examples whose answer equals the recorded output. */
  readonly exactMatch: number;
  /** Per top-level field of the recorded outputs: share of evaluated examples where the answer matched it. */
  readonly fields: Readonly<Record<string, number>>;
  /** Evaluated examples with no schema-valid answer. */
  readonly invalidAnswers: number;
  /** `invalidAnswers` over `evaluated`. */
  readonly invalidRate: number;
  /** Re-asks made after invalid answers. */
  readonly reasks: number;
  /** Latency of each example's request(s), in milliseconds (0 when nothing was evaluated). */
  readonly latencyMs: { readonly p50: number; readonly p95: number };
  /** Tokens reported by the server over every evaluated example. */
  readonly tokens: { readonly prompt: number; readonly completion: number; readonly total: number };
}

/** Summarizes the results of one run (resumed ones included). */
export function summarize(
  base: Pick<EvalReport, 'model' | 'dataset' | 'resultsFile' | 'examples' | 'resumed' | 'failed' | 'lastFailure' | 'interrupted'>,
  results: readonly ExampleResult[],
): EvalReport {
  const rate = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
  const fieldMatches = new Map<string, number>();
  let exact = 0;
  let invalid = 0;
  let reasks = 0;
  let prompt = 0;
  let completion = 0;
  for (const result of results) {
    if (result.exact) exact++;
    if (!result.valid) invalid++;
    reasks += Math.max(0, result.requests - 1);
    prompt += result.promptTokens;
    completion += result.completionTokens;
    for (const [field, matched] of Object.entries(result.fields)) fieldMatches.set(field, (fieldMatches.get(field) ?? 0) + (matched ? 1 : 0));
  }
  const latencies = results.map((result) => result.latencyMs).sort((a, b) => a - b);
  return {
    ...base,
    evaluated: results.length,
    exactMatch: rate(exact, results.length),
    fields: Object.fromEntries([...fieldMatches].map(([field, matched]) => [field, rate(matched, results.length)])),
    invalidAnswers: invalid,
    invalidRate: rate(invalid, results.length),
    reasks,
    latencyMs: { p50: nearestRank(latencies, 0.5), p95: nearestRank(latencies, 0.95) },
    tokens: { prompt, completion, total: prompt + completion },
  };
}
