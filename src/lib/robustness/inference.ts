/**
 * The study's known issues, quantified:
 *
 * - Interval widths as rounds grow: the study's narrow as 1/√rounds because its
 *   regressions treat rounds as independent observations; the recommended analysis'
 *   (one estimate per cell, an item bootstrap; src/lib/recommended) stay put.
 * - The published analysis under other seeds, at the study's 100 rounds: its table was
 *   one unseeded draw.
 * - Self-pair inflation: self-consistency under the study's resampling (where copies of
 *   a response pair as perfect agreement) against the full-data value.
 */
import { runExperiment, type ExperimentResult } from "../analyses/experiment.js";
import { reproduce } from "../analyses/reproduce.js";
import { withBaselines } from "../analyses/context.js";
import { fitRq1, rq1Rows, type FamilySlope } from "../analyses/rq1.js";
import { rq1Experiment } from "../recommended/index.js";
import { recommendedRq1 } from "../recommended/rq1.js";
import { createRng } from "../random.js";
import { countOf, isBaseline, scoredResponses, type Level, type Workspace } from "../workspace.js";

export interface WidthPoint {
  method: "study" | "recommended";
  /** Bootstrap rounds (the study's) or replicates (the recommended analysis). */
  rounds: number;
  term: string;
  width: number;
}

/** The 95% interval width of RQ1's capability slopes as rounds grow: the study's method against the recommended one. */
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
    for (const t of recommendedRq1(rq1Experiment(base, { seed: options.seed }, "items", r), base).terms) {
      if (t.term.startsWith("multilingual")) out.push({ method: "recommended", rounds: r, term: t.term, width: t.ci_high - t.ci_low });
    }
  }
  return out;
}

export interface SeedSlopes {
  seed: number;
  slopes: FamilySlope[];
}

/** The published analysis' capability slopes under other seeds, at the study's 100 rounds: how much its single unseeded draw could move. */
export function publishedSeedSlopes(ws: Workspace, seeds: readonly number[], rounds = 100): SeedSlopes[] {
  return seeds.map((seed) => ({ seed, slopes: reproduce(ws, { rounds, seed, parts: ["rq1"] }).details.slopes ?? [] }));
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
    runExperiment(rows, ws.ground_truth, {
      level,
      rounds,
      rng: createRng(String(options.seed ?? 1), `inflation/${level}/${procedure}`),
      procedure,
      judgeErrorRate: 0,
    });
  const figure = run(responses, "none", "study");
  const fair = run(responses, "none", "responses");
  const rq1Items = responses.filter((r) => truth.has(r.item));
  const rq1 = run(rq1Items, "language", "study");
  const rq1Point = run(rq1Items, "none", "study");
  const perItem = new Map<string, number>();
  for (const r of responses) {
    const key = `${r.model}\u0000${r.language}\u0000${r.item}`;
    perItem.set(key, (perItem.get(key) ?? 0) + countOf(r));
  }
  const sums = new Map<string, { n: number; n2: number }>();
  for (const [key, n] of perItem) {
    const cell = key.slice(0, key.lastIndexOf("\u0000"));
    const s = sums.get(cell) ?? { n: 0, n2: 0 };
    // Items with a single response make no pairs at all.
    if (n >= 2) {
      s.n += n;
      s.n2 += n * n;
    }
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
      if (Number.isNaN(v)) continue;
      s += v;
      k++;
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
