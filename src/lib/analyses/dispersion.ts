/**
 * Dispersion: does a model spread its answers to one item as much as a population would?
 *
 * A model answers each item many times (templates × repeats); each answer's VPS is the pro
 * share among its n interview summaries. Were each answer n people drawn at random from a
 * population whose pro share on the item is p, the answers' VPS would vary with the binomial
 * variance p(1 − p)/n. For every model, prompt language and population of the language at a
 * level, per item:
 *
 * - observed: the sample variance (denominator k − 1) of the VPS of the model's k ≥ 2 scored
 *   answers to the item, from the cell's count-weighted sums of VPS and VPS², so the cost
 *   grows with aggregated cells, not with answers;
 * - expected: p(1 − p) times the answers' mean of 1/n, n being an answer's number of pro and
 *   con summaries where the workspace records it (`interview_size`, from the judge's labels),
 *   else 10, the number the prompts ask for (the study's release records none: n = 10 is
 *   assumed for every answer there).
 *
 * The summary per model × language × population is the ratio of sums Σ observed / Σ expected
 * over the items with both (1: as spread as a ten-person sample; below 1: more uniform; above:
 * more spread), with the recommended inference: the estimate on all the data, a 95% percentile
 * interval from a bootstrap that resamples items (one draw of items per replicate, shared by
 * every cell of the level), and the two-sided bootstrap p of "the ratio is 1".
 *
 * A language's populations: at the global level everyone surveyed; at the language level the
 * language's own speakers; at the country level every country whose dominant language it is.
 * The study's two baselines are left out.
 */
import { ASSUMED_INTERVIEW_SIZE } from "../interviews.js";
import { createRng, resampleCounts } from "../random.js";
import { bootstrapEstimate } from "../recommended/estimate.js";
import { countOf, isBaseline, type GroundTruthRow, type Level, type PopulationRow, type ResponseRow } from "../workspace.js";
import { truthByItem } from "./experiment/layout.js";

export interface DispersionOptions {
  /** Levels of the reference populations (default all three). */
  levels?: readonly Level[];
  /** Item-bootstrap replicates (default 200). */
  replicates?: number;
  seed?: number | string;
}

/** One model's answers to one item in one language, against one population. */
export interface DispersionItem {
  model: string;
  language: string;
  level: Level;
  population: string;
  item: string;
  /** Scored answers. */
  responses: number;
  /** Their mean VPS. */
  mean: number;
  /** The population's pro share p. */
  pro_share: number;
  /** Harmonic mean of the answers' summary counts n. */
  summaries: number;
  /** Sample variance of the VPS (NaN with fewer than two answers). */
  observed: number;
  /** p(1 − p) × mean(1/n). */
  expected: number;
  /** observed / expected (NaN where either is undefined or expected is 0). */
  ratio: number;
}

export interface DispersionCell {
  model: string;
  family: string;
  language: string;
  level: Level;
  population: string;
  /** Items with an observed and an expected variance, and their answers. */
  items: number;
  responses: number;
  /** Share of those answers whose summary count was assumed (10), not read from labels. */
  assumed: number;
  /** Mean over the items of the observed and of the expected variance. */
  observed: number;
  expected: number;
  /** Σ observed / Σ expected, with its 95% item-bootstrap interval, the draws' SD and the p of "ratio = 1". */
  ratio: number;
  ci_low: number;
  ci_high: number;
  se: number;
  p: number;
}

export interface DispersionResult {
  method: string;
  replicates: number;
  levels: Level[];
  /** Share of all scored answers whose summary count was assumed. */
  assumed: number;
  cells: DispersionCell[];
  items: DispersionItem[];
}

/** Count-weighted sums of one model's answers to one item in one language. */
interface Sums {
  model: string;
  family: string;
  language: string;
  item: string;
  k: number;
  s1: number;
  s2: number;
  /** Σ count / n. */
  inverseN: number;
  assumed: number;
}

/** An answer's summary count: its own when recorded and positive, else the assumed 10. */
function summaryCount(r: ResponseRow): { n: number; assumed: boolean } {
  const n = r.interview_size;
  return typeof n === "number" && Number.isFinite(n) && n >= 1 ? { n, assumed: false } : { n: ASSUMED_INTERVIEW_SIZE, assumed: true };
}

/** Sums per model × language × item over scored rows (aggregated or not), baselines left out. */
function sumsOf(scored: readonly ResponseRow[]): Sums[] {
  const cells = new Map<string, Sums>();
  for (const r of scored) {
    if (isBaseline(r.model)) continue;
    const key = `${r.model}\u0000${r.language}\u0000${r.item}`;
    let s = cells.get(key);
    if (!s) {
      s = { model: r.model, family: r.family, language: r.language, item: r.item, k: 0, s1: 0, s2: 0, inverseN: 0, assumed: 0 };
      cells.set(key, s);
    }
    const c = countOf(r);
    const v = r.vps!;
    const { n, assumed } = summaryCount(r);
    s.k += c;
    s.s1 += c * v;
    s.s2 += c * v * v;
    s.inverseN += c / n;
    if (assumed) s.assumed += c;
  }
  return [...cells.values()];
}

/** Sample variance from count-weighted sums (clamped at 0 against rounding). */
function sampleVariance(s: Pick<Sums, "k" | "s1" | "s2">): number {
  if (s.k < 2) return NaN;
  return Math.max(0, (s.s2 - (s.s1 * s.s1) / s.k) / (s.k - 1));
}

/** The populations a prompt language is compared with at a level. */
function populationsOf(level: Level, language: string, populations: readonly PopulationRow[], available: ReadonlySet<string>): string[] {
  if (level === "global") return [...available].sort();
  if (level === "language") return available.has(language) ? [language] : [];
  return populations.filter((p) => p.level === "country" && p.language === language && available.has(p.population)).map((p) => p.population);
}

function itemRow(s: Sums, level: Level, population: string, p: number): DispersionItem {
  const observed = sampleVariance(s);
  const expected = p * (1 - p) * (s.inverseN / s.k);
  const ratio = Number.isFinite(observed) && expected > 0 ? observed / expected : NaN;
  return {
    model: s.model,
    language: s.language,
    level,
    population,
    item: s.item,
    responses: s.k,
    mean: s.s1 / s.k,
    pro_share: p,
    summaries: s.k / s.inverseN,
    observed,
    expected,
    ratio,
  };
}

/** Per-item rows of one level: every (model, language, item) against each of the language's populations with a pro share. */
function itemRows(sums: readonly Sums[], groundTruth: readonly GroundTruthRow[], populations: readonly PopulationRow[], level: Level): DispersionItem[] {
  const truth = truthByItem(groundTruth, level);
  const available = new Set([...truth.values()].flatMap((list) => list.map((t) => t.population)));
  const out: DispersionItem[] = [];
  for (const s of sums) {
    const shares = new Map((truth.get(s.item) ?? []).map((t) => [t.population, t.score]));
    for (const population of populationsOf(level, s.language, populations, available)) {
      const p = shares.get(population);
      if (p !== undefined) out.push(itemRow(s, level, population, p));
    }
  }
  return out;
}

/** A cell: the items of one model × language × population that have both variances. */
interface Group {
  key: Omit<DispersionCell, "items" | "responses" | "assumed" | "observed" | "expected" | "ratio" | "ci_low" | "ci_high" | "se" | "p">;
  rows: DispersionItem[];
  /** Index of each row's item in the level's item list. */
  itemIndex: number[];
  responses: number;
  assumed: number;
}

function groupsOf(rows: readonly DispersionItem[], sums: ReadonlyMap<string, Sums>, items: ReadonlyMap<string, number>): Group[] {
  const groups = new Map<string, Group>();
  for (const r of rows) {
    if (!(Number.isFinite(r.observed) && Number.isFinite(r.expected))) continue;
    const key = `${r.model}\u0000${r.language}\u0000${r.population}`;
    const s = sums.get(`${r.model}\u0000${r.language}\u0000${r.item}`)!;
    let g = groups.get(key);
    if (!g) {
      g = {
        key: { model: r.model, family: s.family, language: r.language, level: r.level, population: r.population },
        rows: [],
        itemIndex: [],
        responses: 0,
        assumed: 0,
      };
      groups.set(key, g);
    }
    g.rows.push(r);
    g.itemIndex.push(items.get(r.item)!);
    g.responses += s.k;
    g.assumed += s.assumed;
  }
  return [...groups.values()];
}

/** Σ w·observed / Σ w·expected over a group's rows (w: each item's multiplicity; NaN when the denominator is 0). */
function weightedRatio(g: Group, weights: ArrayLike<number> | null): number {
  let num = 0;
  let den = 0;
  g.rows.forEach((r, i) => {
    const w = weights ? weights[g.itemIndex[i]!]! : 1;
    num += w * r.observed;
    den += w * r.expected;
  });
  return den > 0 ? num / den : NaN;
}

/** The level's cells with their item-bootstrap estimates. */
function cellsOf(groups: readonly Group[], nItems: number, replicates: number, seed: string, level: Level): DispersionCell[] {
  const rng = createRng(seed, `dispersion/${level}`);
  const draws = groups.map(() => [] as number[]);
  const weights = new Int32Array(nItems);
  for (let b = 0; b < replicates; b++) {
    resampleCounts(nItems, rng, weights);
    groups.forEach((g, i) => {
      draws[i]!.push(weightedRatio(g, weights) - 1);
    });
  }
  return groups.map((g, i) => {
    const point = weightedRatio(g, null);
    const e = bootstrapEstimate(point - 1, draws[i]!);
    const mean = (f: (r: DispersionItem) => number) => g.rows.reduce((a, r) => a + f(r), 0) / g.rows.length;
    return {
      ...g.key,
      items: g.rows.length,
      responses: g.responses,
      assumed: g.assumed / g.responses,
      observed: mean((r) => r.observed),
      expected: mean((r) => r.expected),
      ratio: point,
      ci_low: e.ci_low + 1,
      ci_high: e.ci_high + 1,
      se: e.se,
      p: e.p,
    };
  });
}

const LEVEL_ORDER: readonly Level[] = ["global", "language", "country"];

export const DISPERSION_METHOD =
  "Dispersion: per item, the sample variance of a model's VPS over its answers against the binomial variance p(1 − p)/n of n people drawn from the population " +
  "(n = each answer's pro and con summaries where the labels record it, else 10, as the prompts ask); per model, language and population the ratio Σ observed / Σ expected " +
  "over items, with a 95% percentile interval from the recommended item bootstrap.";

/** Dispersion of every model's answers against its languages' populations, at each level asked for. */
export function dispersion(
  scored: readonly ResponseRow[],
  groundTruth: readonly GroundTruthRow[],
  populations: readonly PopulationRow[],
  options: DispersionOptions = {},
): DispersionResult {
  const replicates = options.replicates ?? 200;
  if (!Number.isInteger(replicates) || replicates < 0) throw new Error(`Dispersion: replicates must be a non-negative integer, got ${replicates}`);
  const seed = String(options.seed ?? 1);
  const levels = LEVEL_ORDER.filter((l) => (options.levels ?? LEVEL_ORDER).includes(l));
  const sums = sumsOf(scored);
  const byKey = new Map(sums.map((s) => [`${s.model}\u0000${s.language}\u0000${s.item}`, s]));
  const cells: DispersionCell[] = [];
  const items: DispersionItem[] = [];
  for (const level of levels) {
    const rows = itemRows(sums, groundTruth, populations, level);
    const itemList = [...new Set(rows.map((r) => r.item))].sort();
    const index = new Map(itemList.map((item, i) => [item, i]));
    cells.push(...cellsOf(groupsOf(rows, byKey, index), itemList.length, replicates, seed, level));
    items.push(...rows);
  }
  const total = sums.reduce((a, s) => a + s.k, 0);
  const assumed = sums.reduce((a, s) => a + s.assumed, 0);
  return { method: DISPERSION_METHOD, replicates, levels, assumed: total > 0 ? assumed / total : NaN, cells, items };
}
