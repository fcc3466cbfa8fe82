/**
 * The bootstrap experiment (docs/methodology.md, "The bootstrap"): per round, alignment per (model,
 * population, language) and self-consistency per (model, language).
 *
 * Alignment pairs each response's VPS with its item's ground truth in a reference
 * population; self-consistency pairs responses of one model and language to the same
 * item. Both are computed from weighted counts of distinct values, never by listing
 * pairs: identical responses are merged into units (experiment/units.ts), a resample is
 * a vector of multiplicities over units or (unit, population) pairs (experiment/weights.ts),
 * and Spearman's ρ with averaged ties follows from the weighted ranks of the distinct
 * values (experiment/statistics.ts). The cost grows with units, not responses.
 *
 * Procedures:
 * - `study` (the reference study's): build the table of (response × population) rows
 *   for the level and resample that whole table. Any two distinct rows of the
 *   resample make a self-consistency pair, so copies of one response (drawn twice, or
 *   present under several populations) pair with each other as perfect agreement.
 * - `responses`: resample responses; self-consistency pairs distinct responses only
 *   (copies of one response never pair), each response counted once.
 * - `items`: resample items as clusters; each drawn copy of an item brings all its
 *   responses, and pairs form within one copy.
 */
import type { Metric } from "../correlation.js";
import { JUDGE_ERROR_RATE } from "../judgeError.js";
import type { Rng } from "../random.js";
import type { GroundTruthRow, Level, ResponseRow } from "../workspace.js";
import { buildLayout, type Layout } from "./experiment/layout.js";
import { allocStatistics, groupAlignment, groupConsistency } from "./experiment/statistics.js";
import { responseUnits } from "./experiment/units.js";
import { allocWeights, fillPointWeights, fillRoundWeights, type Procedure, type RoundScratch, type RoundWeights } from "./experiment/weights.js";

export type { Procedure } from "./experiment/weights.js";
export const PROCEDURES: readonly Procedure[] = ["study", "responses", "items"];

export { JUDGE_ERROR_RATE };

export interface ExperimentOptions {
  /** Reference level, or `none` for self-consistency only (every response once, no ground truth join). */
  level: Level | "none";
  rounds: number;
  rng: Rng;
  metric?: Metric;
  procedure?: Procedure;
  judgeErrorRate?: number;
}

export interface AlignmentGroup {
  model: string;
  family: string;
  population: string;
  language: string;
  /** Responses in the group on the full data. */
  n: number;
}

export interface ConsistencyGroup {
  model: string;
  family: string;
  language: string;
  /** Responses in the group (each counted once). */
  n: number;
  /** Ordered pairs of distinct responses to the same item, on the full data. */
  pairs: number;
}

export interface ExperimentResult {
  level: Level | "none";
  rounds: number;
  metric: Metric;
  procedure: Procedure;
  judgeErrorRate: number;
  alignmentGroups: AlignmentGroup[];
  consistencyGroups: ConsistencyGroup[];
  /** rounds × alignmentGroups.length, round-major. */
  alignment: Float64Array;
  /** rounds × consistencyGroups.length, round-major. */
  consistency: Float64Array;
  /** The statistics on the full data (each response once). */
  pointAlignment: Float64Array;
  pointConsistency: Float64Array;
}

/** The layout of responses (rows or aggregated rows) at a level. */
export function experimentLayout(responses: readonly ResponseRow[], groundTruth: readonly GroundTruthRow[], level: Level | "none"): Layout {
  return buildLayout(responseUnits(responses), groundTruth, level);
}

/** Every group's statistics for one round's weights, written at `offset` of each output. */
export function roundStatistics(
  layout: Layout,
  w: RoundWeights,
  metric: Metric,
  correction: number,
  out: { alignment: Float64Array; consistency: Float64Array },
  round: number,
): void {
  const scratch = allocStatistics(layout.alignment, layout.consistency);
  const nA = layout.alignment.groups.length;
  const nC = layout.consistency.groups.length;
  for (let g = 0; g < nA; g++) out.alignment[round * nA + g] = groupAlignment(layout.alignment, g, w.alignment, metric, scratch);
  for (let g = 0; g < nC; g++) out.consistency[round * nC + g] = groupConsistency(layout.consistency, g, w, scratch) / correction;
}

function checkOptions(options: ExperimentOptions): void {
  const rate = options.judgeErrorRate ?? JUDGE_ERROR_RATE;
  if (!(rate >= 0 && rate < 1)) throw new Error(`judgeErrorRate must be in [0, 1), got ${rate}`);
  if (!Number.isInteger(options.rounds) || options.rounds < 0) {
    throw new Error(`rounds must be a non-negative integer, got ${options.rounds}`);
  }
}

/** Runs the bootstrap experiment at one level. */
export function runExperiment(responses: readonly ResponseRow[], groundTruth: readonly GroundTruthRow[], options: ExperimentOptions): ExperimentResult {
  checkOptions(options);
  return runLayoutExperiment(experimentLayout(responses, groundTruth, options.level), options);
}

/** Runs the bootstrap experiment on a layout built at `options.level` (experiments on the same data share one). */
export function runLayoutExperiment(layout: Layout, options: ExperimentOptions): ExperimentResult {
  checkOptions(options);
  const metric = options.metric ?? "spearman";
  const procedure = options.procedure ?? "study";
  const rate = options.judgeErrorRate ?? JUDGE_ERROR_RATE;
  const nA = layout.alignment.groups.length;
  const nC = layout.consistency.groups.length;
  const w = allocWeights(layout);
  const point = { alignment: new Float64Array(nA), consistency: new Float64Array(nC) };
  fillPointWeights(layout, w);
  roundStatistics(layout, w, metric, 1 - rate, point, 0);
  const rounds = { alignment: new Float64Array(options.rounds * nA), consistency: new Float64Array(options.rounds * nC) };
  const scratch: RoundScratch = {};
  for (let round = 0; round < options.rounds; round++) {
    fillRoundWeights(layout, w, procedure, options.rng, scratch);
    roundStatistics(layout, w, metric, 1 - rate, rounds, round);
  }
  return {
    level: options.level,
    rounds: options.rounds,
    metric,
    procedure,
    judgeErrorRate: rate,
    alignmentGroups: layout.alignment.groups,
    consistencyGroups: layout.consistency.groups,
    alignment: rounds.alignment,
    consistency: rounds.consistency,
    pointAlignment: point.alignment,
    pointConsistency: point.consistency,
  };
}
