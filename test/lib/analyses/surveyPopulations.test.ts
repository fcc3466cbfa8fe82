/**
 * The survey part: country-level pro shares, their spread and the country-by-country Spearman
 * matrix, worked by hand (ties, a NaN share, an item one country lacks, a single country), and
 * on the study's release against scipy (test/reference/pca_reference.py).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { reproduce } from "../../../src/lib/analyses/reproduce.js";
import { surveyPopulations } from "../../../src/lib/analyses/surveyPopulations.js";
import type { GroundTruthRow, PopulationRow } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const cell = (population: string, item: string, pro_score: number, n: number | null = null): GroundTruthRow => ({
  level: "country",
  population,
  item,
  pro_score,
  n,
});

// A: i1..i4 and i5 (asked by no model); B: i1..i4; C: i1..i3, and a NaN share for i4.
const GT: GroundTruthRow[] = [
  ...[0.1, 0.2, 0.2, 0.9].map((v, k) => cell("A", `i${k + 1}`, v, 100 + k)),
  cell("A", "i5", 0.7, 50),
  ...[0.3, 0.1, 0.5, 0.5].map((v, k) => cell("B", `i${k + 1}`, v)),
  ...[0.5, 0.4, 0.6].map((v, k) => cell("C", `i${k + 1}`, v)),
  cell("C", "i4", NaN),
  { level: "language", population: "en", item: "i1", pro_score: 0.9, n: null },
];
const POPS: PopulationRow[] = [
  { level: "country", population: "A", language: "da" },
  { level: "country", population: "B", language: "en" },
];
const ASKED = ["i1", "i2", "i3", "i4"].map((item) => ({ item }));
const rho = (r: ReturnType<typeof surveyPopulations>, a: string, b: string) => r.correlations.find((c) => c.a === a && c.b === b)!;

describe("the survey's countries, worked by hand", () => {
  const r = surveyPopulations(GT, POPS, ASKED);

  it("keeps the country level, the asked items and finite shares, with n where the workspace has it", () => {
    expect(r.countries).toEqual([
      { population: "A", language: "da", items: 4 },
      { population: "B", language: "en", items: 4 },
      { population: "C", language: null, items: 3 },
    ]);
    expect(r.itemList).toEqual(["i1", "i2", "i3", "i4"]);
    expect(r.commonItems).toEqual(["i1", "i2", "i3"]);
    expect(r.cells.find((c) => c.population === "A" && c.item === "i4")).toEqual({ population: "A", item: "i4", pro_score: 0.9, n: 103 });
    expect(r.cells.find((c) => c.population === "B" && c.item === "i1")!.n).toBeNull();
    expect(r.cells.some((c) => c.population === "C" && c.item === "i4")).toBe(false);
  });

  it("gives Spearman's rho with average ranks for ties, over the items both countries have", () => {
    // A (0.1, 0.2, 0.2, 0.9) ranks (1, 2.5, 2.5, 4); B (0.3, 0.1, 0.5, 0.5) ranks (2, 1, 3.5, 3.5):
    // deviations (−1.5, 0, 0, 1.5) and (−0.5, −1.5, 1, 1): sxy 2.25, sxx 4.5, syy 4.5, rho 0.5.
    expect(rho(r, "A", "B")).toEqual({ a: "A", b: "B", rho: 0.5, n: 4 });
    expect(rho(r, "B", "A").rho).toBe(0.5);
    // A vs C on i1..i3: ranks (1, 2.5, 2.5) and (2, 1, 3): sxy = 0 − 0.5 + 0.5 = 0.
    expect(rho(r, "A", "C")).toEqual({ a: "A", b: "C", rho: 0, n: 3 });
    expect(rho(r, "C", "C")).toEqual({ a: "C", b: "C", rho: 1, n: 3 });
    expect(r.correlations).toHaveLength(9);
  });

  it("measures each item's spread across the countries that have it", () => {
    // i1: 0.1, 0.3, 0.5: mean 0.3, SD sqrt((0.04 + 0 + 0.04) / 2) = 0.2.
    const i1 = r.spread.find((s) => s.item === "i1")!;
    expect(i1).toMatchObject({ countries: 3, min: 0.1, max: 0.5 });
    expect(i1.sd).toBeCloseTo(0.2, 15);
    expect(r.spread.find((s) => s.item === "i4")).toMatchObject({ countries: 2, min: 0.5, max: 0.9 });
  });

  it("takes every item of the ground truth on request", () => {
    const all = surveyPopulations(GT, POPS, ASKED, "all");
    expect(all.itemList).toEqual(["i1", "i2", "i3", "i4", "i5"]);
    expect(all.spread.find((s) => s.item === "i5")!.sd).toBeNaN();
    expect(rho(all, "A", "B").n).toBe(4);
    expect(() => surveyPopulations(GT, POPS, ASKED, "some" as never)).toThrow(/Survey items must be one of asked, all, got "some"/);
  });

  it("with a single country, and with a constant one", () => {
    const one = surveyPopulations(
      GT.filter((g) => g.population === "B"),
      POPS,
      ASKED,
    );
    expect(one.correlations).toEqual([{ a: "B", b: "B", rho: 1, n: 4 }]);
    expect(one.commonItems).toEqual(["i1", "i2", "i3", "i4"]);
    const flat = surveyPopulations([...GT.filter((g) => g.population === "A"), ...["i1", "i2"].map((i) => cell("D", i, 0.4))], POPS, ASKED);
    expect(rho(flat, "A", "D")).toMatchObject({ n: 2 });
    expect(rho(flat, "A", "D").rho).toBeNaN();
    expect(surveyPopulations([], [], ASKED)).toMatchObject({ countries: [], cells: [], correlations: [] });
  });
});

describe("the survey on the study's release", () => {
  const ref = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/pca.json"), "utf8")).study.correlations as Record<
    string,
    { rho: number; n: number }
  >;
  const result = reproduce(paperFixture(), { parts: ["survey"] });

  it("equals scipy's spearmanr for every pair of countries, over the items both have (1e-12)", () => {
    const s = result.survey!;
    expect(s.countries).toHaveLength(13);
    expect(s.itemList).toHaveLength(32);
    expect(s.commonItems).toHaveLength(30);
    expect(s.correlations).toHaveLength(169);
    for (const c of s.correlations) {
      const want = ref[`${c.a}|${c.b}`]!;
      expect(c.n).toBe(want.n);
      expect(Math.abs(c.rho - want.rho)).toBeLessThan(1e-12);
    }
  });

  it("has no n in the study's release, which publishes shares only", () => {
    expect(result.survey!.cells.every((c) => c.n === null)).toBe(true);
    expect(reproduce(paperFixture(), { parts: ["survey"], surveyItems: "all" }).survey!.itemList).toHaveLength(83);
  });
});
