/**
 * What a swapped function has done so far, from `stats()`.
 *
 * @example
 * ```ts
 * const { agreement, modelShare, latencyMs } = fast.stats();
 * if (agreement.exact > 0.98) console.log('ready to switch', latencyMs.model.p95);
 * ```
 */
export interface SwapStats {
  /** Calls of the swapped function. */
  readonly calls: number;
  /** Calls whose model request was made (all in `'model'` and `'shadow'`, the canary share in `'canary'`). */
  readonly modelCalls: number;
  /**
   * Share of calls whose answer the caller got from the model, over `calls`: 0 in `'shadow'`
   * mode, where the original answers every call (`modelCalls - modelErrors` counts the model's
   * valid answers there).
   */
  readonly modelShare: number;
  /** Shadow comparisons: exact agreement rate, and agreement rate per top-level field. */
  readonly agreement: { readonly comparisons: number; readonly exact: number; readonly fields: Readonly<Record<string, number>> };
  /** Model answers that were not JSON, off-schema, refused, cut off or not a call. */
  readonly invalidAnswers: number;
  /** `invalidAnswers` over all model answers. */
  readonly invalidRate: number;
  /**
   * Model requests that ended without a valid answer, whatever the reason: HTTP errors,
   * timeouts, replies that were not chat completions, or invalid answers after every re-ask. In `'shadow'` mode the caller never sees
   * these; this is where they show.
   */
  readonly modelErrors: number;
  /** Calls answered by the original after the model failed. */
  readonly fallbacks: number;
  /** Re-asks after an invalid answer. */
  readonly retries: number;
  /** Calls that failed (threw a SwapError or the original's error). */
  readonly errors: number;
  /** Latency of recent calls (the last 4,096 of each), in milliseconds. */
  readonly latencyMs: { readonly model: Percentiles; readonly original: Percentiles };
  /** Tokens reported by the server, all model requests included. */
  readonly tokens: { readonly prompt: number; readonly completion: number; readonly total: number };
}

/**
 * Latency of one side of a swapped function (`stats().latencyMs.model` or `.original`), in
 * milliseconds: nearest-rank percentiles of the last 4,096 calls, and how many calls in all.
 *
 * @example
 * ```ts
 * const { model, original }: Record<'model' | 'original', Percentiles> = fast.stats().latencyMs;
 * console.log(`model p95 ${model.p95} ms over ${model.count} calls, original p95 ${original.p95} ms`);
 * ```
 */
export interface Percentiles {
  /** Calls measured since the function was swapped (the percentiles cover the last 4,096). */
  readonly count: number;
  /** Median latency, in milliseconds; 0 before the first call. */
  readonly p50: number;
  /** 95th percentile latency, in milliseconds; 0 before the first call. */
  readonly p95: number;
}

const window = 4096;

/** The nearest-rank percentile `q` (0 to 1) of ascending `sorted` values; 0 when there are none. */
export function nearestRank(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] as number);
}

/** A fixed-size ring of recent samples, so memory stays flat however many calls are made. */
class Recent {
  private readonly samples = new Float64Array(window);
  private size = 0;
  private next = 0;
  count = 0;

  add(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % window;
    this.size = Math.min(this.size + 1, window);
    this.count++;
  }

  percentiles(): Percentiles {
    const sorted = Array.from(this.samples.subarray(0, this.size)).sort((a, b) => a - b);
    return { count: this.count, p50: nearestRank(sorted, 0.5), p95: nearestRank(sorted, 0.95) };
  }
}

/** Counters behind `stats()`. */
export class StatsCollector {
  calls = 0;
  modelCalls = 0;
  /** Calls whose answer the caller got from the model. */
  modelAnswered = 0;
  modelErrors = 0;
  answers = 0;
  invalidAnswers = 0;
  fallbacks = 0;
  retries = 0;
  errors = 0;
  comparisons = 0;
  exactMatches = 0;
  promptTokens = 0;
  completionTokens = 0;
  readonly fieldMatches = new Map<string, { matched: number; seen: number }>();
  readonly model = new Recent();
  readonly original = new Recent();

  compared(exact: boolean, fields: Readonly<Record<string, boolean>>): void {
    this.comparisons++;
    if (exact) this.exactMatches++;
    for (const [field, matched] of Object.entries(fields)) {
      const entry = this.fieldMatches.get(field) ?? { matched: 0, seen: 0 };
      entry.seen++;
      if (matched) entry.matched++;
      this.fieldMatches.set(field, entry);
    }
  }

  snapshot(): SwapStats {
    const rate = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
    return {
      calls: this.calls,
      modelCalls: this.modelCalls,
      modelShare: rate(this.modelAnswered, this.calls),
      agreement: {
        comparisons: this.comparisons,
        exact: rate(this.exactMatches, this.comparisons),
        fields: Object.fromEntries([...this.fieldMatches].map(([field, { matched, seen }]) => [field, rate(matched, seen)])),
      },
      invalidAnswers: this.invalidAnswers,
      invalidRate: rate(this.invalidAnswers, this.answers),
      modelErrors: this.modelErrors,
      fallbacks: this.fallbacks,
      retries: this.retries,
      errors: this.errors,
      latencyMs: { model: this.model.percentiles(), original: this.original.percentiles() },
      tokens: { prompt: this.promptTokens, completion: this.completionTokens, total: this.promptTokens + this.completionTokens },
    };
  }
}
