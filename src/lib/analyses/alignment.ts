/**
 * Alignment per (model, language, level, population): the point estimate on the
 * full data (each response once) and the bootstrap percentile interval.
 */
import type { Level } from "../workspace.js";
import type { ExperimentResult } from "./experiment.js";
import { summarizeGroups } from "./summary.js";

export interface AlignmentEntry {
  model: string;
  family: string;
  language: string;
  level: Level;
  population: string;
  /** Point estimate on the full data. */
  rho: number;
  ci_low: number;
  ci_high: number;
  /** Mean over bootstrap rounds. */
  mean: number;
  /** Responses paired with ground truth. */
  n: number;
}

export function alignmentEntries(experiment: ExperimentResult): AlignmentEntry[] {
  if (experiment.level === "none") throw new Error("Alignment needs an experiment with a reference level");
  const level = experiment.level;
  const summaries = summarizeGroups(experiment.alignment, experiment.alignmentGroups.length, experiment.rounds);
  return experiment.alignmentGroups.map((g, i) => ({
    model: g.model,
    family: g.family,
    language: g.language,
    level,
    population: g.population,
    rho: experiment.pointAlignment[i]!,
    ci_low: summaries[i]!.ci_low,
    ci_high: summaries[i]!.ci_high,
    mean: summaries[i]!.mean,
    n: g.n,
  }));
}
