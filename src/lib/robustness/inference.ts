/**
 * The study's known issues, quantified, and inference that does not depend on the
 * number of bootstrap rounds.
 *
 * - Round-independent inference: RQ1 and RQ2 fitted on one point estimate per cell
 *   (model × language, and model × language × country), with confidence intervals
 *   from a bootstrap of the whole pipeline that resamples items as clusters: each
 *   replicate recomputes every cell's alignment and self-consistency on the resampled
 *   items and refits. The interval reflects how the conclusions depend on which items
 *   were asked, and does not narrow as replicates are added.
 * - The study's intervals, for comparison, at several numbers of rounds: they narrow
 *   as 1/√rounds because the regressions treat rounds as independent observations.
 * - Self-pair inflation: self-consistency under the study's resampling (where copies of
 *   a response pair as perfect agreement) against the full-data value.
 */
import { runExperiment, type ExperimentResult } from "../analyses/experiment.js";
import { excluding, withBaselines, type Exclusions } from "../analyses/reproduce.js";
import { fitRq1, rq1PointRows, rq1Rows, type Rq1Variant } from "../analyses/rq1.js";
import { countryLanguages, US } from "../analyses/usbias.js";
import { quantile } from "../linalg.js";
import { createRng } from "../random.js";
import { FIFTY_BASELINE, isBaseline, scoredResponses, UNIFORM_BASELINE, type Level, type Workspace } from "../workspace.js";

export interface IntervalTerm {
  term: string;
  estimate: number;
  ci_low: number;
  ci_high: number;
}

export interface ClusterInference {
  terms: IntervalTerm[];
  replicates: number;
  /** Replicates whose refit failed (e.g. a resample without variation in a cell). */
  failed: number;
}

function percentileTerms(point: Map<string, number>, draws: Map<string, number[]>): IntervalTerm[] {
  return [...point].map(([term, estimate]) => {
    const xs = draws.get(term) ?? [];
    return { term, estimate, ci_low: quantile(xs, 0.025), ci_high: quantile(xs, 0.975) };
  });
}

function itemsExperiment(ws: Workspace, level: Level, replicates: number, seed: number | string): ExperimentResult {
  return runExperiment(scoredResponses(ws.responses), ws.ground_truth, {
    level,
    rounds: replicates,
    rng: createRng(String(seed), `cluster-bootstrap/${level}`),
    procedure: "items",
  });
}

/** RQ1 on one point estimate per (model, language), with an item-cluster bootstrap. */
export function clusterRq1(input: Workspace, options: { replicates?: number; seed?: number | string; variant?: Rq1Variant; exclude?: Exclusions } = {}): ClusterInference {
  const ws = withBaselines(excluding(input, options.exclude), options.seed ?? 1).workspace;
  const replicates = options.replicates ?? 200;
  const variant = options.variant ?? "interaction";
  const exp = itemsExperiment(ws, "language", replicates, options.seed ?? 1);
  const pointFit = fitRq1(rq1PointRows(exp, ws.benchmarks, ws.populations), variant);
  const point = new Map(pointFit.coefficients.map((c) => [c.term, c.coef]));
  const draws = new Map<string, number[]>();
  const rows = rq1Rows(exp, ws.benchmarks, ws.populations);
  const perRound = new Map<number, typeof rows>();
  for (const r of rows) {
    if (!perRound.has(r.round)) perRound.set(r.round, []);
    perRound.get(r.round)!.push(r);
  }
  let failed = 0;
  for (const replicate of perRound.values()) {
    try {
      for (const c of fitRq1(replicate, variant).coefficients) {
        if (!Number.isFinite(c.coef)) continue;
        if (!draws.has(c.term)) draws.set(c.term, []);
        draws.get(c.term)!.push(c.coef);
      }
    } catch {
      failed++;
    }
  }
  return { terms: percentileTerms(point, draws), replicates, failed };
}

/** β_BiasUS from per-cell alignments: the model's gap (US minus mean of native non-US countries) minus the baseline's. */
function gaps(cells: Map<string, number>, models: string[], languages: string[], countries: Map<string, string>, reference: string): Map<string, number> {
  const gap = (model: string, language: string) => {
    const us = cells.get(`${model}\u0000${US}\u0000${language}`);
    const native = [...countries].filter(([c, l]) => l === language && c !== US).map(([c]) => cells.get(`${model}\u0000${c}\u0000${language}`)).filter((v): v is number => v !== undefined && !Number.isNaN(v));
    if (us === undefined || Number.isNaN(us) || native.length === 0) return NaN;
    return us - native.reduce((a, b) => a + b, 0) / native.length;
  };
  const out = new Map<string, number>();
  for (const language of languages) {
    const base = gap(reference, language);
    for (const model of models) out.set(`us:${model}:${language}`, gap(model, language) - base);
  }
  return out;
}

/** RQ2 on one point estimate per (model, language, country), with an item-cluster bootstrap. */
export function clusterUsBias(input: Workspace, options: { replicates?: number; seed?: number | string; exclude?: Exclusions } = {}): ClusterInference {
  const ws = withBaselines(excluding(input, options.exclude), options.seed ?? 1).workspace;
  const replicates = options.replicates ?? 200;
  const exp = itemsExperiment(ws, "country", replicates, options.seed ?? 1);
  const countries = countryLanguages(ws.populations);
  const models = [...new Set(exp.alignmentGroups.map((g) => g.model))].filter((m) => m !== UNIFORM_BASELINE && m !== FIFTY_BASELINE).sort();
  const languages = [...new Set(exp.alignmentGroups.map((g) => g.language))].sort();
  const cellsOf = (values: Float64Array, offset: number) =>
    new Map(exp.alignmentGroups.map((g, i) => [`${g.model}\u0000${g.population}\u0000${g.language}`, values[offset + i]!]));
  const point = gaps(cellsOf(exp.pointAlignment, 0), models, languages, countries, UNIFORM_BASELINE);
  for (const [k, v] of point) if (!Number.isFinite(v)) point.delete(k);
  const draws = new Map<string, number[]>();
  const n = exp.alignmentGroups.length;
  for (let r = 0; r < replicates; r++) {
    for (const [term, v] of gaps(cellsOf(exp.alignment, r * n), models, languages, countries, UNIFORM_BASELINE)) {
      if (!Number.isFinite(v)) continue;
      if (!draws.has(term)) draws.set(term, []);
      draws.get(term)!.push(v);
    }
  }
  return { terms: percentileTerms(point, draws), replicates, failed: 0 };
}

export interface WidthPoint {
  method: "study" | "cluster";
  /** Bootstrap rounds (the study's) or replicates (the cluster bootstrap). */
  rounds: number;
  term: string;
  width: number;
}

/** The 95% interval width of RQ1's capability slopes as rounds grow: the study's method against the cluster bootstrap. */
export function intervalWidths(ws: Workspace, rounds: readonly number[], options: { seed?: number | string } = {}): WidthPoint[] {
  const out: WidthPoint[] = [];
  const base = withBaselines(ws, options.seed ?? 1).workspace;
  for (const r of rounds) {
    const exp = runExperiment(scoredResponses(base.responses), base.ground_truth, {
      level: "language",
      rounds: r,
      rng: createRng(String(options.seed ?? 1), "experiment/language/study"),
    });
    for (const c of fitRq1(rq1Rows(exp, base.benchmarks, base.populations), "interaction").coefficients) {
      if (c.term.startsWith("multilingual")) out.push({ method: "study", rounds: r, term: c.term, width: c.ci_high - c.ci_low });
    }
    for (const t of clusterRq1(ws, { replicates: r, seed: options.seed }).terms) {
      if (t.term.startsWith("multilingual")) out.push({ method: "cluster", rounds: r, term: t.term, width: t.ci_high - t.ci_low });
    }
  }
  return out;
}

export interface Inflation {
  model: string;
  language: string;
  /** Self-consistency on the full data, each pair of distinct responses once (every item). */
  point: number;
  /** Mean over rounds of the study's procedure in the self-consistency figure (every item). */
  studyFigure: number;
  /** Mean over rounds when resampling responses without self-pairs (every item). */
  corrected: number;
  /**
   * The share of pairs a with-replacement resample makes of a response with its own copy:
   * Σnᵢ / Σnᵢ² over items, nᵢ the item's responses (each response is drawn about once,
   * so it brings about one self-pair against nᵢ² pairs in all).
   */
  selfPairShare: number;
  /** What self-pairs alone predict for the study's value: share + (1 − share) × corrected. */
  expected: number;
  /** Full-data self-consistency on RQ1's items (those with survey ground truth). */
  pointRq1: number;
  /** Mean over rounds of the study's procedure in RQ1's input (responses joined to every language population). */
  studyRq1: number;
}

/** How much the study's resampling inflates each model's self-consistency, with what self-pairs alone predict. */
export function selfPairInflation(input: Workspace, options: { rounds?: number; seed?: number | string } = {}): Inflation[] {
  const ws = withBaselines(input, options.seed ?? 1).workspace;
  const rounds = options.rounds ?? 100;
  const responses = scoredResponses(ws.responses).filter((r) => !isBaseline(r.model));
  const truth = new Set(ws.ground_truth.map((g) => g.item));
  const run = (rows: typeof responses, level: Level | "none", procedure: "study" | "responses") =>
    runExperiment(rows, ws.ground_truth, { level, rounds, rng: createRng(String(options.seed ?? 1), `inflation/${level}/${procedure}`), procedure, judgeErrorRate: 0 });
  const figure = run(responses, "none", "study");
  const fair = run(responses, "none", "responses");
  const rq1Items = responses.filter((r) => truth.has(r.item));
  const rq1 = run(rq1Items, "language", "study");
  const rq1Point = run(rq1Items, "none", "study");
  const perItem = new Map<string, number>();
  for (const r of responses) {
    const key = `${r.model}\u0000${r.language}\u0000${r.item}`;
    perItem.set(key, (perItem.get(key) ?? 0) + 1);
  }
  const sums = new Map<string, { n: number; n2: number }>();
  for (const [key, n] of perItem) {
    const cell = key.slice(0, key.lastIndexOf("\u0000"));
    const s = sums.get(cell) ?? { n: 0, n2: 0 };
    // Items with a single response make no pairs at all.
    if (n >= 2) (s.n += n), (s.n2 += n * n);
    sums.set(cell, s);
  }
  const meanOf = (exp: ExperimentResult, model: string, language: string) => {
    const g = exp.consistencyGroups.findIndex((c) => c.model === model && c.language === language);
    if (g < 0) return NaN;
    const n = exp.consistencyGroups.length;
    let s = 0;
    let k = 0;
    for (let r = 0; r < exp.rounds; r++) {
      const v = exp.consistency[r * n + g]!;
      if (!Number.isNaN(v)) (s += v), k++;
    }
    return k ? s / k : NaN;
  };
  const pointOf = (exp: ExperimentResult, model: string, language: string) => {
    const g = exp.consistencyGroups.findIndex((c) => c.model === model && c.language === language);
    return g < 0 ? NaN : exp.pointConsistency[g]!;
  };
  return figure.consistencyGroups.map((g, i) => {
    const s = sums.get(`${g.model}\u0000${g.language}`);
    const share = s && s.n2 > 0 ? s.n / s.n2 : NaN;
    const corrected = meanOf(fair, g.model, g.language);
    return {
      model: g.model,
      language: g.language,
      point: figure.pointConsistency[i]!,
      studyFigure: meanOf(figure, g.model, g.language),
      corrected,
      selfPairShare: share,
      expected: share + (1 - share) * corrected,
      pointRq1: pointOf(rq1Point, g.model, g.language),
      studyRq1: meanOf(rq1, g.model, g.language),
    };
  });
}

export interface CeilingRow {
  model: string;
  language: string;
  /** Mean alignment (Spearman, full data) with the language's countries. */
  alignment: number;
  /** The survey's ceiling for those countries (mean over them). */
  ceiling: number;
  share: number;
  /** Where the ceiling comes from: split halves of respondents, or the survey's self-consistency (aggregate-only sources). */
  ceilingSource: "split-half" | "survey self-consistency";
}

/**
 * Each model's alignment with the countries that speak the prompt language, as a share
 * of the survey's own ceiling: how well independent halves of those countries'
 * respondents agree (Spearman across items, half against half). Sources without
 * microdata (the study's release) have no split halves; their published survey
 * self-consistency stands in, and the result says so.
 */
export function ceilings(input: Workspace, seed: number | string = 1): CeilingRow[] {
  const ws = withBaselines(input, seed).workspace;
  const exp = runExperiment(scoredResponses(ws.responses), ws.ground_truth, { level: "country", rounds: 0, rng: createRng(String(seed)) });
  const countries = ws.populations.filter((p) => p.level === "country");
  const split = countries.some((p) => typeof p.survey_split_half === "number");
  const ceilingOf = new Map(countries.map((p) => [p.population, (split ? p.survey_split_half : p.survey_consistency) ?? NaN]));
  const languageOf = countryLanguages(ws.populations);
  const acc = new Map<string, { model: string; language: string; a: number[]; c: number[] }>();
  exp.alignmentGroups.forEach((g, i) => {
    if (languageOf.get(g.population) !== g.language) return;
    const key = `${g.model}\u0000${g.language}`;
    const entry = acc.get(key) ?? { model: g.model, language: g.language, a: [], c: [] };
    const a = exp.pointAlignment[i]!;
    const c = ceilingOf.get(g.population) ?? NaN;
    if (Number.isFinite(a) && Number.isFinite(c)) {
      entry.a.push(a);
      entry.c.push(c);
    }
    acc.set(key, entry);
  });
  const mean = (xs: number[]) => (xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : NaN);
  return [...acc.values()].map((e) => {
    const alignment = mean(e.a);
    const ceiling = mean(e.c);
    return { model: e.model, language: e.language, alignment, ceiling, share: alignment / ceiling, ceilingSource: split ? "split-half" : "survey self-consistency" };
  });
}
