/**
 * RQ1 (docs/methodology.md, "RQ1"): does multilingual capability predict cultural alignment?
 *
 * Observations are bootstrap round × model × language at the language level, where
 * the reference population is the prompt language's own speakers. A linear mixed
 * model with a random intercept per model is fitted by REML in three variants.
 */
import { languageName } from "../languages.js";
import { mixedLm, type MixedFit } from "../mixed.js";
import { designMatrix } from "../formula.js";
import { solveDesign } from "../ols.js";
import { resampleCounts, type Rng } from "../random.js";
import type { BenchmarkRow, PopulationRow } from "../workspace.js";
import type { ExperimentResult } from "./experiment.js";

export type Rq1Variant = "interaction" | "normal" | "no_consistency";
export const RQ1_VARIANTS: readonly Rq1Variant[] = ["interaction", "normal", "no_consistency"];

/** The study's formulas; capability is called `multilingual` as in its published table. */
export const RQ1_FORMULAS: Record<Rq1Variant, string> = {
  interaction: "alignment ~ 0 + consistency:language + multilingual:family:language",
  normal: "alignment ~ 0 + consistency + multilingual:family:language",
  no_consistency: "alignment ~ 0 + multilingual:family:language",
};

/**
 * The formulas behind the capability figure's adjusted alignment, per variant: the
 * study's for `interaction` and `normal`; without consistency, the cell means.
 */
export const ADJUSTED_FORMULAS: Record<Rq1Variant, string> = {
  interaction: "alignment ~ 0 + consistency:language + language:model",
  normal: "alignment ~ 0 + consistency + language:model",
  no_consistency: "alignment ~ 0 + language:model",
};

export interface Rq1Row {
  round: number;
  model: string;
  family: string;
  /** ISO 639-1. */
  language: string;
  alignment: number;
  consistency: number;
  /** Mean benchmark score in the language, divided by 100. */
  capability: number;
}

/** Capability c(m, ℓ): mean benchmark score / 100, leaving out benchmarks whose name contains "ENEM". */
export function capabilities(benchmarks: readonly BenchmarkRow[]): Map<string, number> {
  const sums = new Map<string, { s: number; n: number }>();
  for (const b of benchmarks) {
    if (b.benchmark.includes("ENEM") || !Number.isFinite(b.score)) continue;
    const key = `${b.model}\u0000${b.language}`;
    const acc = sums.get(key) ?? { s: 0, n: 0 };
    acc.s += b.score;
    acc.n++;
    sums.set(key, acc);
  }
  return new Map([...sums].map(([k, { s, n }]) => [k, s / n / 100]));
}

export function capabilityOf(caps: Map<string, number>, model: string, language: string): number | undefined {
  return caps.get(`${model}\u0000${language}`);
}

/**
 * The RQ1 observations from an experiment: for each round, model and language, the
 * model's alignment with the prompt language's reference population, its
 * self-consistency in that language in the same round, and its capability. At the
 * language level (the study's) the reference is the language's own speakers; at the
 * country level, the mean alignment with the countries whose dominant language it is;
 * at the global level, everyone surveyed. Models without a benchmark score in a
 * language are left out (as the study's inner join).
 */
export function rq1Rows(experiment: ExperimentResult, benchmarks: readonly BenchmarkRow[], populations: readonly PopulationRow[] = []): Rq1Row[] {
  const cells = rq1Cells(experiment, benchmarks, populations);
  const nA = experiment.alignmentGroups.length;
  const nC = experiment.consistencyGroups.length;
  const rows: Rq1Row[] = [];
  for (let round = 0; round < experiment.rounds; round++) {
    for (const cell of cells) {
      rows.push({
        round,
        model: cell.model,
        family: cell.family,
        language: cell.language,
        alignment: meanOf(experiment.alignment, round * nA, cell.groups),
        consistency: experiment.consistency[round * nC + cell.consistency]!,
        capability: cell.capability,
      });
    }
  }
  return rows;
}

/** One RQ1 observation per (model, language) from the point estimates (each response once). */
export function rq1PointRows(experiment: ExperimentResult, benchmarks: readonly BenchmarkRow[], populations: readonly PopulationRow[] = []): Rq1Row[] {
  return rq1Cells(experiment, benchmarks, populations).map((cell) => ({
    round: 0,
    model: cell.model,
    family: cell.family,
    language: cell.language,
    alignment: meanOf(experiment.pointAlignment, 0, cell.groups),
    consistency: experiment.pointConsistency[cell.consistency]!,
    capability: cell.capability,
  }));
}

function meanOf(values: Float64Array, offset: number, groups: readonly number[]): number {
  let s = 0;
  let n = 0;
  for (const g of groups) {
    const v = values[offset + g]!;
    if (!Number.isNaN(v)) {
      s += v;
      n++;
    }
  }
  return n ? s / n : NaN;
}

interface Rq1Cell {
  model: string;
  family: string;
  language: string;
  groups: number[];
  consistency: number;
  capability: number;
}

function rq1Cells(experiment: ExperimentResult, benchmarks: readonly BenchmarkRow[], populations: readonly PopulationRow[]): Rq1Cell[] {
  if (experiment.level === "none") throw new Error("RQ1 needs an experiment with a reference level");
  const level = experiment.level;
  const caps = capabilities(benchmarks);
  const countriesOf = new Map<string, Set<string>>();
  for (const p of populations) {
    if (p.level === "country" && p.language) {
      if (!countriesOf.has(p.language)) countriesOf.set(p.language, new Set());
      countriesOf.get(p.language)!.add(p.population);
    }
  }
  const isReference = (language: string, population: string) =>
    level === "language" ? population === language : level === "global" ? population === "global" : countriesOf.get(language)?.has(population) === true;
  const cells = new Map<string, Rq1Cell>();
  experiment.consistencyGroups.forEach((g, c) => {
    const capability = capabilityOf(caps, g.model, g.language);
    if (capability === undefined) return;
    cells.set(`${g.model}\u0000${g.language}`, { model: g.model, family: g.family, language: g.language, groups: [], consistency: c, capability });
  });
  experiment.alignmentGroups.forEach((g, i) => {
    const cell = cells.get(`${g.model}\u0000${g.language}`);
    if (cell && isReference(g.language, g.population)) cell.groups.push(i);
  });
  return [...cells.values()].filter((c) => c.groups.length > 0);
}

/** The regression frame of RQ1 rows: capability is `multilingual` and languages are written out, as in the study's terms. */
export function rq1Frame(rows: readonly Rq1Row[]) {
  return {
    alignment: Float64Array.from(rows, (r) => r.alignment),
    consistency: Float64Array.from(rows, (r) => r.consistency),
    multilingual: Float64Array.from(rows, (r) => r.capability),
    family: rows.map((r) => r.family),
    language: rows.map((r) => languageName(r.language)),
    model: rows.map((r) => r.model),
  };
}

/** Fits one RQ1 variant: REML, random intercept per model. */
export function fitRq1(rows: readonly Rq1Row[], variant: Rq1Variant = "interaction"): MixedFit {
  if (rows.length === 0) {
    throw new Error("RQ1 has no observations: no model has both responses and benchmark scores in a language");
  }
  return mixedLm(RQ1_FORMULAS[variant], rq1Frame(rows), "model");
}

/** The family and the language's written name of a capability slope term, `multilingual:family[gemma]:language[Danish]`, or null. */
export function parseSlopeTerm(term: string): { family: string; language: string } | null {
  const m = /^multilingual:family\[(.+)\]:language\[(.+)\]$/.exec(term);
  return m ? { family: m[1]!, language: m[2]! } : null;
}

export interface FamilySlope {
  family: string;
  /** ISO 639-1. */
  language: string;
  term: string;
  slope: number;
  se: number;
  p: number;
  ci_low: number;
  ci_high: number;
  /** Positive and significant at 5%: starred in the figure. */
  starred: boolean;
}

/** The capability slope per family and language (`multilingual:family[f]:language[L]` terms). */
export function familySlopes(fit: MixedFit, languages: readonly string[]): FamilySlope[] {
  const byName = new Map(languages.map((code) => [languageName(code), code]));
  const out: FamilySlope[] = [];
  for (const c of fit.coefficients) {
    const m = parseSlopeTerm(c.term);
    if (!m) continue;
    const language = byName.get(m.language) ?? m.language;
    out.push({
      family: m.family,
      language,
      term: c.term,
      slope: c.coef,
      se: c.se,
      p: c.p,
      ci_low: c.ci_low,
      ci_high: c.ci_high,
      starred: c.p < 0.05 && c.coef > 0,
    });
  }
  return out;
}

export interface AdjustedPoint {
  resample: number;
  model: string;
  family: string;
  language: string;
  /** The `language:model` coefficient of the adjustment OLS. */
  adjusted: number;
  capability: number;
}

/**
 * The capability figure's clouds: the OLS `alignment ~ 0 + consistency:language +
 * language:model` refitted on bootstrap resamples of the RQ1 rows; each fit gives an
 * adjusted alignment per (model, language).
 */
export function adjustedAlignment(rows: readonly Rq1Row[], rng: Rng, resamples = 100, variant: Rq1Variant = "interaction"): AdjustedPoint[] {
  if (rows.length === 0) return [];
  const frame = rq1Frame(rows);
  const design = designMatrix(ADJUSTED_FORMULAS[variant], frame);
  const info = new Map<string, { family: string; language: string; capability: number }>();
  for (const r of rows) info.set(`${languageName(r.language)}\u0000${r.model}`, { family: r.family, language: r.language, capability: r.capability });
  const cells = design.columnNames
    .map((name, j) => ({ j, m: /^language\[(.+)\]:model\[(.+)\]$/.exec(name) }))
    .filter((c) => c.m)
    .map(({ j, m }) => ({ j, model: m![2]!, ...info.get(`${m![1]}\u0000${m![2]}`)! }));
  const out: AdjustedPoint[] = [];
  const n = design.X.rows;
  let counts: Int32Array | undefined;
  for (let b = 0; b < resamples; b++) {
    counts = resampleCounts(n, rng, counts);
    let beta: Float64Array;
    try {
      beta = solveDesign(design, counts).beta;
    } catch {
      continue; // a resample that leaves a cell without variation in consistency cannot be fitted
    }
    for (const c of cells) {
      const adjusted = beta[c.j]!;
      if (Number.isNaN(adjusted)) continue;
      out.push({ resample: b, model: c.model, family: c.family, language: c.language, adjusted, capability: c.capability });
    }
  }
  return out;
}

export interface FamilyLine {
  family: string;
  language: string;
  x1: number;
  x2: number;
  y1: number;
  y2: number;
  slope: number;
  starred: boolean;
}

/**
 * The capability figure's dashed family lines: slope from the RQ1 fit; intercept so
 * the line passes through the family's cloud, mean(adjusted − slope × capability);
 * drawn across the family's capability range in that language.
 */
export function familyLines(points: readonly AdjustedPoint[], slopes: readonly FamilySlope[]): FamilyLine[] {
  const out: FamilyLine[] = [];
  for (const s of slopes) {
    const pts = points.filter((p) => p.family === s.family && p.language === s.language);
    if (pts.length === 0 || !Number.isFinite(s.slope)) continue;
    const intercept = pts.reduce((a, p) => a + (p.adjusted - s.slope * p.capability), 0) / pts.length;
    const xs = pts.map((p) => p.capability);
    const x1 = Math.min(...xs);
    const x2 = Math.max(...xs);
    out.push({
      family: s.family,
      language: s.language,
      x1,
      x2,
      y1: intercept + s.slope * x1,
      y2: intercept + s.slope * x2,
      slope: s.slope,
      starred: s.starred,
    });
  }
  return out;
}
