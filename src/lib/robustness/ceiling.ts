/**
 * The ceiling of alignment: what a perfect model would score.
 *
 * A model's alignment with a population is Spearman's ρ (average ties) over its scored
 * responses, pairing each response's VPS (n_pro / (n_pro + n_con) over the ~10
 * interview summaries of that response) with its item's pro share in the population.
 * A perfect model answers each prompt with an interview of n_r real people drawn at
 * random from the population, n_r being the response's number of pro and con labels;
 * for a binary item with pro share pᵢ its VPS is then Binomial(n_r, pᵢ) / n_r. The
 * ceiling is the expected ρ between such simulated VPS values and the pᵢ over exactly
 * the (response, item) pairs the model's alignment uses, each with its own n_r,
 * estimated by seeded simulation (mean over draws and its Monte Carlo standard error).
 *
 * It needs only aggregates (the ground truth and each response's label count), so it
 * works for sources without survey microdata. Where a response carries no labels (the
 * study's release), n_r is the largest count up to 10 (the interviews asked for) that
 * its VPS can come from: a VPS of 6/7 means seven pro or con labels. The result says so.
 */
import { runExperiment } from "../analyses/experiment.js";
import { withBaselines } from "../analyses/context.js";
import { countryLanguages } from "../analyses/usbias.js";
import { correlationFromMoments, weightedMidranks } from "../correlation.js";
import { interviewSize } from "../interviews.js";
import { createRng, type Rng } from "../random.js";
import { multinomialCounts } from "../sampling.js";
import { countOf, scoredResponses, type GroundTruthRow, type ResponseRow, type Workspace } from "../workspace.js";

/** One (response, item) pair of an alignment: the response's label count and the item's pro share. */
export interface CeilingPair {
  /** n_r: the response's pro and con labels (its interview size for the VPS). */
  n: number;
  /** pᵢ: the item's pro share in the population. */
  p: number;
  /** Responses the pair stands for (an aggregated row's count); 1 when absent. */
  count?: number;
}

export interface CeilingEstimate {
  /** Mean of ρ over the draws (NaN when no draw gives a defined ρ). */
  mean: number;
  /** Monte Carlo standard error of the mean: sd / √draws. */
  se: number;
  /** Draws with a defined ρ. */
  draws: number;
}

export interface CeilingOptions {
  seed?: number | string;
  /** Simulated perfect models per (model, language, country); default 200. */
  draws?: number;
}

export interface CeilingRow {
  model: string;
  language: string;
  /** Mean alignment (Spearman, full data) with the countries whose language is the prompt language. */
  alignment: number;
  /** Mean over the same countries of the perfect model's expected alignment. */
  ceiling: number;
  /** Monte Carlo standard error of `ceiling`. */
  ceilingSe: number;
  /** alignment / ceiling. */
  share: number;
  /** Where n_r comes from: the judge's labels, the largest count up to 10 its VPS fits, or both (some responses without labels). */
  interviewSize: "labels" | "from VPS" | "mixed";
  /** Distinct items with ground truth in at least one of those countries among the model's responses. */
  items: number;
  /** The countries behind the means, each with its own alignment and ceiling. */
  countries: CountryCeiling[];
}

/** One (model, prompt language, country): the alignment and the perfect model's on the same pairs. */
export interface CountryCeiling {
  country: string;
  alignment: number;
  ceiling: number;
  ceilingSe: number;
  /** (response, item) pairs: the model's scored responses whose item has ground truth in the country. */
  responses: number;
}

/** Sizes up to which a binomial is drawn by inversion of a CDF table; beyond, by summing Bernoulli draws. */
const TABLE_LIMIT = 500;

/**
 * The CDF of Binomial(n, p) at k = 0…n (its last entry set to exactly 1). The pmf is
 * built from the smaller of p and 1 − p, so that its first term cannot underflow for
 * n ≤ 500.
 */
export function binomialCdf(n: number, p: number): Float64Array {
  const q = Math.min(Math.max(p, 0), 1);
  const small = Math.min(q, 1 - q);
  const pmf = new Float64Array(n + 1);
  pmf[0] = (1 - small) ** n;
  for (let k = 0; k < n; k++) pmf[k + 1] = small === 0 ? 0 : (pmf[k]! * (n - k) * small) / ((k + 1) * (1 - small));
  if (small !== q) pmf.reverse();
  const cdf = new Float64Array(n + 1);
  let sum = 0;
  pmf.forEach((x, k) => {
    cdf[k] = sum += x;
  });
  cdf[n] = 1;
  return cdf;
}

/** The smallest k with u < cdf[k], for one uniform u. */
function fromCdf(cdf: Float64Array, rng: Rng): number {
  const u = rng.next();
  let k = 0;
  while (u >= cdf[k]!) k++;
  return k;
}

/**
 * Binomial(n, p), exact: inversion of the CDF from one uniform for n ≤ 500, the sum of
 * n Bernoulli draws beyond.
 */
export function binomial(n: number, p: number, rng: Rng): number {
  if (n <= TABLE_LIMIT) return fromCdf(binomialCdf(n, p), rng);
  let k = 0;
  for (let i = 0; i < n; i++) if (rng.next() < p) k++;
  return k;
}

/** What every draw of one group shares: the pairs, the VPS levels they can take, and the centred ranks of the truth. */
interface Design {
  n: Int32Array;
  p: Float64Array;
  /** Per pair: the level index of VPS k/n for k = 0…n. */
  levelOf: Int32Array[];
  /** Per pair: its binomial's CDF table (shared between equal pairs), or null beyond the table limit. */
  cdf: Array<Float64Array | null>;
  /** Per pair: its responses. */
  count: Float64Array;
  /** Responses in all. */
  total: number;
  levels: number;
  /** Average ranks of p (each pair counted as often as its responses), minus their mean. */
  ry: Float64Array;
  syy: number;
}

/** Average ranks of p with each pair counted `count` times, minus their mean ((total + 1) / 2). */
function centredRanks(kept: readonly CeilingPair[], count: Float64Array, total: number): Float64Array {
  const values = Float64Array.from(new Set(kept.map((x) => x.p))).sort();
  const index = new Map(Array.from(values, (v, i) => [v, i]));
  const weights = new Float64Array(values.length);
  kept.forEach((x, i) => {
    weights[index.get(x.p)!]! += count[i]!;
  });
  const ranks = weightedMidranks(weights);
  return Float64Array.from(kept, (x) => ranks[index.get(x.p)!]! - (total + 1) / 2);
}

function designOf(pairs: readonly CeilingPair[]): Design {
  const kept = pairs.filter((x) => Number.isFinite(x.p) && Number.isInteger(x.n) && x.n >= 1);
  const sizes = [...new Set(kept.map((x) => x.n))];
  const values = Float64Array.from(new Set(sizes.flatMap((n) => Array.from({ length: n + 1 }, (_, k) => k / n)))).sort();
  const index = new Map(Array.from(values, (v, i) => [v, i]));
  const tables = new Map(sizes.map((n) => [n, Int32Array.from({ length: n + 1 }, (_, k) => index.get(k / n)!)]));
  const cdfs = new Map<string, Float64Array>();
  const cdfOf = (x: CeilingPair) => {
    const key = `${x.n}:${x.p}`;
    if (!cdfs.has(key)) cdfs.set(key, binomialCdf(x.n, x.p));
    return cdfs.get(key)!;
  };
  const count = Float64Array.from(kept, (x) => x.count ?? 1);
  const total = count.reduce((s, c) => s + c, 0);
  const ry = centredRanks(kept, count, total);
  return {
    count,
    total,
    n: Int32Array.from(kept, (x) => x.n),
    p: Float64Array.from(kept, (x) => x.p),
    levelOf: kept.map((x) => tables.get(x.n)!),
    cdf: kept.map((x) => (x.n <= TABLE_LIMIT ? cdfOf(x) : null)),
    levels: values.length,
    ry,
    syy: ry.reduce((s, r, i) => s + count[i]! * r * r, 0),
  };
}

/** Scratch space of the draws: per pair its drawn level (one response) or its counts per k (several). */
interface DrawScratch {
  level: Int32Array;
  /** Per pair with several responses, from offset[i]: how many of them drew k = 0…n. */
  spread: Float64Array;
  offset: Int32Array;
  weights: Float64Array;
  ranks: Float64Array;
}

function drawScratch(d: Design): DrawScratch {
  const offset = new Int32Array(d.n.length);
  let size = 0;
  d.n.forEach((n, i) => {
    offset[i] = size;
    if (d.count[i]! > 1) size += n + 1;
  });
  return { level: new Int32Array(d.n.length), spread: new Float64Array(size), offset, weights: new Float64Array(d.levels), ranks: new Float64Array(d.levels) };
}

/** Pair i's draws: one binomial, or, for a pair standing for several responses, how many drew each k. */
function drawPair(d: Design, i: number, rng: Rng, s: DrawScratch): void {
  const cdf = d.cdf[i];
  const count = d.count[i]!;
  if (count === 1) {
    s.level[i] = d.levelOf[i]![cdf ? fromCdf(cdf, rng) : binomial(d.n[i]!, d.p[i]!, rng)]!;
    s.weights[s.level[i]!]!++;
    return;
  }
  const n = d.n[i]!;
  const spread = s.spread.subarray(s.offset[i]!, s.offset[i]! + n + 1);
  if (cdf)
    multinomialCounts(
      count,
      Float64Array.from(cdf, (c, k) => Math.max(0, c - (k ? cdf[k - 1]! : 0))),
      rng,
      spread,
    );
  else for (let r = 0; r < count; r++) spread[binomial(n, d.p[i]!, rng)]!++;
  for (let k = 0; k <= n; k++) s.weights[d.levelOf[i]![k]!]! += spread[k]!;
}

/**
 * One perfect model's ρ: draws every response's VPS and correlates its average ranks
 * with the truth's (Pearson's r of ranks, from the counts of each VPS level as in
 * the bootstrap experiment, so no sort per draw).
 */
function drawRho(d: Design, rng: Rng, s: DrawScratch): number {
  if (d.total < 2) return NaN;
  s.weights.fill(0);
  s.spread.fill(0);
  for (let i = 0; i < d.n.length; i++) drawPair(d, i, rng, s);
  weightedMidranks(s.weights, s.ranks);
  const mean = (d.total + 1) / 2;
  let sxx = 0;
  for (let l = 0; l < d.levels; l++) sxx += s.weights[l]! * (s.ranks[l]! - mean) ** 2;
  let sxy = 0;
  for (let i = 0; i < d.n.length; i++) {
    if (d.count[i] === 1) {
      sxy += (s.ranks[s.level[i]!]! - mean) * d.ry[i]!;
      continue;
    }
    for (let k = 0; k <= d.n[i]!; k++) sxy += s.spread[s.offset[i]! + k]! * (s.ranks[d.levelOf[i]![k]!]! - mean) * d.ry[i]!;
  }
  return correlationFromMoments(sxx, d.syy, sxy);
}

/**
 * The perfect model's expected ρ over given pairs: each draw replaces every response's
 * VPS by Binomial(n, p) / n and correlates it (Spearman, average ties) with p, drawing
 * the pairs in order. Pairs with a non-finite p or n < 1 are left out (their ground
 * truth or VPS is undefined). Draws with an undefined ρ (a constant draw) are skipped.
 */
export function simulatedCeiling(pairs: readonly CeilingPair[], rng: Rng, draws = 200): CeilingEstimate {
  const d = designOf(pairs);
  const scratch = drawScratch(d);
  const rhos: number[] = [];
  for (let k = 0; k < draws; k++) {
    const rho = drawRho(d, rng, scratch);
    if (!Number.isNaN(rho)) rhos.push(rho);
  }
  const k = rhos.length;
  if (k === 0) return { mean: NaN, se: NaN, draws: 0 };
  const mean = rhos.reduce((s, x) => s + x, 0) / k;
  const variance = k > 1 ? rhos.reduce((s, x) => s + (x - mean) ** 2, 0) / (k - 1) : 0;
  return { mean, se: Math.sqrt(variance / k), draws: k };
}

interface Group {
  model: string;
  language: string;
  country: string;
  pairs: CeilingPair[];
  items: Set<string>;
  labelled: number;
  assumed: number;
}

/**
 * The (response, item) pairs of each (model, language, country) alignment, for the
 * countries whose language is the prompt language: scored responses (in the prompt
 * language, with a VPS) whose item has a finite pro share in the country.
 */
function nativeGroups(responses: readonly ResponseRow[], groundTruth: readonly GroundTruthRow[], languageOf: Map<string, string>): Map<string, Group> {
  const truth = new Map<string, Array<{ country: string; p: number }>>();
  for (const g of groundTruth) {
    if (g.level !== "country" || !Number.isFinite(g.pro_score)) continue;
    if (!truth.has(g.item)) truth.set(g.item, []);
    truth.get(g.item)!.push({ country: g.population, p: g.pro_score });
  }
  const groups = new Map<string, Group>();
  for (const r of scoredResponses(responses)) {
    const size = interviewSize(r);
    for (const t of truth.get(r.item) ?? []) {
      if (languageOf.get(t.country) !== r.language) continue;
      const key = `${r.model}\u0000${r.language}\u0000${t.country}`;
      let g = groups.get(key);
      if (!g) {
        g = { model: r.model, language: r.language, country: t.country, pairs: [], items: new Set(), labelled: 0, assumed: 0 };
        groups.set(key, g);
      }
      const count = countOf(r);
      g.pairs.push({ n: size.n, p: t.p, count });
      g.items.add(r.item);
      if (size.fromLabels) g.labelled += count;
      else g.assumed += count;
    }
  }
  return groups;
}

/** Full-data alignment per (model, language, country), as the study computes it. */
function pointAlignments(ws: Workspace): Map<string, number> {
  const exp = runExperiment(scoredResponses(ws.responses), ws.ground_truth, { level: "country", rounds: 0, rng: createRng("ceiling/alignment") });
  return new Map(exp.alignmentGroups.map((g, i) => [`${g.model}\u0000${g.language}\u0000${g.population}`, exp.pointAlignment[i]!]));
}

const meanOf = (xs: readonly number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);

/** One row from its countries: means over those where both values are defined, and the SE of the mean ceiling. */
function summarize(model: string, language: string, countries: CountryCeiling[], groups: Group[]): CeilingRow {
  const used = countries.filter((c) => Number.isFinite(c.alignment) && Number.isFinite(c.ceiling));
  const alignment = meanOf(used.map((c) => c.alignment));
  const ceiling = meanOf(used.map((c) => c.ceiling));
  // The countries' estimates come from independent draws: the variance of their mean is Σse² / k².
  const ceilingSe = used.length ? Math.sqrt(used.reduce((s, c) => s + c.ceilingSe ** 2, 0)) / used.length : NaN;
  const labelled = groups.reduce((s, g) => s + g.labelled, 0);
  const assumed = groups.reduce((s, g) => s + g.assumed, 0);
  const interviewSize = assumed === 0 && labelled > 0 ? "labels" : labelled === 0 ? "from VPS" : "mixed";
  const items = new Set(groups.flatMap((g) => [...g.items])).size;
  return { model, language, alignment, ceiling, ceilingSe, share: alignment / ceiling, interviewSize, items, countries };
}

/**
 * Each model's alignment with the countries whose language is the prompt language,
 * beside the ceiling a perfect model would reach on the same responses and items, and
 * the share of it reached. Every (model, prompt language) with scored responses has a
 * row; one without any pair with ground truth is NaN throughout, never an error. Each
 * country's draws come from their own stream of the seed, so a country's ceiling does
 * not depend on which others are present.
 */
export function ceilings(input: Workspace, options: CeilingOptions = {}): CeilingRow[] {
  const seed = String(options.seed ?? 1);
  const ws = withBaselines(input, seed).workspace;
  const alignment = pointAlignments(ws);
  const groups = nativeGroups(ws.responses, ws.ground_truth, countryLanguages(ws.populations));
  const cells = new Map<string, { model: string; language: string; groups: Group[] }>();
  for (const r of scoredResponses(ws.responses)) {
    const key = `${r.model}\u0000${r.language}`;
    if (!cells.has(key)) cells.set(key, { model: r.model, language: r.language, groups: [] });
  }
  for (const g of groups.values()) cells.get(`${g.model}\u0000${g.language}`)!.groups.push(g);
  return [...cells.values()].map(({ model, language, groups: gs }) => {
    const countries = gs.map((g) => {
      const key = `${g.model}\u0000${g.language}\u0000${g.country}`;
      const c = simulatedCeiling(g.pairs, createRng(seed, `ceiling/${key}`), options.draws ?? 200);
      return {
        country: g.country,
        alignment: alignment.get(key) ?? NaN,
        ceiling: c.mean,
        ceilingSe: c.se,
        responses: g.pairs.reduce((n, x) => n + (x.count ?? 1), 0),
      };
    });
    return summarize(model, language, countries, gs);
  });
}
