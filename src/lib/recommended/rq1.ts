/**
 * RQ1, recommended: one observation per (model, language), the full-data alignment and
 * self-consistency, so nothing depends on how many bootstrap rounds were run; intercepts
 * per language (or per family × language), so a capability slope compares models
 * within a language instead of measuring a family's mean alignment over its mean
 * capability; a random intercept per model, fitted by REML. Uncertainty comes from
 * refitting on every replicate of a bootstrap that resamples items as clusters (or
 * responses), each replicate recomputing every cell.
 */
import type { ExperimentResult } from "../analyses/experiment.js";
import { familySlopes, rq1Frame, rq1PointRows, rq1Rows, type FamilySlope, type Rq1Row } from "../analyses/rq1.js";
import { mixedLm, type MixedFit } from "../mixed.js";
import type { Workspace } from "../workspace.js";
import { bootstrapEstimate, Draws, type Estimate } from "./estimate.js";

export type RecommendedRq1Variant = "language_intercepts" | "family_language_intercepts";
export const RECOMMENDED_RQ1_VARIANTS: readonly RecommendedRq1Variant[] = ["language_intercepts", "family_language_intercepts"];

/** Formulas fitted on one observation per cell: the two recommended ones and, for comparison, the study's (no intercepts). */
export type CellFormula = RecommendedRq1Variant | "no_intercept";

export const RECOMMENDED_RQ1_FORMULAS: Record<CellFormula, string> = {
  language_intercepts: "alignment ~ 0 + language + consistency:language + multilingual:family:language",
  family_language_intercepts: "alignment ~ 0 + family:language + consistency:language + multilingual:family:language",
  no_intercept: "alignment ~ 0 + consistency:language + multilingual:family:language",
};

export interface RecommendedTerm extends Estimate {
  term: string;
}

export interface LeaveOneOut {
  model: string;
  /** The capability slopes without this model (point estimates). */
  slopes: Array<Pick<FamilySlope, "family" | "language" | "slope">>;
  error?: string;
}

export interface RecommendedRq1 {
  variant: CellFormula;
  formula: string;
  terms: RecommendedTerm[];
  /** Observations: one per (model, language) with a capability score. */
  n: number;
  replicates: number;
  /** Replicates whose refit failed (a resample that leaves a cell without data). */
  failed: number;
  /** The point fit's REML likelihood had a second mode within 2 log-likelihood units. */
  ambiguous: boolean;
  /** Why the formula could not be fitted on these cells (then `terms` is empty), e.g. more terms than cells. */
  error?: string;
}

/** The recommended RQ1 fit on one observation per cell. */
export function fitCells(rows: readonly Rq1Row[], variant: CellFormula): MixedFit {
  const usable = rows.filter((r) => Number.isFinite(r.alignment) && Number.isFinite(r.consistency));
  if (usable.length === 0) throw new Error("RQ1 has no observations: no model has both responses and benchmark scores in a language");
  return mixedLm(RECOMMENDED_RQ1_FORMULAS[variant], rq1Frame(usable), "model");
}

function byRound(rows: readonly Rq1Row[]): Rq1Row[][] {
  const out = new Map<number, Rq1Row[]>();
  for (const r of rows) {
    const list = out.get(r.round);
    if (list) list.push(r);
    else out.set(r.round, [r]);
  }
  return [...out.values()];
}

/**
 * Recommended RQ1 from a resampling experiment (procedure `items` or `responses`) at
 * RQ1's reference level: the point fit on the full-data cells, and its refits on every replicate.
 */
export function recommendedRq1(
  exp: ExperimentResult,
  ws: Pick<Workspace, "benchmarks" | "populations">,
  variant: CellFormula = "language_intercepts",
): RecommendedRq1 {
  const rows = rq1PointRows(exp, ws.benchmarks, ws.populations);
  let point: MixedFit;
  try {
    point = fitCells(rows, variant);
  } catch (error) {
    // A workspace too small for the formula (two models a family cannot carry an intercept and a slope per family × language).
    const formula = RECOMMENDED_RQ1_FORMULAS[variant];
    return { variant, formula, terms: [], n: rows.length, replicates: exp.rounds, failed: exp.rounds, ambiguous: false, error: (error as Error).message };
  }
  const draws = new Draws();
  let failed = 0;
  for (const replicate of byRound(rq1Rows(exp, ws.benchmarks, ws.populations))) {
    try {
      for (const c of fitCells(replicate, variant).coefficients) draws.add(c.term, c.coef);
    } catch {
      failed++;
    }
  }
  return {
    variant,
    formula: RECOMMENDED_RQ1_FORMULAS[variant],
    terms: point.coefficients.map((c) => ({ term: c.term, ...bootstrapEstimate(c.coef, draws.of(c.term)) })),
    n: point.n,
    replicates: exp.rounds,
    failed,
    ambiguous: point.ambiguous,
  };
}

/** The recommended capability slopes with each model left out in turn (point estimates). */
export function leaveOneModelOut(
  exp: ExperimentResult,
  ws: Pick<Workspace, "benchmarks" | "populations">,
  variant: RecommendedRq1Variant = "language_intercepts",
): LeaveOneOut[] {
  const rows = rq1PointRows(exp, ws.benchmarks, ws.populations);
  const languages = [...new Set(rows.map((r) => r.language))].sort();
  return [...new Set(rows.map((r) => r.model))].sort().map((model) => {
    try {
      const fit = fitCells(
        rows.filter((r) => r.model !== model),
        variant,
      );
      return { model, slopes: familySlopes(fit, languages).map(({ family, language, slope }) => ({ family, language, slope })) };
    } catch (error) {
      return { model, slopes: [], error: (error as Error).message };
    }
  });
}
