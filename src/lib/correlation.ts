/**
 * Ranks and correlation coefficients. Pairs with a NaN in either value are dropped
 * (pairwise complete). A coefficient that is undefined (fewer than two pairs, or a
 * constant variable) is NaN, never an exception.
 */

export type Metric = "spearman" | "pearson" | "mean_alignment";
export const METRICS: readonly Metric[] = ["spearman", "pearson", "mean_alignment"];

/** Ranks 1..n with ties given the average of the ranks they span. NaN ranks as NaN. */
export function averageRanks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const ranks = new Float64Array(n).fill(NaN);
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) order.push(i);
  order.sort((a, b) => values[a]! - values[b]!);
  let i = 0;
  while (i < order.length) {
    let j = i;
    const v = values[order[i]!]!;
    while (j + 1 < order.length && values[order[j + 1]!] === v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[order[k]!] = rank;
    i = j + 1;
  }
  return ranks;
}

function completePairs(x: ArrayLike<number>, y: ArrayLike<number>): [Float64Array, Float64Array] {
  if (x.length !== y.length) {
    throw new Error(`Correlation needs two vectors of equal length, got ${x.length} and ${y.length}`);
  }
  let n = 0;
  for (let i = 0; i < x.length; i++) if (!Number.isNaN(x[i]!) && !Number.isNaN(y[i]!)) n++;
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < x.length; i++) {
    if (!Number.isNaN(x[i]!) && !Number.isNaN(y[i]!)) {
      xs[k] = x[i]!;
      ys[k++] = y[i]!;
    }
  }
  return [xs, ys];
}

function pearsonComplete(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  return correlationFromMoments(sxx, syy, sxy);
}

/** r = sxy / sqrt(sxx syy), NaN for a constant variable, clamped to [-1, 1]. */
export function correlationFromMoments(sxx: number, syy: number, sxy: number): number {
  if (!(sxx > 0) || !(syy > 0)) return NaN;
  const r = sxy / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** Pearson's r over pairwise-complete observations. */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [xs, ys] = completePairs(x, y);
  return pearsonComplete(xs, ys);
}

/** Spearman's ρ: Pearson's r of average ranks, over pairwise-complete observations. */
export function spearman(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [xs, ys] = completePairs(x, y);
  return pearsonComplete(averageRanks(xs), averageRanks(ys));
}

/** Mean alignment: 1 − mean |x − y| over pairwise-complete observations (NaN when none). */
export function meanAlignment(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const [xs, ys] = completePairs(x, y);
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += Math.abs(xs[i]! - ys[i]!);
  return 1 - s / xs.length;
}

/**
 * Average ranks of sorted distinct levels that occur with the given (non-negative)
 * weights: level k spans ranks (W_<k + 1) … (W_<k + w_k), whose mean is returned.
 * With integer weights this equals the average rank of each copy in the expanded data.
 */
export function weightedMidranks(levelWeights: ArrayLike<number>, out?: Float64Array): Float64Array {
  const n = levelWeights.length;
  const ranks = out && out.length >= n ? out : new Float64Array(n);
  let before = 0;
  for (let k = 0; k < n; k++) {
    const w = levelWeights[k]!;
    ranks[k] = before + (w + 1) / 2;
    before += w;
  }
  return ranks;
}
