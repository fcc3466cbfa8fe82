/**
 * Summaries of bootstrap rounds: mean, standard deviation and the percentile
 * interval (linear interpolation between order statistics, as numpy).
 */
import { quantile } from "../descriptive.js";

export interface RoundSummary {
  mean: number;
  sd: number;
  ci_low: number;
  ci_high: number;
  /** Rounds with a defined value. */
  rounds: number;
}

/** Summarizes one group's values across rounds (NaN rounds are ignored). */
export function summarize(values: ArrayLike<number>, level = 0.95): RoundSummary {
  const finite = Array.from(values).filter((v) => !Number.isNaN(v));
  const n = finite.length;
  if (n === 0) return { mean: NaN, sd: NaN, ci_low: NaN, ci_high: NaN, rounds: 0 };
  const mean = finite.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(finite.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1)) : NaN;
  const alpha = (1 - level) / 2;
  return { mean, sd, ci_low: quantile(finite, alpha), ci_high: quantile(finite, 1 - alpha), rounds: n };
}

/** Summaries of every group of a round-major matrix (rounds × groups). */
export function summarizeGroups(values: Float64Array, groups: number, rounds: number, level = 0.95): RoundSummary[] {
  const out: RoundSummary[] = [];
  const column = new Float64Array(rounds);
  for (let g = 0; g < groups; g++) {
    for (let r = 0; r < rounds; r++) column[r] = values[r * groups + g]!;
    out.push(summarize(column, level));
  }
  return out;
}
