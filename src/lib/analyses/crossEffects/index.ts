/**
 * Conditioning-language cross-effects (docs/methodology.md, "Conditioning-language
 * cross-effects"): does the prompt language change what a model answers? The study
 * (`analyse_cross_effects.py`) compared a model's self-consistency within a prompt
 * language with its consistency between languages, over pairs of responses to the same
 * item, and counted each response's pair with itself as agreement. Both are reproduced:
 * as published, and recommended (no self-pairs, a bootstrap over items). Beside them,
 * alignment with each country under each prompt language.
 */
import type { Metric } from "../../correlation.js";
import { JUDGE_ERROR_RATE } from "../../judgeError.js";
import { createRng } from "../../random.js";
import type { Estimate } from "../../recommended/estimate.js";
import { modelOrder, type Workspace } from "../../workspace.js";
import { crossBlocks } from "./blocks.js";
import { modelGap, publishedGaps, recommendedGaps, type GapValues } from "./gap.js";
import { crossMatrix, type HomeAdvantage, type MatrixCell } from "./matrix.js";

export interface CrossEffectsOptions {
  /** Rounds of the study's pair bootstrap (default 100). */
  rounds?: number;
  /** Item-bootstrap replicates of the recommended analysis (default 100). */
  replicates?: number;
  seed?: number | string;
  /** Divides each consistency, as the study did (default its 0.045). */
  judgeErrorRate?: number;
  /** The matrix's alignment metric (default Spearman). */
  metric?: Metric;
}

export interface ModelGap {
  model: string;
  family: string;
  /** Prompt languages the model answered in. */
  languages: string[];
  /** Full data, the study's pairs (self-pairs included). */
  withSelfPairs: GapValues;
  /** As published: the mean over the study's bootstrap rounds, and their 2.5%/97.5% percentiles. */
  published: GapValues & { ci_low: number; ci_high: number; rounds: number };
  /** Recommended: full data without self-pairs, with the item bootstrap's SE, interval and p. */
  recommended: GapValues & Estimate;
}

export interface CrossEffects {
  rounds: number;
  replicates: number;
  judgeErrorRate: number;
  items: number;
  gaps: ModelGap[];
  matrix: MatrixCell[];
  home: HomeAdvantage[];
}

export function crossEffects(ws: Workspace, options: CrossEffectsOptions = {}): CrossEffects {
  const rounds = options.rounds ?? 100;
  const replicates = options.replicates ?? 100;
  const rate = options.judgeErrorRate ?? JUDGE_ERROR_RATE;
  if (!(rate >= 0 && rate < 1)) throw new Error(`judgeErrorRate must be in [0, 1), got ${rate}`);
  for (const [name, v] of [
    ["rounds", rounds],
    ["replicates", replicates],
  ] as const) {
    if (!Number.isInteger(v) || v < 0) throw new Error(`cross-effects ${name} must be a non-negative integer, got ${v}`);
  }
  const seed = String(options.seed ?? 1);
  const data = crossBlocks(ws.responses, modelOrder(ws));
  const published = publishedGaps(data, rounds, createRng(seed, "cross-effects/published"), rate);
  const recommended = recommendedGaps(data, replicates, createRng(seed, "cross-effects/items"), rate);
  const matrix = crossMatrix(ws, replicates, createRng(seed, "cross-effects/matrix"), options.metric);
  return {
    rounds,
    replicates,
    judgeErrorRate: rate,
    items: data.items.length,
    gaps: data.models.map((m, i) => ({
      model: m.model,
      family: m.family,
      languages: m.languages,
      withSelfPairs: modelGap(m, true, rate),
      published: {
        within: published[i]!.within,
        between: published[i]!.between,
        gap: published[i]!.gap.mean,
        ci_low: published[i]!.gap.ci_low,
        ci_high: published[i]!.gap.ci_high,
        rounds: published[i]!.gap.rounds,
      },
      recommended: recommended[i]!,
    })),
    matrix: matrix.cells,
    home: matrix.home,
  };
}
