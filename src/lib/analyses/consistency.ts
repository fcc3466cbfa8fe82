/**
 * The self-consistency figure (docs/methodology.md, "The bootstrap"): a bootstrap of the responses table
 * (every item, no ground-truth join), self-consistency per (model, language) in each
 * round; bars show the mean over rounds with a 95% percentile interval. The survey's
 * own self-consistency per country gives the reference lines.
 */
import type { Rng } from "../random.js";
import { BASELINE_FAMILY, type PopulationRow, type ResponseRow } from "../workspace.js";
import { runExperiment, type Procedure } from "./experiment.js";
import { summarizeGroups } from "./summary.js";

export interface ConsistencyBar {
  model: string;
  family: string;
  language: string;
  /** Self-consistency on the full data, each response once. */
  point: number;
  mean: number;
  ci_low: number;
  ci_high: number;
  /** Responses behind the bar. */
  n: number;
}

export interface ConsistencyFigure {
  bars: ConsistencyBar[];
  /** The survey's country minimum and maximum (null without survey consistency data). */
  reference: { min: { country: string; value: number } | null; max: { country: string; value: number } | null };
}

export interface ConsistencyOptions {
  rounds: number;
  rng: Rng;
  procedure?: Procedure;
  judgeErrorRate?: number;
  /** Include the baselines (the study's figure does not). */
  includeBaselines?: boolean;
}

export function surveyConsistencyRange(populations: readonly PopulationRow[]): ConsistencyFigure["reference"] {
  const rows = populations.filter((p) => p.level === "country" && typeof p.survey_consistency === "number" && Number.isFinite(p.survey_consistency));
  if (rows.length === 0) return { min: null, max: null };
  const sorted = [...rows].sort((a, b) => a.survey_consistency! - b.survey_consistency!);
  const lo = sorted[0]!;
  const hi = sorted[sorted.length - 1]!;
  return {
    min: { country: lo.population, value: lo.survey_consistency! },
    max: { country: hi.population, value: hi.survey_consistency! },
  };
}

export function consistencyFigure(responses: readonly ResponseRow[], populations: readonly PopulationRow[], options: ConsistencyOptions): ConsistencyFigure {
  const rows = options.includeBaselines ? responses : responses.filter((r) => r.family !== BASELINE_FAMILY);
  const exp = runExperiment(rows, [], {
    level: "none",
    rounds: options.rounds,
    rng: options.rng,
    procedure: options.procedure ?? "study",
    judgeErrorRate: options.judgeErrorRate,
  });
  const summaries = summarizeGroups(exp.consistency, exp.consistencyGroups.length, exp.rounds);
  const bars = exp.consistencyGroups.map((g, i) => ({
    model: g.model,
    family: g.family,
    language: g.language,
    point: exp.pointConsistency[i]!,
    mean: summaries[i]!.mean,
    ci_low: summaries[i]!.ci_low,
    ci_high: summaries[i]!.ci_high,
    n: g.n,
  }));
  return { bars, reference: surveyConsistencyRange(populations) };
}
