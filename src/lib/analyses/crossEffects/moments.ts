/**
 * The study's cross-effects statistic from counts: Pearson's r over the ordered pairs of
 * one model's responses to the same item, split into pairs in the same prompt language
 * (within) and in different ones (between). The study joined the responses table with
 * itself, so every response also paired with itself (a self-pair) in the within group.
 * Each pair group's r follows from per-(model, item, language) sums: n, Σx, Σx², so
 * nothing lists pairs, and an item bootstrap only reweights items.
 */
import { correlationFromMoments } from "../../correlation.js";

/** Sums over a set of ordered pairs (x, y); the sets used here are symmetric, so Σy = Σx and Σy² = Σx². */
export interface PairMoments {
  pairs: number;
  sx: number;
  sxx: number;
  sxy: number;
}

/** One item's responses of one model in one prompt language: n, Σx, Σx². */
export interface LanguageSums {
  n: number;
  s: number;
  q: number;
}

export const zeroMoments = (): PairMoments => ({ pairs: 0, sx: 0, sxx: 0, sxy: 0 });

/** Adds `k` copies of `m` to `acc`. */
export function addMoments(acc: PairMoments, m: PairMoments, k = 1): void {
  acc.pairs += k * m.pairs;
  acc.sx += k * m.sx;
  acc.sxx += k * m.sxx;
  acc.sxy += k * m.sxy;
}

/** Pearson's r of a symmetric set of pairs; NaN with fewer than two pairs or no variation. */
export function symmetricPearson(m: PairMoments): number {
  if (m.pairs < 2) return NaN;
  const v = m.pairs * m.sxx - m.sx * m.sx;
  return correlationFromMoments(v, v, m.pairs * m.sxy - m.sx * m.sx);
}

/**
 * The within-language and between-language pairs of one item, from its per-language sums.
 * Within: pairs in the same language, with self-pairs (the study's join) or distinct
 * responses only. Between: pairs in different languages (never a self-pair).
 */
export function itemPairs(sums: readonly LanguageSums[], selfPairs: boolean): { within: PairMoments; between: PairMoments } {
  const n = sums.reduce((a, l) => a + l.n, 0);
  const s = sums.reduce((a, l) => a + l.s, 0);
  const within = zeroMoments();
  const between = zeroMoments();
  let sumS2 = 0;
  for (const l of sums) {
    const partners = selfPairs ? l.n : l.n - 1;
    within.pairs += l.n * partners;
    within.sx += partners * l.s;
    within.sxx += partners * l.q;
    within.sxy += selfPairs ? l.s * l.s : l.s * l.s - l.q;
    between.pairs += l.n * (n - l.n);
    between.sx += (n - l.n) * l.s;
    between.sxx += (n - l.n) * l.q;
    sumS2 += l.s * l.s;
  }
  between.sxy = s * s - sumS2;
  return { within, between };
}

/** The gap within − between, divided by (1 − judge error rate) as the study did. */
export function gapOf(within: number, between: number, judgeErrorRate: number): number {
  return (within - between) / (1 - judgeErrorRate);
}
