/**
 * A bootstrap estimate: the point estimate on the full data, with the standard error,
 * percentile interval and two-sided p-value of its bootstrap draws. None of them
 * depends on the number of draws beyond Monte Carlo noise, unlike standard errors that
 * treat bootstrap rounds as observations.
 */

export interface Estimate {
  coef: number;
  /** Standard deviation of the bootstrap draws. */
  se: number;
  ci_low: number;
  ci_high: number;
  /** Two-sided bootstrap p-value of "the estimate is zero": 2 × the smaller tail share, with the +1 correction. */
  p: number;
}

/** The draws' summary around a point estimate; NaN draws (failed refits) are left out. */
export function bootstrapEstimate(point: number, draws: readonly number[], level = 0.95): Estimate {
  const xs = draws.filter((x) => Number.isFinite(x));
  if (!Number.isFinite(point) || xs.length < 2) return { coef: point, se: NaN, ci_low: NaN, ci_high: NaN, p: NaN };
  const m = xs.reduce((a, b) => a + b, 0) / xs.length;
  const se = Math.sqrt(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
  const below = xs.filter((x) => x <= 0).length;
  const above = xs.filter((x) => x >= 0).length;
  const p = Math.min(1, (2 * (1 + Math.min(below, above))) / (xs.length + 1));
  const sorted = [...xs].sort((a, b) => a - b);
  return { coef: point, se, ci_low: bootstrapQuantile(sorted, (1 - level) / 2), ci_high: bootstrapQuantile(sorted, (1 + level) / 2), p };
}

/**
 * The q-quantile of sorted bootstrap draws at position (B + 1)·q (1-based, linear between
 * order statistics, clamped to the extremes): Davison & Hinkley's rule for percentile
 * intervals (Hyndman & Fan type 6). numpy's default, (B − 1)·q + 1, sits one order statistic
 * further in at each end, which makes intervals from few replicates too narrow, so that claims
 * held more often at 50 replicates than at 200.
 */
export function bootstrapQuantile(sorted: readonly number[], q: number): number {
  const b = sorted.length;
  if (b === 0) return NaN;
  const h = Math.min(Math.max((b + 1) * q, 1), b);
  const lo = Math.floor(h);
  return sorted[lo - 1]! + (h - lo) * ((sorted[Math.min(lo, b - 1)] ?? sorted[lo - 1]!) - sorted[lo - 1]!);
}

/** Whether an interval lies wholly on one side of zero: +1 above, -1 below, 0 when it covers zero or is undefined. */
export function intervalSign(e: Pick<Estimate, "ci_low" | "ci_high">): 1 | -1 | 0 {
  if (e.ci_low > 0) return 1;
  if (e.ci_high < 0) return -1;
  return 0;
}

/** Collects draws per key across replicates. */
export class Draws {
  private readonly byKey = new Map<string, number[]>();
  add(key: string, value: number): void {
    const list = this.byKey.get(key);
    if (list) list.push(value);
    else this.byKey.set(key, [value]);
  }
  of(key: string): number[] {
    return this.byKey.get(key) ?? [];
  }
}
