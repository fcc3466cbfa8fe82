/**
 * Descriptive statistics of a list of numbers. Every one skips missing values (NaN; the median
 * also ±Infinity) and gives NaN when nothing is left.
 */

/** The values that are not NaN. */
function present(values: ArrayLike<number>): number[] {
  return Array.from(values).filter((v) => !Number.isNaN(v));
}

/** Population variance (divisor n, as numpy's var), NaN skipped. */
export function variance(values: ArrayLike<number>): number {
  const xs = present(values);
  const n = xs.length;
  if (n === 0) return NaN;
  let m = 0;
  for (const x of xs) m += x;
  m /= n;
  let s = 0;
  for (const x of xs) s += (x - m) ** 2;
  return s / n;
}

/** Quantile with linear interpolation between order statistics (numpy's default), NaN skipped. */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = present(values).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The median of the finite values, the mean of the middle two for an even count. */
export function median(values: ArrayLike<number>): number {
  const s = Array.from(values)
    .filter((v) => Number.isFinite(v))
    .sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
