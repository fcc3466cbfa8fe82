/**
 * Dispersion (src/lib/analyses/dispersion.ts): a workspace worked by hand (ties, a lone answer,
 * a pro share of 1, recorded and assumed summary counts, an unscored answer, a baseline, empty
 * groups), the same on aggregated rows, the study's release against numpy
 * (test/reference/dispersion_reference.py), the item bootstrap replayed from the per-item
 * reference values under other seeds and replicates, and the `dispersion` key of
 * `mca reproduce --json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { aggregateResponses } from "../../../src/lib/aggregate.js";
import { dispersion, type DispersionResult } from "../../../src/lib/analyses/dispersion.js";
import { reproduce, reproduceJson } from "../../../src/lib/analyses/reproduce.js";
import { createRng, resampleCounts } from "../../../src/lib/random.js";
import { bootstrapEstimate } from "../../../src/lib/recommended/estimate.js";
import { scoredResponses, type GroundTruthRow, type PopulationRow, type ResponseRow, type Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

function answer(model: string, item: string, vps: number | null, extra: Partial<ResponseRow> = {}): ResponseRow {
  return { model, family: "f", language: "da", item, template_id: null, topic_id: null, prompt: null, response_language: "da", vps, ...extra };
}

/**
 * m1 in Danish: i1 answered 0.2 twice (one aggregated row, 10 summaries recorded) and 0.6 once
 * (5 summaries); i2 once; i3 0.5 twice (tied, no counts: 10 assumed); i6 0 and 0.2 (assumed),
 * where the population is unanimous (p = 1); i5 twice, with no pro share anywhere. Plus an
 * unscored answer (no VPS), one judged in English, a baseline, and m2 with one answer per item.
 */
function handWorkspace(): Workspace {
  const responses: ResponseRow[] = [
    answer("m1", "i1", 0.2, { count: 2, interview_size: 10 }),
    answer("m1", "i1", 0.6, { interview_size: 5 }),
    answer("m1", "i2", 0.9),
    answer("m1", "i3", 0.5),
    answer("m1", "i3", 0.5),
    answer("m1", "i6", 0),
    answer("m1", "i6", 0.2),
    answer("m1", "i5", 0.1),
    answer("m1", "i5", 0.3),
    answer("m1", "i1", null),
    answer("m1", "i1", 1, { response_language: "en" }),
    answer("Baseline_uniform_random", "i1", 0.9, { family: "Baseline" }),
    answer("Baseline_uniform_random", "i1", 0.1, { family: "Baseline" }),
    answer("m2", "i1", 0.4),
    answer("m2", "i3", 0.4),
  ];
  const truth = (level: GroundTruthRow["level"], population: string, shares: Record<string, number>) =>
    Object.entries(shares).map(([item, pro_score]) => ({ level, population, item, pro_score }));
  const shares = { i1: 0.5, i2: 0.3, i3: 0.2, i6: 1 };
  const populations: PopulationRow[] = [
    { level: "global", population: "global", language: null },
    { level: "language", population: "da", language: "da" },
    { level: "country", population: "DK", language: "da" },
    { level: "country", population: "US", language: "en" },
  ];
  return {
    responses,
    ground_truth: [
      ...truth("global", "global", shares),
      ...truth("language", "da", shares),
      ...truth("language", "en", { i1: 0.9 }),
      ...truth("country", "DK", { i1: 0.5, i3: 0.2 }),
      ...truth("country", "US", { i1: 0.9 }),
    ],
    benchmarks: [],
    models: [],
    items: [],
    populations,
    provenance: [],
  };
}

const hand = (ws: Workspace, replicates = 50, seed: number | string = 1) =>
  dispersion(scoredResponses(ws.responses), ws.ground_truth, ws.populations, { replicates, seed });

describe("dispersion, worked by hand", () => {
  const d = hand(handWorkspace());
  const item = (level: string, model: string, it: string) => d.items.find((r) => r.level === level && r.model === model && r.item === it);

  it("observed and expected variances per item", () => {
    // i1: VPS 0.2, 0.2, 0.6: mean 1/3, variance ((0.44 − 1/3) / 2) = 4/75; mean 1/n = (2/10 + 1/5) / 3 = 2/15; 0.25 × 2/15 = 1/30.
    const i1 = item("language", "m1", "i1")!;
    expect(i1.responses).toBe(3);
    expect(i1.mean).toBeCloseTo(1 / 3, 14);
    expect(i1.observed).toBeCloseTo(4 / 75, 14);
    expect(i1.expected).toBeCloseTo(1 / 30, 14);
    expect(i1.ratio).toBeCloseTo(1.6, 12);
    expect(i1.summaries).toBeCloseTo(7.5, 12);
    // A lone answer has no variance; a tie has variance 0; p = 1 expects none.
    expect(item("language", "m1", "i2")!.observed).toBeNaN();
    const i3 = item("language", "m1", "i3")!;
    expect(i3).toMatchObject({ observed: 0, ratio: 0, summaries: 10 });
    expect(i3.expected).toBeCloseTo(0.016, 15);
    const i6 = item("language", "m1", "i6")!;
    expect(i6.observed).toBeCloseTo(0.02, 14);
    expect(i6).toMatchObject({ expected: 0, ratio: NaN });
    // No pro share, no row; baselines never.
    expect(item("language", "m1", "i5")).toBeUndefined();
    expect(d.items.some((r) => r.model.startsWith("Baseline"))).toBe(false);
  });

  it("the ratio of sums over the items with both variances, and the share of assumed counts", () => {
    const cell = d.cells.find((c) => c.level === "language" && c.model === "m1")!;
    // Items i1, i3, i6 (i2 has one answer): (4/75 + 0 + 0.02) / (1/30 + 0.016 + 0).
    expect(cell.items).toBe(3);
    expect(cell.responses).toBe(7);
    expect(cell.ratio).toBeCloseTo((4 / 75 + 0.02) / (1 / 30 + 0.016), 12);
    expect(cell.observed).toBeCloseTo((4 / 75 + 0.02) / 3, 14);
    expect(cell.expected).toBeCloseTo((1 / 30 + 0.016) / 3, 14);
    expect(cell.assumed).toBeCloseTo(4 / 7, 14);
    // m2 has one answer per item: an empty group, no cell. Scored answers: 10 of m1 and 2 of m2, 3 of them with counts.
    expect(d.cells.some((c) => c.model === "m2")).toBe(false);
    expect(d.assumed).toBeCloseTo(9 / 12, 14);
  });

  it("a language's populations at each level", () => {
    expect(d.cells.map((c) => `${c.level} ${c.population}`)).toEqual(["global global", "language da", "country DK"]);
    // Denmark has i1 and i3 only: (4/75 + 0) / (1/30 + 0.016).
    expect(d.cells[2]!.ratio).toBeCloseTo(4 / 75 / (1 / 30 + 0.016), 12);
    expect(d.items.some((r) => r.population === "US" || (r.level === "language" && r.population === "en"))).toBe(false);
  });

  it("the same numbers on aggregated rows", () => {
    const ws = handWorkspace();
    const agg = hand({ ...ws, responses: aggregateResponses(ws.responses) });
    const order = (x: { level: string; model: string; population: string }, y: typeof x) =>
      `${x.level} ${x.model} ${x.population} ${"item" in x ? x.item : ""}`.localeCompare(`${y.level} ${y.model} ${y.population} ${"item" in y ? y.item : ""}`);
    const strip = (r: DispersionResult) => JSON.stringify({ ...r, cells: [...r.cells].sort(order), items: [...r.items].sort(order) });
    expect(strip(agg)).toBe(strip(d));
  });

  it("intervals: none from fewer than two replicates, the same for a seed, others for another seed; errors name the value", () => {
    const ws = handWorkspace();
    expect(hand(ws, 0).cells[0]!.ci_low).toBeNaN();
    expect(hand(ws, 200, 3)).toEqual(hand(ws, 200, 3));
    const a = hand(ws, 200, 3).cells[1]!;
    expect(a.ci_low).toBeLessThanOrEqual(a.ci_high);
    expect(() => hand(ws, -1)).toThrow(/replicates must be a non-negative integer, got -1/);
  });
});

interface Reference {
  cells: Array<{ model: string; language: string; level: string; population: string; items: number; observed: number; expected: number; ratio: number }>;
  items: Array<{
    model: string;
    language: string;
    level: string;
    population: string;
    item: string;
    responses: number;
    mean: number;
    observed: number | null;
    expected: number;
  }>;
}

describe("dispersion on the study's release", () => {
  const reference = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/dispersion.json"), "utf8")) as Reference;
  const ws = paperFixture();
  const scored = scoredResponses(ws.responses);
  const key = (r: { model: string; language: string; level: string; population: string }) => `${r.level} ${r.population} ${r.model} ${r.language}`;

  it("every cell and every language-level item as numpy has them (1e-12), n = 10 assumed throughout", () => {
    const d = dispersion(scored, ws.ground_truth, ws.populations, { replicates: 0 });
    expect(d.assumed).toBe(1);
    expect(d.cells.map(key).sort()).toEqual(reference.cells.map(key).sort());
    const cells = new Map(d.cells.map((c) => [key(c), c]));
    for (const r of reference.cells) {
      const c = cells.get(key(r))!;
      expect(c.items).toBe(r.items);
      for (const f of ["observed", "expected", "ratio"] as const) expect(Math.abs(c[f] - r[f])).toBeLessThan(1e-12);
    }
    const items = new Map(d.items.filter((r) => r.level === "language").map((r) => [`${key(r)} ${r.item}`, r]));
    expect(items.size).toBe(reference.items.length);
    for (const r of reference.items) {
      const i = items.get(`${key(r)} ${r.item}`)!;
      expect(i.responses).toBe(r.responses);
      expect(Math.abs(i.mean - r.mean)).toBeLessThan(1e-12);
      expect(Math.abs(i.expected - r.expected)).toBeLessThan(1e-15);
      if (r.observed === null) expect(i.observed).toBeNaN();
      else expect(Math.abs(i.observed - r.observed)).toBeLessThan(1e-12);
    }
  });

  it.each([
    [1, 100],
    ["seven", 37],
  ])("the item bootstrap, replayed from numpy's per-item values (seed %s, %i replicates)", (seed, replicates) => {
    const d = dispersion(scored, ws.ground_truth, ws.populations, { replicates, seed, levels: ["language"] });
    const items = [...new Set(reference.items.map((r) => r.item))].sort();
    const index = new Map(items.map((it, i) => [it, i]));
    const rng = createRng(String(seed), "dispersion/language");
    const draws = Array.from({ length: replicates }, () => [...resampleCounts(items.length, rng)]);
    for (const cell of d.cells) {
      const rows = reference.items.filter((r) => key(r) === key(cell) && r.observed !== null);
      const ratio = (w: number[] | null) => {
        const num = rows.reduce((a, r) => a + (w ? w[index.get(r.item)!]! : 1) * r.observed!, 0);
        const den = rows.reduce((a, r) => a + (w ? w[index.get(r.item)!]! : 1) * r.expected, 0);
        return num / den;
      };
      const e = bootstrapEstimate(
        ratio(null) - 1,
        draws.map(ratio).map((x) => x - 1),
      );
      expect(Math.abs(cell.ci_low - (e.ci_low + 1))).toBeLessThan(1e-10);
      expect(Math.abs(cell.ci_high - (e.ci_high + 1))).toBeLessThan(1e-10);
      expect(cell.p).toBe(e.p);
      expect(cell.ci_low).toBeLessThanOrEqual(cell.ratio);
      expect(cell.ci_high).toBeGreaterThanOrEqual(cell.ratio);
    }
  });

  it("intervals that do not narrow as replicates grow (median width at 400 within 25% of that at 50)", () => {
    const width = (replicates: number) => {
      const d = dispersion(scored, ws.ground_truth, ws.populations, { replicates, seed: 2, levels: ["language"] });
      const w = d.cells.map((c) => c.ci_high - c.ci_low).sort((a, b) => a - b);
      return w[Math.floor(w.length / 2)]!;
    };
    const ratio = width(400) / width(50);
    expect(ratio).toBeGreaterThan(0.75);
    expect(ratio).toBeLessThan(1.25);
  });

  it("is the `dispersion` key of reproduce's JSON, at the levels asked for, with its own random stream", () => {
    const alone = reproduceJson(reproduce(ws, { parts: ["dispersion"], levels: ["language"], rounds: 20, seed: 4 }));
    expect(Object.keys(alone).sort()).toEqual(["dispersion", "meta"]);
    expect(new Set(alone.dispersion!.cells.map((c) => c.level))).toEqual(new Set(["language"]));
    const direct = dispersion(scored, ws.ground_truth, ws.populations, { replicates: 20, seed: 4, levels: ["language"] });
    const byKey = new Map(direct.cells.map((c) => [key(c), c]));
    for (const c of alone.dispersion!.cells) expect(c).toEqual(byKey.get(key(c)));
  });
});
