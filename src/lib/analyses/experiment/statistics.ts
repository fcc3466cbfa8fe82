/**
 * Alignment and self-consistency of one group from a round's counts. Spearman's ρ with
 * averaged ties follows from the weighted midranks of the distinct values, so no round
 * ever lists its rows or its self-consistency pairs.
 */
import { correlationFromMoments, weightedMidranks, type Metric } from "../../correlation.js";
import type { AlignmentLayout, ConsistencyLayout } from "./layout.js";
import type { RoundWeights } from "./weights.js";

/** Scratch arrays sized for the largest group. */
export interface StatisticsScratch {
  vpsWeight: Float64Array;
  truthWeight: Float64Array;
  levelPairs: Float64Array;
}

export function allocStatistics(alignment: AlignmentLayout, consistency: ConsistencyLayout): StatisticsScratch {
  const longest = (arrays: Float64Array[]) => arrays.reduce((m, a) => Math.max(m, a.length), 1);
  return {
    vpsWeight: new Float64Array(longest(alignment.groupVps)),
    truthWeight: new Float64Array(longest(alignment.groupTruth)),
    levelPairs: new Float64Array(longest(consistency.groupLevels)),
  };
}

function meanAlignmentOf(a: AlignmentLayout, g: number, counts: Float64Array): number {
  const xs = a.groupVps[g]!;
  const ys = a.groupTruth[g]!;
  let n = 0;
  let s = 0;
  for (let c = a.groupCellStart[g]!; c < a.groupCellStart[g + 1]!; c++) {
    const w = counts[c]!;
    if (w === 0) continue;
    n += w;
    s += w * Math.abs(xs[a.cellVps[c]!]! - ys[a.cellTruth[c]!]!);
  }
  return n > 0 ? 1 - s / n : NaN;
}

/** Alignment of group g (Spearman, Pearson or mean alignment) from its cells' counts. */
export function groupAlignment(a: AlignmentLayout, g: number, counts: Float64Array, metric: Metric, scratch: StatisticsScratch): number {
  if (metric === "mean_alignment") return meanAlignmentOf(a, g, counts);
  const start = a.groupCellStart[g]!;
  const end = a.groupCellStart[g + 1]!;
  const xs = a.groupVps[g]!;
  const ys = a.groupTruth[g]!;
  const xw = scratch.vpsWeight.subarray(0, xs.length).fill(0);
  const yw = scratch.truthWeight.subarray(0, ys.length).fill(0);
  let n = 0;
  for (let c = start; c < end; c++) {
    const w = counts[c]!;
    if (w === 0) continue;
    n += w;
    xw[a.cellVps[c]!]! += w;
    yw[a.cellTruth[c]!]! += w;
  }
  if (n < 2) return NaN;
  const spearman = metric === "spearman";
  const xv: ArrayLike<number> = spearman ? weightedMidranks(xw) : xs;
  const yv: ArrayLike<number> = spearman ? weightedMidranks(yw) : ys;
  const mx = spearman ? (n + 1) / 2 : weightedMean(xw, xs, n);
  const my = spearman ? (n + 1) / 2 : weightedMean(yw, ys, n);
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let k = 0; k < xs.length; k++) sxx += xw[k]! * (xv[k]! - mx) ** 2;
  for (let k = 0; k < ys.length; k++) syy += yw[k]! * (yv[k]! - my) ** 2;
  for (let c = start; c < end; c++) {
    const w = counts[c]!;
    if (w !== 0) sxy += w * (xv[a.cellVps[c]!]! - mx) * (yv[a.cellTruth[c]!]! - my);
  }
  return correlationFromMoments(sxx, syy, sxy);
}

function weightedMean(weights: Float64Array, values: Float64Array, n: number): number {
  let s = 0;
  for (let k = 0; k < values.length; k++) s += weights[k]! * values[k]!;
  return s / n;
}

/**
 * Per VPS level of group g, the number of ordered self-consistency pairs it is the first
 * member of: within a block of n drawn copies, a cell with C copies and Σcopies² = S
 * makes C·n − S pairs (every other copy, less its own copies where those may not pair).
 */
function levelPairCounts(c: ConsistencyLayout, g: number, w: RoundWeights, out: Float64Array): Float64Array {
  const pairs = out.subarray(0, c.groupLevels[g]!.length).fill(0);
  for (let b = c.groupBlockStart[g]!; b < c.groupBlockStart[g + 1]!; b++) {
    const m = w.blockCopies[b]!;
    if (m === 0) continue;
    let n = 0;
    for (let k = c.blockCellStart[b]!; k < c.blockCellStart[b + 1]!; k++) n += w.drawn[k]!;
    for (let k = c.blockCellStart[b]!; k < c.blockCellStart[b + 1]!; k++) pairs[c.cellLevel[k]!]! += m * (w.drawn[k]! * n - w.drawnSquares[k]!);
  }
  return pairs;
}

/** Self-consistency of group g (Spearman over ordered pairs, before the judge-error correction). */
export function groupConsistency(c: ConsistencyLayout, g: number, w: RoundWeights, scratch: StatisticsScratch): number {
  const pairs = levelPairCounts(c, g, w, scratch.levelPairs);
  const ranks = weightedMidranks(pairs);
  let total = 0;
  let sumR2 = 0;
  for (let v = 0; v < pairs.length; v++) {
    total += pairs[v]!;
    sumR2 += pairs[v]! * ranks[v]! * ranks[v]!;
  }
  if (total < 2) return NaN;
  const mean = (total + 1) / 2;
  let cross = 0;
  for (let b = c.groupBlockStart[g]!; b < c.groupBlockStart[g + 1]!; b++) {
    const m = w.blockCopies[b]!;
    if (m === 0) continue;
    let a = 0;
    let s = 0;
    for (let k = c.blockCellStart[b]!; k < c.blockCellStart[b + 1]!; k++) {
      const r = ranks[c.cellLevel[k]!]!;
      a += w.drawn[k]! * r;
      s += w.drawnSquares[k]! * r * r;
    }
    cross += m * (a * a - s);
  }
  const variance = sumR2 - total * mean * mean;
  return correlationFromMoments(variance, variance, cross - total * mean * mean);
}
