/**
 * How a per-example measure is spread over a dataset. Percentiles interpolate linearly between
 * the two nearest ranks (numpy's default, Excel's PERCENTILE.INC), so the median of 1, 2, 3, 4
 * is 2.5.
 *
 * @example
 * ```ts
 * const tokens: Distribution = (await datasetStats('train.jsonl')).totalTokens;
 * console.log(`tokens per example: ${tokens.min} to ${tokens.max}, median ${tokens.median}, 90% under ${tokens.p90}`);
 * ```
 */
export interface Distribution {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly median: number;
  readonly p10: number;
  readonly p90: number;
}

/** Numbers collected one at a time into a growing typed array: 8 bytes each, no boxing. */
export class Samples {
  private values = new Float64Array(1024);
  private size = 0;
  private sum = 0;

  add(value: number): void {
    if (this.size === this.values.length) {
      const grown = new Float64Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.size++] = value;
    this.sum += value;
  }

  get count(): number {
    return this.size;
  }

  get total(): number {
    return this.sum;
  }

  /** The distribution of the samples; all zeros when there are none. */
  distribution(): Distribution {
    const sorted = this.values.slice(0, this.size).sort();
    return {
      min: sorted[0] ?? 0,
      max: sorted[sorted.length - 1] ?? 0,
      mean: this.size === 0 ? 0 : this.sum / this.size,
      median: percentile(sorted, 0.5),
      p10: percentile(sorted, 0.1),
      p90: percentile(sorted, 0.9),
    };
  }
}

/** The `q` quantile (0 to 1) of ascending `sorted` values, interpolated linearly; 0 for none. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return 0;
  const rank = (sorted.length - 1) * q;
  const below = Math.floor(rank);
  const low = sorted[below] as number;
  const high = sorted[Math.min(below + 1, sorted.length - 1)] as number;
  return low + (high - low) * (rank - below);
}
