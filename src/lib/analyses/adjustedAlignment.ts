/**
 * Alignment adjusted for self-consistency, per reference population
 * (docs/methodology.md, "Alignment adjusted for self-consistency").
 *
 * The study adjusts alignment in its capability figure with the OLS
 * `alignment ~ 0 + consistency:language + language:model` on the bootstrap rounds: each
 * (model, language) cell gets its own intercept, so the consistency slope of a language is
 * the pooled within-cell slope over rounds, and the cell's coefficient is its mean
 * alignment minus that slope times its mean self-consistency. Here the same adjustment is
 * applied to every reference population of a level, one fit per population: the
 * coefficient in closed form (the regression's normal equations, cell by cell), so no
 * design matrix is built. The slope is estimated on the real models (a baseline has no
 * capability score, so the study's fit never saw one); baselines are adjusted with it.
 */
import { isBaseline, type Level } from "../workspace.js";
import type { ExperimentResult } from "./experiment.js";
import { summarize } from "./summary.js";

export interface AdjustedEntry {
  model: string;
  family: string;
  language: string;
  level: Level;
  population: string;
  /**
   * The cell's OLS coefficient: the mean over rounds of alignment − slope × self-consistency.
   * The rounds' self-consistency is the study's (self-pairs included), so the full-data
   * self-consistency, which has none, is not used: the two would mix scales.
   */
  adjusted: number;
  /** 2.5% and 97.5% percentiles over rounds of alignment − slope × self-consistency. */
  ci_low: number;
  ci_high: number;
  /** The language's consistency slope in this population's fit. */
  slope: number;
  /** The raw full-data alignment, for comparison. */
  rho: number;
  /** Responses paired with ground truth. */
  n: number;
}

interface Cell {
  group: number;
  consistency: number;
}

/** Rounds where both the alignment and the self-consistency of a cell are defined. */
function roundPairs(exp: ExperimentResult, cell: Cell): Array<[number, number]> {
  const nA = exp.alignmentGroups.length;
  const nC = exp.consistencyGroups.length;
  const out: Array<[number, number]> = [];
  for (let r = 0; r < exp.rounds; r++) {
    const a = exp.alignment[r * nA + cell.group]!;
    const c = exp.consistency[r * nC + cell.consistency]!;
    if (Number.isFinite(a) && Number.isFinite(c)) out.push([a, c]);
  }
  return out;
}

/**
 * The pooled within-cell slope of alignment on self-consistency: Σ (c − c̄)(a − ā) / Σ (c − c̄)²
 * over the cells' rounds, each cell centred on its own means. NaN when consistency never varies.
 */
export function pooledSlope(cells: ReadonlyArray<ReadonlyArray<readonly [number, number]>>): number {
  let sxy = 0;
  let sxx = 0;
  for (const rounds of cells) {
    if (rounds.length === 0) continue;
    const ma = rounds.reduce((s, [a]) => s + a, 0) / rounds.length;
    const mc = rounds.reduce((s, [, c]) => s + c, 0) / rounds.length;
    for (const [a, c] of rounds) {
      sxy += (c - mc) * (a - ma);
      sxx += (c - mc) ** 2;
    }
  }
  return sxx > 0 ? sxy / sxx : NaN;
}

/** Per population, its cells by prompt language: (alignment group, consistency group). */
function cellsByPopulation(exp: ExperimentResult): Map<string, Map<string, Cell[]>> {
  const consistencyOf = new Map(exp.consistencyGroups.map((g, i) => [`${g.model}\u0000${g.language}`, i]));
  const out = new Map<string, Map<string, Cell[]>>();
  exp.alignmentGroups.forEach((g, group) => {
    const consistency = consistencyOf.get(`${g.model}\u0000${g.language}`);
    if (consistency === undefined) return;
    if (!out.has(g.population)) out.set(g.population, new Map());
    const byLanguage = out.get(g.population)!;
    byLanguage.set(g.language, [...(byLanguage.get(g.language) ?? []), { group, consistency }]);
  });
  return out;
}

/** One entry per alignment group of the experiment: its alignment adjusted for self-consistency. */
export function adjustedAlignmentEntries(exp: ExperimentResult): AdjustedEntry[] {
  const level = exp.level;
  if (level === "none") throw new Error("Adjusted alignment needs an experiment with a reference level");
  const out: AdjustedEntry[] = [];
  for (const byLanguage of cellsByPopulation(exp).values()) {
    for (const cells of byLanguage.values()) {
      const rounds = cells.map((cell) => roundPairs(exp, cell));
      const slope = pooledSlope(rounds.filter((_, i) => !isBaseline(exp.alignmentGroups[cells[i]!.group]!.model)));
      cells.forEach((cell, i) => {
        const g = exp.alignmentGroups[cell.group]!;
        const values = rounds[i]!.map(([a, c]) => a - slope * c);
        const s = summarize(values);
        out.push({
          model: g.model,
          family: g.family,
          language: g.language,
          level,
          population: g.population,
          adjusted: s.mean,
          ci_low: s.ci_low,
          ci_high: s.ci_high,
          slope,
          rho: exp.pointAlignment[cell.group]!,
          n: g.n,
        });
      });
    }
  }
  return out;
}
