/**
 * Whose opinions? For every prompt language and surveyed country, how closely each model
 * (and the median model) agrees with that country's population, which countries are
 * nearest, and whether a country's US gap follows from how much its survey answers
 * resemble the US's own.
 *
 * - Alignment is the alignment analysis' at the country level: Spearman's ρ over a
 *   model's responses in a language, each response's VPS against its item's pro share
 *   in the country, on the country's own items. The median model's is the median over
 *   models of ρ.
 * - A country's survey similarity to the US is Spearman's ρ of the two populations' pro
 *   shares over every item both have in the survey (not only those the models were asked).
 * - A gap, as in the recommended US-bias analysis (src/lib/recommended/usbias.ts), is a
 *   model's alignment with the US minus its alignment with the country, both on the items
 *   the US and the country have; above zero, closer to the US. The median model's gap is
 *   the median of the models' gaps.
 * - The regression is the OLS line gap = a + b · similarity over the countries other than
 *   the US: with each country's gap in its own language (`own`), or in one prompt language.
 *
 * Uncertainty is the recommended analysis': one full-data estimate per cell, intervals from
 * a bootstrap that resamples items as clusters (or whole responses), refitting the line on
 * each replicate with the survey similarities held fixed.
 */
import { spearman, type Metric } from "../correlation.js";
import { median } from "../descriptive.js";
import { tQuantile } from "../distributions.js";
import { createRng } from "../random.js";
import { bootstrapEstimate, type Estimate } from "../recommended/estimate.js";
import type { ResamplingUnit } from "../recommended/index.js";
import { bootstrapped, type Cells } from "../recommended/usbias.js";
import { isBaseline, scoredResponses, type GroundTruthRow, type Workspace } from "../workspace.js";
import { experimentLayout, runLayoutExperiment } from "./experiment.js";
import { countryLanguages, US } from "./usbias.js";

export const MEDIAN_MODEL = "median model";
/** The regression over each country's gap in its own language. */
export const OWN_LANGUAGE = "own";
/** Points along the fitted line at which its band is given. */
const BAND_POINTS = 11;

export interface SimilarityOptions {
  /** Bootstrap replicates (default 200). */
  replicates?: number;
  seed?: number | string;
  unit?: ResamplingUnit;
  metric?: Metric;
}

export interface SimilarityCell extends Estimate {
  /** A model, or `median model`. */
  model: string;
  language: string;
  country: string;
  /** 1 for the nearest country (ties share the mean of their places; NaN where ρ is undefined). */
  rank: number;
  /** 95% percentile interval of the rank over the replicates. */
  rank_low: number;
  rank_high: number;
}

export interface SurveySimilarity {
  country: string;
  /** Spearman's ρ of the country's and the US's pro shares. */
  rho: number;
  /** Items both have. */
  items: number;
}

export interface SimilarityGap extends Estimate {
  model: string;
  language: string;
  country: string;
  /** The country's survey similarity to the US. */
  similarity: number;
}

export interface GapRegression {
  model: string;
  /** `own` (each country in its own language) or a prompt language. */
  gaps: string;
  /** Countries fitted (a finite gap and similarity), and how many. */
  countries: string[];
  n: number;
  /** Bootstrap estimates (item resampling); the similarities are fixed. */
  slope: Estimate;
  intercept: Estimate;
  /** The classical OLS view of the same line, with the countries as the sample: slope SE, t interval, R². */
  ols: { se: number; ci_low: number; ci_high: number; r2: number; df: number };
  /** The fitted line and its 95% bootstrap band at evenly spaced similarities. */
  band: Array<{ x: number; fit: number; ci_low: number; ci_high: number }>;
}

export interface SimilarityResult {
  method: string;
  unit: ResamplingUnit;
  replicates: number;
  models: string[];
  languages: string[];
  countries: string[];
  cells: SimilarityCell[];
  /** Per model (and the median model) and language: countries from nearest to farthest (those with a ρ). */
  nearest: Array<{ model: string; language: string; countries: string[] }>;
  usSimilarity: SurveySimilarity[];
  gaps: SimilarityGap[];
  regressions: GapRegression[];
}

/** What the statistics range over, fixed across replicates. */
interface Grid {
  models: string[];
  languages: string[];
  countries: string[];
  /** Countries other than the US with a survey similarity, each with its populations restricted to the items both have. */
  compared: Array<{ country: string; us: string; self: string; similarity: number }>;
  sets: Array<{ gaps: string; points: Array<{ country: string; language: string; x: number }> }>;
}

/** Finite pro shares per country and item. */
function countryTruth(groundTruth: readonly GroundTruthRow[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const g of groundTruth) {
    if (g.level !== "country" || !Number.isFinite(g.pro_score)) continue;
    if (!out.has(g.population)) out.set(g.population, new Map());
    out.get(g.population)!.set(g.item, g.pro_score);
  }
  return out;
}

/** Each country's ρ with the US over the items both have (NaN with fewer than three). */
export function surveySimilarity(groundTruth: readonly GroundTruthRow[]): SurveySimilarity[] {
  const truth = countryTruth(groundTruth);
  const us = truth.get(US);
  if (!us) return [];
  return [...truth]
    .filter(([c]) => c !== US)
    .map(([country, shares]) => {
      const items = [...shares.keys()].filter((i) => us.has(i)).sort();
      const rho =
        items.length >= 3
          ? spearman(
              items.map((i) => shares.get(i)!),
              items.map((i) => us.get(i)!),
            )
          : NaN;
      return { country, rho, items: items.length };
    })
    .sort((a, b) => a.country.localeCompare(b.country));
}

/**
 * `a`'s pro shares on the items `b` also has: `a` itself when it has none that `b` lacks,
 * else a restricted copy named `a\u0001b` (added to `extra`).
 */
function restricted(truth: Map<string, Map<string, number>>, a: string, b: string, extra: GroundTruthRow[]): string {
  const other = truth.get(b)!;
  const rows = [...truth.get(a)!].filter(([item]) => other.has(item));
  if (rows.length === truth.get(a)!.size) return a;
  const name = `${a}\u0001${b}`;
  for (const [item, pro_score] of rows) extra.push({ level: "country", population: name, item, pro_score });
  return name;
}

function gridOf(ws: Workspace, extra: GroundTruthRow[]): Grid {
  const responses = scoredResponses(ws.responses).filter((r) => !isBaseline(r.model));
  const truth = countryTruth(ws.ground_truth);
  const languages = [...new Set(responses.map((r) => r.language))].sort();
  const compared = surveySimilarity(ws.ground_truth)
    .filter((s) => Number.isFinite(s.rho))
    .map((s) => ({ country: s.country, us: restricted(truth, US, s.country, extra), self: restricted(truth, s.country, US, extra), similarity: s.rho }));
  const own = countryLanguages(ws.populations);
  const points = (language: (c: string) => string | undefined) =>
    compared.flatMap((c) => {
      const l = language(c.country);
      return l !== undefined && languages.includes(l) ? [{ country: c.country, language: l, x: c.similarity }] : [];
    });
  return {
    models: [...new Set(responses.map((r) => r.model))].sort(),
    languages,
    countries: [...truth.keys()].sort(),
    compared,
    sets: [{ gaps: OWN_LANGUAGE, points: points((c) => own.get(c)) }, ...languages.map((l) => ({ gaps: l, points: points(() => l) }))],
  };
}

/** Places from the largest value (1) down, ties sharing the mean of their places; NaN stays NaN. */
export function descendingRanks(values: readonly number[]): number[] {
  return values.map((v) => {
    if (!Number.isFinite(v)) return NaN;
    let above = 0;
    let tied = 0;
    for (const w of values) {
      if (w > v) above++;
      else if (w === v) tied++;
    }
    return above + (tied + 1) / 2;
  });
}

/** Least squares of y on x over the finite pairs. */
function line(xs: readonly number[], ys: readonly number[]): { slope: number; intercept: number; n: number; sxx: number; rss: number; tss: number } {
  const keep = xs.map((_, i) => i).filter((i) => Number.isFinite(xs[i]!) && Number.isFinite(ys[i]!));
  const n = keep.length;
  const mx = keep.reduce((s, i) => s + xs[i]!, 0) / n;
  const my = keep.reduce((s, i) => s + ys[i]!, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let tss = 0;
  for (const i of keep) {
    sxx += (xs[i]! - mx) ** 2;
    sxy += (xs[i]! - mx) * (ys[i]! - my);
    tss += (ys[i]! - my) ** 2;
  }
  const slope = n >= 3 && sxx > 0 ? sxy / sxx : NaN;
  const intercept = my - slope * mx;
  const rss = keep.reduce((s, i) => s + (ys[i]! - intercept - slope * xs[i]!) ** 2, 0);
  return { slope, intercept, n, sxx, rss, tss };
}

const key = (...parts: string[]) => parts.join("\u0000");

/** Band positions of a set: evenly spaced over its similarities. */
function bandXs(points: ReadonlyArray<{ x: number }>): number[] {
  if (points.length === 0) return [];
  const lo = Math.min(...points.map((p) => p.x));
  const hi = Math.max(...points.map((p) => p.x));
  return Array.from({ length: BAND_POINTS }, (_, k) => lo + ((hi - lo) * k) / (BAND_POINTS - 1));
}

/** ρ and rank of every (model, language, country), the median model's included. */
function alignmentStatistics(cells: Cells, g: Grid, out: Map<string, number>): void {
  for (const language of g.languages) {
    const rows = g.models.map((m) => g.countries.map((c) => cells(m, c, language)));
    const medians = g.countries.map((_, j) => median(rows.map((r) => r[j]!)));
    [...g.models, MEDIAN_MODEL].forEach((model, i) => {
      const rhos = rows[i] ?? medians;
      const ranks = descendingRanks(rhos);
      g.countries.forEach((c, j) => {
        out.set(key("rho", model, language, c), rhos[j]!);
        out.set(key("rank", model, language, c), ranks[j]!);
      });
    });
  }
}

/** Every gap (US minus the country, on the items both have), the median model's included. */
function gapStatistics(cells: Cells, g: Grid, out: Map<string, number>): void {
  for (const language of g.languages) {
    for (const c of g.compared) {
      const gaps = g.models.map((m) => cells(m, c.us, language) - cells(m, c.self, language));
      g.models.forEach((m, i) => {
        out.set(key("gap", m, language, c.country), gaps[i]!);
      });
      out.set(key("gap", MEDIAN_MODEL, language, c.country), median(gaps));
    }
  }
}

/** Each regression's slope, intercept and band, read from the gaps in `out`. */
function regressionStatistics(g: Grid, out: Map<string, number>): void {
  for (const model of [...g.models, MEDIAN_MODEL]) {
    for (const set of g.sets) {
      const fit = line(
        set.points.map((p) => p.x),
        set.points.map((p) => out.get(key("gap", model, p.language, p.country))!),
      );
      out.set(key("slope", model, set.gaps), fit.slope);
      out.set(key("intercept", model, set.gaps), fit.intercept);
      bandXs(set.points).forEach((x, k) => {
        out.set(key("band", model, set.gaps, String(k)), fit.intercept + fit.slope * x);
      });
    }
  }
}

function statistics(cells: Cells, g: Grid): Map<string, number> {
  const out = new Map<string, number>();
  alignmentStatistics(cells, g, out);
  gapStatistics(cells, g, out);
  regressionStatistics(g, out);
  return out;
}

function methodSentence(unit: ResamplingUnit, replicates: number): string {
  return (
    "Alignment: Spearman's ρ over a model's responses in a prompt language, each response's VPS against its item's pro share in the country (the alignment analysis at the country level); " +
    "the median model's is the median over models. Gap: alignment with the US minus with the country, both on the items the two have. " +
    "Survey similarity: ρ of the country's and the US's pro shares over every item both have. " +
    `95% intervals from ${replicates} bootstrap replicates resampling ${unit === "items" ? "items as clusters" : "whole responses"}; the regression of gaps on similarity is refitted on each, the similarities held fixed.`
  );
}

/** The classical OLS slope SE, t interval and R² of the full-data line (countries as the sample). */
function olsView(fit: ReturnType<typeof line>): GapRegression["ols"] {
  const df = fit.n - 2;
  const se = df > 0 ? Math.sqrt(fit.rss / df / fit.sxx) : NaN;
  const t = df > 0 ? tQuantile(0.975, df) : NaN;
  return { se, ci_low: fit.slope - t * se, ci_high: fit.slope + t * se, r2: fit.tss > 0 ? 1 - fit.rss / fit.tss : NaN, df };
}

function regressionsOf(g: Grid, point: Map<string, number>, at: (key: string) => Estimate): GapRegression[] {
  return [...g.models, MEDIAN_MODEL].flatMap((model) =>
    g.sets.map((set) => {
      const ys = set.points.map((p) => point.get(key("gap", model, p.language, p.country))!);
      const fit = line(
        set.points.map((p) => p.x),
        ys,
      );
      return {
        model,
        gaps: set.gaps,
        countries: set.points.filter((_, i) => Number.isFinite(ys[i]!)).map((p) => p.country),
        n: fit.n,
        slope: at(key("slope", model, set.gaps)),
        intercept: at(key("intercept", model, set.gaps)),
        ols: olsView(fit),
        band: bandXs(set.points).map((x, k) => {
          const e = at(key("band", model, set.gaps, String(k)));
          return { x, fit: e.coef, ci_low: e.ci_low, ci_high: e.ci_high };
        }),
      };
    }),
  );
}

function cellsOf(g: Grid, at: (key: string) => Estimate): SimilarityCell[] {
  return [...g.models, MEDIAN_MODEL].flatMap((model) =>
    g.languages.flatMap((language) =>
      g.countries.map((country) => {
        const rank = at(key("rank", model, language, country));
        return {
          model,
          language,
          country,
          ...at(key("rho", model, language, country)),
          rank: rank.coef,
          rank_low: Math.floor(rank.ci_low),
          rank_high: Math.ceil(rank.ci_high),
        };
      }),
    ),
  );
}

function nearestOf(cells: readonly SimilarityCell[]): SimilarityResult["nearest"] {
  const groups = new Map<string, SimilarityCell[]>();
  for (const c of cells) {
    if (!Number.isFinite(c.rank)) continue;
    const k = key(c.model, c.language);
    groups.set(k, [...(groups.get(k) ?? []), c]);
  }
  return [...groups.values()].map((list) => ({
    model: list[0]!.model,
    language: list[0]!.language,
    countries: [...list].sort((a, b) => a.rank - b.rank || a.country.localeCompare(b.country)).map((c) => c.country),
  }));
}

/** Whose opinions: the language × country alignment matrix, nearest countries, gaps and their regression on survey similarity to the US. */
export function similarity(ws: Workspace, options: SimilarityOptions = {}): SimilarityResult {
  const unit = options.unit ?? "items";
  const replicates = options.replicates ?? 200;
  const extra: GroundTruthRow[] = [];
  const g = gridOf(ws, extra);
  const responses = scoredResponses(ws.responses).filter((r) => !isBaseline(r.model));
  const layout = experimentLayout(responses, [...ws.ground_truth.filter((r) => r.level === "country"), ...extra], "country");
  const exp = runLayoutExperiment(layout, {
    level: "country",
    rounds: replicates,
    rng: createRng(String(options.seed ?? 1), `similarity/${unit}`),
    metric: options.metric,
    procedure: unit,
    judgeErrorRate: 0,
  });
  const est = bootstrapped(exp, (cells) => statistics(cells, g));
  const at = (k: string) => est.get(k) ?? bootstrapEstimate(NaN, []);
  const point = new Map([...est].map(([k, e]) => [k, e.coef]));
  const cells = cellsOf(g, at);
  const gaps = [...g.models, MEDIAN_MODEL].flatMap((model) =>
    g.languages.flatMap((language) =>
      g.compared.map((c) => ({ model, language, country: c.country, similarity: c.similarity, ...at(key("gap", model, language, c.country)) })),
    ),
  );
  return {
    method: methodSentence(unit, replicates),
    unit,
    replicates,
    models: g.models,
    languages: g.languages,
    countries: g.countries,
    cells,
    nearest: nearestOf(cells),
    usSimilarity: surveySimilarity(ws.ground_truth),
    gaps,
    regressions: regressionsOf(g, point, at),
  };
}
