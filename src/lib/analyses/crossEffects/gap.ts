/**
 * The within-minus-between consistency gap per model, three ways: on the full data with
 * and without self-pairs, as published (the study's bootstrap of its joined pair table,
 * self-pairs included), and recommended (no self-pairs, a bootstrap over items).
 */
import { correlationFromMoments } from "../../correlation.js";
import { resampleCounts, type Rng } from "../../random.js";
import { bootstrapEstimate, type Estimate } from "../../recommended/estimate.js";
import { multinomialCounts } from "../../sampling.js";
import { summarize, type RoundSummary } from "../summary.js";
import type { CrossBlocks, ModelBlocks } from "./blocks.js";
import { addMoments, gapOf, itemPairs, symmetricPearson, zeroMoments, type PairMoments } from "./moments.js";

/** Within- and between-language consistency (divided by 1 − judge error rate) and their gap. */
export interface GapValues {
  within: number;
  between: number;
  gap: number;
}

function gapFrom(within: PairMoments, between: PairMoments, rate: number): GapValues {
  const w = symmetricPearson(within);
  const b = symmetricPearson(between);
  return { within: w / (1 - rate), between: b / (1 - rate), gap: gapOf(w, b, rate) };
}

/** A model's gap on the full data, each item counted `copies[item]` times (once when omitted). */
export function modelGap(m: ModelBlocks, selfPairs: boolean, rate: number, copies?: ArrayLike<number>): GapValues {
  const within = zeroMoments();
  const between = zeroMoments();
  for (const b of m.blocks) {
    const k = copies ? copies[b.item]! : 1;
    if (k === 0) continue;
    const p = itemPairs(b.sums, selfPairs);
    addMoments(within, p.within, k);
    addMoments(between, p.between, k);
  }
  return gapFrom(within, between, rate);
}

/**
 * Recommended: the gap without self-pairs on the full data, with standard error,
 * percentile interval and p from `replicates` draws of the items (as clusters, one draw
 * for all models; pairs form within one drawn copy of an item).
 */
export function recommendedGaps(data: CrossBlocks, replicates: number, rng: Rng, rate: number): Array<Estimate & GapValues> {
  const draws: number[][] = data.models.map(() => []);
  let copies: Int32Array | undefined;
  for (let r = 0; r < replicates; r++) {
    copies = resampleCounts(data.items.length, rng, copies);
    data.models.forEach((m, i) => {
      draws[i]!.push(modelGap(m, false, rate, copies).gap);
    });
  }
  return data.models.map((m, i) => {
    const point = modelGap(m, false, rate);
    return { ...point, ...bootstrapEstimate(point.gap, draws[i]!) };
  });
}

/** The study's pair table as counts: per model and (same language?), pairs of VPS levels. */
interface PairTable {
  levels: Float64Array;
  /** weights[((model · 2 + same) · L + x) · L + y]: pairs with those values. */
  weights: Float64Array;
  total: number;
}

/** Every ordered pair of one model's responses to the same item, self-pairs included, as the study's self-join made them. */
function pairTable(data: CrossBlocks): PairTable {
  const levels = Float64Array.from(new Set(data.models.flatMap((m) => m.blocks.flatMap((b) => b.units.map((u) => u.vps))))).sort();
  const index = new Map(Array.from(levels, (v, i) => [v, i]));
  const L = levels.length;
  const weights = new Float64Array(data.models.length * 2 * L * L);
  data.models.forEach((m, mi) => {
    for (const b of m.blocks) {
      for (const u of b.units) {
        for (const v of b.units) {
          const same = u.language === v.language ? 1 : 0;
          weights[((mi * 2 + same) * L + index.get(u.vps)!) * L + index.get(v.vps)!]! += u.count * v.count;
        }
      }
    }
  });
  return { levels, weights, total: weights.reduce((a, w) => a + w, 0) };
}

/** Pearson's r of one (model, same) slice of the drawn pair table. */
function sliceR(t: PairTable, counts: ArrayLike<number>, slice: number): number {
  const L = t.levels.length;
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let x = 0; x < L; x++) {
    for (let y = 0; y < L; y++) {
      const w = counts[(slice * L + x) * L + y]!;
      if (w === 0) continue;
      const vx = t.levels[x]!;
      const vy = t.levels[y]!;
      n += w;
      sx += w * vx;
      sy += w * vy;
      sxx += w * vx * vx;
      syy += w * vy * vy;
      sxy += w * vx * vy;
    }
  }
  return n < 2 ? NaN : correlationFromMoments(n * sxx - sx * sx, n * syy - sy * sy, n * sxy - sx * sy);
}

export interface PublishedGap {
  gap: RoundSummary;
  within: number;
  between: number;
}

/**
 * As published: each round draws the whole pair table (all models) with replacement, as
 * many pairs as it has, and computes within, between and their gap per model; the study
 * plotted the mean over rounds. The interval is the rounds' 2.5% and 97.5% percentiles.
 */
export function publishedGaps(data: CrossBlocks, rounds: number, rng: Rng, rate: number): PublishedGap[] {
  const t = pairTable(data);
  const per = data.models.map(() => ({ gap: [] as number[], within: [] as number[], between: [] as number[] }));
  let counts: Float64Array | undefined;
  for (let r = 0; r < rounds; r++) {
    counts = multinomialCounts(t.total, t.weights, rng, counts ?? new Float64Array(t.weights.length));
    data.models.forEach((_, mi) => {
      const w = sliceR(t, counts!, mi * 2 + 1);
      const b = sliceR(t, counts!, mi * 2);
      per[mi]!.within.push(w / (1 - rate));
      per[mi]!.between.push(b / (1 - rate));
      per[mi]!.gap.push(gapOf(w, b, rate));
    });
  }
  return per.map((p) => ({ gap: summarize(p.gap), within: summarize(p.within).mean, between: summarize(p.between).mean }));
}
