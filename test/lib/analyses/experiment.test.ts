/**
 * The experiment engine computes alignment and self-consistency from weighted counts
 * of distinct values. These tests check it against a brute-force implementation that
 * expands the resample row by row and lists every self-consistency pair, as the
 * study's polars code does (self-join on item, drop identical row indices).
 */
import { describe, expect, it } from "vitest";
import { experimentLayout, roundStatistics, runExperiment } from "../../../src/lib/analyses/experiment.js";
import type { Layout } from "../../../src/lib/analyses/experiment/layout.js";
import { allocWeights, applyPairCounts } from "../../../src/lib/analyses/experiment/weights.js";
import { pearson, spearman, meanAlignment, type Metric } from "../../../src/lib/correlation.js";
import { createRng, resampleIndices } from "../../../src/lib/random.js";
import type { GroundTruthRow, Level, ResponseRow } from "../../../src/lib/workspace.js";

function makeData(seed: number): { responses: ResponseRow[]; gt: GroundTruthRow[] } {
  const rng = createRng(seed, "fixture");
  const items = ["a01", "b02", "c03", "d04", "e05"];
  const responses: ResponseRow[] = [];
  for (const model of ["m1", "m2"]) {
    for (const language of ["da", "en"]) {
      const n = 12 + rng.int(10);
      for (let i = 0; i < n; i++) {
        // VPS on a coarse grid, so ties are everywhere.
        const vps = [0, 0.25, 0.5, 0.5, 0.75, 1][rng.int(6)]!;
        responses.push({
          model,
          family: model === "m1" ? "f1" : "f2",
          language,
          item: items[rng.int(items.length)]!,
          template_id: null,
          topic_id: null,
          prompt: null,
          response_language: language,
          vps,
        });
      }
    }
  }
  const gt: GroundTruthRow[] = [];
  for (const item of items.slice(0, 4)) {
    // item e05 has no ground truth; a tie in pro_score across items
    gt.push({ level: "language", population: "da", item, pro_score: item === "a01" ? 0.5 : rng.next() });
    gt.push({ level: "language", population: "en", item, pro_score: item === "b02" ? 0.5 : rng.next() });
    gt.push({ level: "global", population: "global", item, pro_score: rng.next() });
  }
  return { responses, gt };
}

const METRIC_FN: Record<Metric, (x: number[], y: number[]) => number> = {
  spearman,
  pearson,
  mean_alignment: meanAlignment,
};

/** The study's procedure, row by row. */
function bruteForce(responses: ResponseRow[], gt: GroundTruthRow[], level: Level, indices: Int32Array | null, metric: Metric) {
  const rows: Array<{ r: number; pop: string; y: number }> = [];
  responses.forEach((resp, r) => {
    for (const g of gt) if (g.level === level && g.item === resp.item) rows.push({ r, pop: g.population, y: g.pro_score });
  });
  const sample = indices ? Array.from(indices, (i) => rows[i]!) : rows;
  const align = new Map<string, { x: number[]; y: number[] }>();
  for (const row of sample) {
    const resp = responses[row.r]!;
    const key = `${resp.model}|${row.pop}|${resp.language}`;
    if (!align.has(key)) align.set(key, { x: [], y: [] });
    align.get(key)!.x.push(resp.vps!);
    align.get(key)!.y.push(row.y);
  }
  const alignment = new Map([...align].map(([k, v]) => [k, METRIC_FN[metric](v.x, v.y)]));
  // Self-consistency: ordered pairs of distinct sampled rows with the same model, language, item.
  const pairs = new Map<string, { x: number[]; y: number[] }>();
  // On the full data each response counts once (not once per population).
  const units = indices ? sample.map((row) => row.r) : responses.map((_, r) => r).filter((r) => rows.some((row) => row.r === r));
  units.forEach((ri, i) => {
    units.forEach((rj, j) => {
      if (i === j) return;
      const a = responses[ri]!;
      const b = responses[rj]!;
      if (a.model !== b.model || a.language !== b.language || a.item !== b.item) return;
      const key = `${a.model}|${a.language}`;
      if (!pairs.has(key)) pairs.set(key, { x: [], y: [] });
      pairs.get(key)!.x.push(a.vps!);
      pairs.get(key)!.y.push(b.vps!);
    });
  });
  const consistency = new Map([...pairs].map(([k, v]) => [k, spearman(v.x, v.y) / (1 - 0.045)]));
  return { alignment, consistency, nRows: rows.length, rows: rows.map((row) => ({ response: responses[row.r]!, population: row.pop })) };
}

/** The layout's pair of a brute-force row (a response with one population). */
function pairIndex(layout: Layout): (row: { response: ResponseRow; population: string }) => number {
  const index = new Map<string, number>();
  layout.pairUnit.forEach((u, p) => {
    const unit = layout.units[u]!;
    index.set(`${unit.model}|${unit.language}|${unit.item}|${unit.vps}|${layout.populations[layout.pairPopulation[p]!]}`, p);
  });
  return ({ response: r, population }) => index.get(`${r.model}|${r.language}|${r.item}|${r.vps}|${population}`)!;
}

describe("runExperiment (study procedure) against brute force", () => {
  for (const metric of ["spearman", "pearson", "mean_alignment"] as const) {
    for (const level of ["language", "global"] as const) {
      it(`${metric} at ${level} level: point estimates and three resampled rounds`, () => {
        const { responses, gt } = makeData(7);
        const rounds = 3;
        const exp = runExperiment(responses, gt, { level, rounds, rng: createRng(42, "run"), metric });
        const point = bruteForce(responses, gt, level, null, metric);
        exp.alignmentGroups.forEach((g, i) => {
          expect(exp.pointAlignment[i]).toBeCloseTo(point.alignment.get(`${g.model}|${g.population}|${g.language}`)!, 12);
        });
        exp.consistencyGroups.forEach((g, i) => {
          expect(exp.pointConsistency[i]).toBeCloseTo(point.consistency.get(`${g.model}|${g.language}`)!, 12);
        });
        // Fixed multiplicities: a row-by-row resample, handed to the engine as counts per (unit, population) pair.
        const layout = experimentLayout(responses, gt, level);
        const pairOf = pairIndex(layout);
        const draws = createRng(42, "rows");
        for (let round = 0; round < rounds; round++) {
          const idx = resampleIndices(point.nRows, draws);
          const counts = new Float64Array(layout.pairUnit.length);
          for (const i of idx) counts[pairOf(point.rows[i]!)]!++;
          const w = allocWeights(layout);
          applyPairCounts(layout, w, counts);
          const out = { alignment: new Float64Array(layout.alignment.groups.length), consistency: new Float64Array(layout.consistency.groups.length) };
          roundStatistics(layout, w, metric, 1 - 0.045, out, 0);
          const bf = bruteForce(responses, gt, level, idx, metric);
          layout.alignment.groups.forEach((g, i) => {
            const want = bf.alignment.get(`${g.model}|${g.population}|${g.language}`);
            const got = out.alignment[i]!;
            if (want === undefined || Number.isNaN(want)) expect(got).toBeNaN();
            else expect(got).toBeCloseTo(want, 12);
          });
          layout.consistency.groups.forEach((g, i) => {
            const want = bf.consistency.get(`${g.model}|${g.language}`);
            const got = out.consistency[i]!;
            if (want === undefined || Number.isNaN(want)) expect(got).toBeNaN();
            else expect(got).toBeCloseTo(want, 12);
          });
        }
        expect(exp.alignment.length).toBe(rounds * exp.alignmentGroups.length);
      });
    }
  }

  it("leaves out responses to items without ground truth", () => {
    const { responses, gt } = makeData(3);
    const exp = runExperiment(responses, gt, { level: "language", rounds: 0, rng: createRng(1) });
    const withGt = responses.filter((r) => r.item !== "e05").length;
    const total = exp.consistencyGroups.reduce((a, g) => a + g.n, 0);
    expect(total).toBe(withGt);
  });

  it("is deterministic for a seed and differs across seeds", () => {
    const { responses, gt } = makeData(5);
    const a = runExperiment(responses, gt, { level: "language", rounds: 5, rng: createRng(9) });
    const b = runExperiment(responses, gt, { level: "language", rounds: 5, rng: createRng(9) });
    const c = runExperiment(responses, gt, { level: "language", rounds: 5, rng: createRng(10) });
    expect(Array.from(a.alignment)).toEqual(Array.from(b.alignment));
    expect(Array.from(a.alignment)).not.toEqual(Array.from(c.alignment));
  });

  it("gives NaN, not an error, for an empty or constant group", () => {
    const responses: ResponseRow[] = [
      { model: "m", family: "f", language: "da", item: "x", template_id: null, topic_id: null, prompt: null, response_language: "da", vps: 0.5 },
      { model: "m", family: "f", language: "da", item: "x", template_id: null, topic_id: null, prompt: null, response_language: "da", vps: 0.5 },
    ];
    const gt: GroundTruthRow[] = [{ level: "global", population: "global", item: "x", pro_score: 0.3 }];
    const exp = runExperiment(responses, gt, { level: "global", rounds: 2, rng: createRng(1) });
    expect(exp.pointAlignment[0]).toBeNaN();
    expect(exp.pointConsistency[0]).toBeNaN();
    const none = runExperiment(responses, [], { level: "global", rounds: 2, rng: createRng(1) });
    expect(none.alignmentGroups).toHaveLength(0);
    expect(none.consistencyGroups).toHaveLength(0);
  });
});

describe("corrected procedures", () => {
  it("`responses` never pairs a response with its own copy; the study's procedure does", () => {
    // Two responses to one item with different VPS: any positive consistency must come from self-copies.
    const base = { family: "f", language: "da", item: "x", template_id: null, topic_id: null, prompt: null, response_language: "da" };
    const responses: ResponseRow[] = [
      { ...base, model: "m", vps: 0 },
      { ...base, model: "m", vps: 1 },
      { ...base, model: "m", vps: 0.5 },
    ];
    const gt: GroundTruthRow[] = [
      { level: "language", population: "da", item: "x", pro_score: 0.2 },
      { level: "language", population: "en", item: "x", pro_score: 0.8 },
    ];
    const study = runExperiment(responses, gt, { level: "language", rounds: 200, rng: createRng(3), procedure: "study" });
    const corrected = runExperiment(responses, gt, { level: "language", rounds: 200, rng: createRng(3), procedure: "responses" });
    const mean = (v: Float64Array) =>
      Array.from(v)
        .filter((x) => !Number.isNaN(x))
        .reduce((a, b, _, arr) => a + b / arr.length, 0);
    expect(study.pointConsistency[0]).toBeCloseTo(corrected.pointConsistency[0]!, 12);
    expect(mean(study.consistency)).toBeGreaterThan(mean(corrected.consistency) + 0.3);
  });

  it("`items` resamples whole items", () => {
    const { responses, gt } = makeData(11);
    const exp = runExperiment(responses, gt, { level: "language", rounds: 50, rng: createRng(4), procedure: "items" });
    expect(exp.alignment.length).toBe(50 * exp.alignmentGroups.length);
    expect(Array.from(exp.consistency).some((v) => Number.isFinite(v))).toBe(true);
  });
});
