/**
 * Inference that does not depend on the number of rounds, self-pair inflation against
 * what self-pairs alone predict. (Ceilings: ceiling.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { reproduce } from "../../../src/lib/analyses/reproduce.js";
import { createRng } from "../../../src/lib/random.js";
import { intervalWidths, publishedSeedSlopes, selfPairInflation } from "../../../src/lib/robustness/inference.js";
import type { ResponseRow, Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const ws = paperFixture();
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

describe("intervals that do not depend on the number of rounds", () => {
  const widths = intervalWidths(ws, [25, 100]);
  const at = (method: string, rounds: number) => median(widths.filter((w) => w.method === method && w.rounds === rounds).map((w) => w.width));

  it("the study's intervals shrink as 1/√rounds: four times the rounds, half the width", () => {
    expect(widths.filter((w) => w.method === "study" && w.rounds === 25)).toHaveLength(12);
    const ratio = at("study", 25) / at("study", 100);
    expect(ratio).toBeGreaterThan(1.7);
    expect(ratio).toBeLessThan(2.3);
  });

  it("the recommended analysis' do not: four times the replicates, about the same width", () => {
    expect(widths.filter((w) => w.method === "recommended" && w.rounds === 100)).toHaveLength(12);
    const ratio = at("recommended", 25) / at("recommended", 100);
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.33);
    // And they are wider than the study's at 100 rounds: items are the real unit of replication.
    expect(at("recommended", 100)).toBeGreaterThan(at("study", 100));
  });
});

describe("the published analysis under other seeds", () => {
  it("runs the study's 100 rounds for each seed, and seed 1 is the published procedure's own result", () => {
    const seeds = publishedSeedSlopes(ws, [1, 2], 100);
    expect(seeds.map((s) => s.seed)).toEqual([1, 2]);
    for (const s of seeds) expect(s.slopes).toHaveLength(12);
    const direct = reproduce(ws, { rounds: 100, seed: 1, parts: ["rq1"] }).details.slopes!;
    expect(seeds[0]!.slopes.map((x) => x.slope)).toEqual(direct.map((x) => x.slope));
    expect(seeds[1]!.slopes.map((x) => x.slope)).not.toEqual(direct.map((x) => x.slope));
  });
});

/** One model answering I items n times each; item i's answers lean pro with probability p_i. */
function toy(items: number, n: number, seed: number): Workspace {
  const rng = createRng(seed);
  const responses: ResponseRow[] = [];
  for (let i = 0; i < items; i++) {
    const p = rng.next();
    for (let k = 0; k < n; k++) {
      const u = rng.next();
      const vps = u < p * p ? 1 : u < p ? 0.5 : 0;
      responses.push({ model: "m", family: "f", language: "en", item: `q${i}`, template_id: null, topic_id: null, prompt: null, response_language: "en", vps });
    }
  }
  return {
    responses,
    ground_truth: Array.from({ length: items }, (_, i) => ({ level: "language" as const, population: "en", item: `q${i}`, pro_score: (i % 7) / 7, n: 100 })),
    benchmarks: [],
    models: [{ model: "m", display_name: "M", family: "f" }],
    items: [],
    populations: [{ level: "language", population: "en", language: "en" }],
    provenance: [],
  };
}

describe("self-pair inflation", () => {
  it("with n responses per item, one pair in n is a self-pair, and that alone explains the study's value", () => {
    for (const n of [4, 8]) {
      const [row] = selfPairInflation(toy(80, n, n), { rounds: 400, seed: 3 });
      expect(row!.selfPairShare).toBeCloseTo(1 / n, 12);
      expect(row!.studyFigure - row!.point).toBeGreaterThan(0.5 / n);
      // Theory: share + (1 − share) × (value without self-pairs); Monte Carlo tolerance.
      expect(Math.abs(row!.studyFigure - row!.expected)).toBeLessThan(0.015);
      expect(Math.abs(row!.corrected - row!.point)).toBeLessThan(0.03);
    }
  });

  it("on the study's release: every model is inflated, by what self-pairs predict", () => {
    // 400 rounds keep the Monte Carlo error of each mean near 0.01. The prediction is first order (it weighs
    // self-pairs by their share of pairs, not by their ranks): over seeds 1 to 3 its largest miss is 0.043.
    const rows = selfPairInflation(ws, { rounds: 400 });
    expect(rows).toHaveLength(36);
    for (const r of rows) {
      expect(r.studyFigure, `${r.model} ${r.language}`).toBeGreaterThan(r.point);
      expect(r.studyRq1, `${r.model} ${r.language}`).toBeGreaterThan(r.pointRq1);
      expect(Math.abs(r.studyFigure - r.expected), `${r.model} ${r.language}`).toBeLessThan(0.05);
      expect(r.selfPairShare).toBeGreaterThan(0.05);
      expect(r.selfPairShare).toBeLessThan(0.5);
    }
    // Gemma-2 2B in Danish gave the fewest usable responses: the largest inflation.
    const worst = [...rows].sort((a, b) => b.studyFigure - b.point - (a.studyFigure - a.point))[0]!;
    expect(worst).toMatchObject({ model: "gemma-2-2b-it", language: "da" });
    expect(worst.studyFigure - worst.point).toBeGreaterThan(0.2);
  });
});
