/**
 * The value map: the PCA and the Procrustes turn against numpy's SVD and scipy
 * (test/reference/pca_reference.py, sign rule: largest absolute loading positive), the map
 * and the models' points on the study's release against the same script, hand-built
 * workspaces (a single country, an item missing in one country, a NaN share, a constant item,
 * a model without some items), the item bootstrap under other seeds and rounds, and the
 * Inglehart–Welzel items.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduceCommand } from "../../../loaders/cli/reproduce.js";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { reproduce } from "../../../src/lib/analyses/reproduce.js";
import { valueMap } from "../../../src/lib/analyses/valueMap.js";
import { principalComponents, procrustes2 } from "../../../src/lib/pca.js";
import type { GroundTruthRow, ResponseRow } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const ref = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/pca.json"), "utf8"));
const close = (got: number, want: number, tol: number) => expect(Math.abs(got - want), `${got} vs ${want}`).toBeLessThan(tol);
function closeAll(got: number[][], want: number[][], tol: number): void {
  for (const [i, row] of got.entries()) for (const [j, v] of row.entries()) close(v, want[i]![j]!, tol);
}

const cell = (population: string, item: string, pro_score: number): GroundTruthRow => ({ level: "country", population, item, pro_score, n: null });
const response = (model: string, item: string, vps: number, count = 1): ResponseRow => ({
  model,
  family: "f",
  language: "en",
  item,
  template_id: null,
  topic_id: null,
  prompt: null,
  response_language: "en",
  vps,
  count,
});

describe("principal components and Procrustes against numpy and scipy", () => {
  const syn = ref.synthetic;
  const scaled = (syn.matrix as number[][]).map((row) => row.map((v, j) => (v - syn.mean[j]) / syn.sd[j]));

  it("give numpy's SVD loadings, scores and explained shares under the sign rule (1e-10)", () => {
    const pcs = principalComponents(scaled, 2);
    closeAll(pcs.loadings, syn.loadings, 1e-10);
    closeAll(pcs.scores, syn.scores, 1e-10);
    for (const [k, e] of pcs.explained.entries()) close(e, syn.explained[k], 1e-12);
    for (const l of pcs.loadings) expect(l.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 12);
  });

  it("turn one set of points onto another as scipy's orthogonal_procrustes (a reflection here)", () => {
    const r = procrustes2(ref.procrustes.from, ref.procrustes.to);
    for (const [k, v] of r.entries()) close(v, ref.procrustes.rotation[k], 1e-12);
    expect(r[0] * r[3] - r[1] * r[2]).toBeCloseTo(-1, 12);
    expect(procrustes2([[1, 0]], [[0, 1]])).toEqual([0, 1, -1, 0]);
  });

  it("keep only components above rounding: a rank-one matrix has one", () => {
    const pcs = principalComponents([
      [1, 2],
      [-1, -2],
      [0, 0],
    ]);
    expect(pcs.singular).toHaveLength(1);
    expect(pcs.explained[0]).toBeCloseTo(1, 14);
    closeAll(pcs.loadings, [[1 / Math.sqrt(5), 2 / Math.sqrt(5)]], 1e-14);
  });
});

describe("the value map on the study's release", () => {
  const map = reproduce(paperFixture(), { parts: ["valueMap"], rounds: 20 }).valueMap!;
  const s = ref.study;

  it("places the countries as numpy does (30 items, 1e-9)", () => {
    expect(map.reason).toBeNull();
    expect(map.items).toEqual(s.items);
    expect(map.countries.map((c) => c.population)).toEqual(s.countries);
    closeAll(
      map.countries.map((c) => [c.x, c.y]),
      s.scores,
      1e-9,
    );
    closeAll([map.loadings.map((l) => l.pc1), map.loadings.map((l) => l.pc2)], s.loadings, 1e-10);
    for (const [k, e] of map.explained.entries()) close(e, s.explained[k], 1e-12);
  });

  it("projects every model × language as numpy's least squares over the items it answered (1e-9)", () => {
    expect(map.models).toHaveLength(Object.keys(s.models).length);
    for (const m of map.models) {
      const want = s.models[`${m.model}|${m.language}`];
      close(m.x, want[0], 1e-9);
      close(m.y, want[1], 1e-9);
    }
    // Every cell misses some map item in the release (e116 has no scored answer in English, Dutch or Portuguese).
    expect(map.models.every((m) => m.missing.length > 0)).toBe(true);
    expect(map.unprojected).toEqual([]);
  });

  it("says which Inglehart–Welzel items the survey and the map have", () => {
    expect(map.inglehartWelzel).toEqual({
      present: ["e018", "e025", "f063", "f118", "f120"],
      inMap: ["f118", "f120"],
      missing: ["a008", "a165", "g006", "y002", "y003"],
    });
  });
});

describe("the value map on hand-built workspaces", () => {
  // Four countries; i4 is missing in D, i5 is NaN in C, i6 is the same everywhere.
  const shares: Record<string, number[]> = {
    A: [0.1, 0.8, 0.3, 0.5, 0.2, 0.4],
    B: [0.6, 0.2, 0.9, 0.4, 0.3, 0.4],
    C: [0.4, 0.5, 0.1, 0.7, NaN, 0.4],
    D: [0.9, 0.3, 0.6, NaN, 0.6, 0.4],
  };
  const gt = Object.entries(shares).flatMap(([c, v]) => v.flatMap((x, k) => (k === 3 && c === "D" ? [] : [cell(c, `i${k + 1}`, x)])));
  // Model m answered every item; model half two of the three map items; model few only i1.
  const scored = [
    ...["i1", "i2", "i3", "i4", "i5", "i6"].map((i, k) => response("m", i, 0.1 * (k + 1))),
    response("m", "i1", 0.5, 3),
    response("half", "i1", 0.2),
    response("half", "i2", 0.7),
    response("few", "i1", 0.2),
  ];
  const map = valueMap(gt, [], scored, { rounds: 30, seed: "1" });

  it("keeps the items every country has with a finite share, and leaves out a constant one", () => {
    expect(map.items).toEqual(["i1", "i2", "i3"]);
    expect(map.constant).toEqual(["i6"]);
  });

  it("projects a model on the items it answered, with its count-weighted means, and lists those below half", () => {
    const m = map.models.find((x) => x.model === "m")!;
    // i1's mean: (0.1 + 3 × 0.5) / 4 = 0.4; with the countries' item means and SDs, projected on the loadings.
    const mean = [0.5, 0.45, 0.475];
    const sd = [0.1, 0.8, 0.3, 0.5]
      .map((_, k) => k)
      .slice(0, 3)
      .map((j) => {
        const col = Object.values(shares).map((v) => v[j]!);
        return Math.sqrt(col.reduce((s, v) => s + (v - mean[j]!) ** 2, 0) / 3);
      });
    const z = [0.4, 0.2, 0.3].map((v, j) => (v - mean[j]!) / sd[j]!);
    const l = [map.loadings.map((x) => x.pc1), map.loadings.map((x) => x.pc2)];
    close(
      m.x,
      z.reduce((s, v, j) => s + v * l[0]![j]!, 0),
      1e-12,
    );
    close(
      m.y,
      z.reduce((s, v, j) => s + v * l[1]![j]!, 0),
      1e-12,
    );
    expect(map.models.find((x) => x.model === "half")!.missing).toEqual(["i3"]);
    expect(map.unprojected).toEqual([{ model: "few", language: "en", missing: ["i2", "i3"] }]);
  });

  it("places a model whose answers equal a country's on that country, in every replicate", () => {
    const twin = ["i1", "i2", "i3"].map((i, j) => response("twin", i, shares.B![j]!));
    const withTwin = valueMap(gt, [], [...scored, ...twin], { rounds: 25, seed: "3" });
    const t = withTwin.models.find((x) => x.model === "twin")!;
    const b = withTwin.countries.find((c) => c.population === "B")!;
    close(t.x, b.x, 1e-12);
    close(t.y, b.y, 1e-12);
    expect(t.nearest).toBe("B");
    expect(t.nearestShare).toBe(1);
    for (const [k, x] of t.cloud.x.entries()) close(x, b.cloud.x[k]!, 2e-4);
  });

  it("draws `rounds` replicates from the seed's stream: other seeds and rounds give other clouds", () => {
    const again = valueMap(gt, [], scored, { rounds: 30, seed: "1" });
    expect(again).toEqual(map);
    const other = valueMap(gt, [], scored, { rounds: 30, seed: "2" });
    expect(other.countries[0]!.cloud).not.toEqual(map.countries[0]!.cloud);
    expect(other.countries[0]!.x).toBe(map.countries[0]!.x);
    const seven = valueMap(gt, [], scored, { rounds: 7, seed: "1" });
    expect(seven.replicates).toBe(7);
    // With three items a replicate that draws one item three times has one component: left out.
    for (const r of [map, other, seven]) {
      expect(r.countries[0]!.cloud.x.length + r.degenerate).toBe(r.replicates);
      expect(r.degenerate).toBeLessThan(r.replicates);
    }
    expect(map.degenerate).toBeGreaterThan(0);
  });

  it("says why there is no map: one country, two countries, a single item", () => {
    const only = (cs: string[]) => gt.filter((g) => cs.includes(g.population));
    expect(valueMap(only(["A"]), [], scored, { rounds: 5, seed: "1" }).reason).toBe(
      "A map needs at least three countries with ground truth; the workspace has 1.",
    );
    expect(valueMap(only(["A", "B"]), [], scored, { rounds: 5, seed: "1" }).reason).toMatch(/has 2\.$/);
    const one = valueMap(gt, [], [response("m", "i1", 0.3), response("m", "i6", 0.3)], { rounds: 5, seed: "1" });
    expect(one.reason).toMatch(/at least two items .* the workspace has 1\.$/);
    expect(one).toMatchObject({ countries: [], models: [], explained: [] });
  });

  it("finds the Inglehart–Welzel items in the ground truth, whatever the map's items", () => {
    const iw = valueMap([...gt, cell("A", "f118", 0.3), cell("B", "y002", 0.5)], [], scored, { rounds: 1, seed: "1" });
    expect(iw.inglehartWelzel.present).toEqual(["f118", "y002"]);
    expect(iw.inglehartWelzel.inMap).toEqual([]);
    expect(iw.inglehartWelzel.missing).toHaveLength(8);
  });
});

describe("mca reproduce", () => {
  it("prints survey and valueMap under --json, with --survey-items and the rounds as replicates", async () => {
    let out = "";
    await reproduceCommand(
      ["--source", "paper", "--rounds", "5", "--seed", "9", "--parts", "survey,valueMap", "--survey-items", "all", "--json"],
      (t) => (out += t),
    );
    const json = JSON.parse(out);
    expect(json.survey.items).toBe("all");
    expect(json.survey.itemList).toHaveLength(83);
    expect(json.valueMap).toMatchObject({ replicates: 5, seed: "9", unit: "items", reason: null });
    expect(json.valueMap.models[0].cloud.x).toHaveLength(5);
    expect(json.details).toBeUndefined();
    let text = "";
    await reproduceCommand(["--source", "demo", "--rounds", "3", "--parts", "survey,valueMap"], (t) => (text += t));
    expect(text).toMatch(/The survey: Spearman's rho between countries/);
    expect(text).toMatch(/Value map( \(not the Inglehart–Welzel map\))?:/);
  });
});
