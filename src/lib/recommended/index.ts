/**
 * The recommended analysis, beside the study's ("as published"): one estimate per
 * cell, uncertainty from a bootstrap whose unit is the item (or the response), and
 * regressions that are correctly specified. See docs/methodology.md, "The recommended
 * analysis".
 */
import { runExperiment, type Procedure } from "../analyses/experiment.js";
import type { Metric } from "../correlation.js";
import { createRng } from "../random.js";
import { scoredResponses, type Level, type Workspace } from "../workspace.js";
import { leaveOneModelOut, recommendedRq1, RECOMMENDED_RQ1_VARIANTS, type CellFormula, type LeaveOneOut, type RecommendedRq1 } from "./rq1.js";
import { recommendedUsBias, type ItemSet, type RecommendedUsBias } from "./usbias.js";
import type { BaselineChoice } from "./baselineChoice.js";

export type ResamplingUnit = Extract<Procedure, "items" | "responses">;
export const RESAMPLING_UNITS: readonly ResamplingUnit[] = ["items", "responses"];

export interface RecommendedOptions {
  /** Bootstrap replicates (default 200). Intervals do not narrow as they grow. */
  replicates?: number;
  seed?: number | string;
  unit?: ResamplingUnit;
  metric?: Metric;
  /** RQ1's reference population (default: the language's speakers, as the study). */
  rq1Level?: Level;
  judgeErrorRate?: number;
  /** What to compute (default both). */
  parts?: ReadonlyArray<"rq1" | "usBias">;
  /** RQ1 formulas fitted on the cells (default the two recommended ones). */
  formulas?: readonly CellFormula[];
  /** US bias: the items compared and the baseline subtracted (default common items, none). */
  items?: ItemSet;
  baseline?: BaselineChoice;
}

export interface RecommendedResult {
  method: string;
  unit: ResamplingUnit;
  replicates: number;
  /** Per formula fitted (the recommended two unless other formulas were asked for). */
  rq1?: Partial<Record<CellFormula, RecommendedRq1>>;
  leaveOneModelOut?: LeaveOneOut[];
  usBias?: RecommendedUsBias;
}

export function methodSentence(unit: ResamplingUnit, replicates: number): string {
  return (
    `One estimate per cell on the full data (each response once); ${replicates} bootstrap replicates that resample ` +
    `${unit === "items" ? "items as clusters" : "whole responses"} give standard errors, 95% percentile intervals and p-values that do not shrink as replicates are added. ` +
    "RQ1: a REML mixed model with a random intercept per model and an intercept per language (a variant has one per family × language). " +
    "US bias: alignment with the US minus alignment with the language's own countries, on the items every one of them has, with no baseline subtracted."
  );
}

/** The RQ1 experiment: the resampling bootstrap at RQ1's reference level. */
export function rq1Experiment(ws: Workspace, options: RecommendedOptions, unit: ResamplingUnit, replicates: number) {
  const level = options.rq1Level ?? "language";
  return runExperiment(scoredResponses(ws.responses), ws.ground_truth, {
    level,
    rounds: replicates,
    rng: createRng(String(options.seed ?? 1), `recommended/rq1/${level}/${unit}`),
    metric: options.metric,
    procedure: unit,
    judgeErrorRate: options.judgeErrorRate,
  });
}

/** The recommended analysis of a workspace (baselines, if any, are only reported, never subtracted). */
export function recommended(ws: Workspace, options: RecommendedOptions = {}): RecommendedResult {
  const unit = options.unit ?? "items";
  const replicates = options.replicates ?? 200;
  const parts = new Set(options.parts ?? ["rq1", "usBias"]);
  const result: RecommendedResult = { method: methodSentence(unit, replicates), unit, replicates };
  if (parts.has("rq1") && ws.benchmarks.length > 0) {
    const exp = rq1Experiment(ws, options, unit, replicates);
    result.rq1 = Object.fromEntries((options.formulas ?? RECOMMENDED_RQ1_VARIANTS).map((v) => [v, recommendedRq1(exp, ws, v)]));
    result.leaveOneModelOut = leaveOneModelOut(exp, ws);
  }
  if (parts.has("usBias")) {
    result.usBias = recommendedUsBias(ws, { replicates, seed: options.seed, unit, metric: options.metric, items: options.items, baseline: options.baseline });
  }
  return result;
}
