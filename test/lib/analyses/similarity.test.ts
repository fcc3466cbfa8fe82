/**
 * Whose opinions (src/lib/analyses/similarity.ts): a workspace worked by hand (ties, a NaN
 * VPS, a country with no common items, models with no responses in a language), the study's
 * release against scipy and statsmodels (test/reference/similarity_statsmodels.py), the
 * bootstrap under other seeds, replicates and units, and the `similarity` key of
 * `mca reproduce --json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { reproduceCommand } from "../../../loaders/cli/reproduce.js";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { reproduce, reproduceJson } from "../../../src/lib/analyses/reproduce.js";
import { descendingRanks, MEDIAN_MODEL, OWN_LANGUAGE, similarity, surveySimilarity, type SimilarityResult } from "../../../src/lib/analyses/similarity.js";
import type { Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";
import { PAPER_DATA } from "../../helpers/paths.js";

const ITEMS = ["i1", "i2", "i3", "i4"];

/**
 * Three models in Danish, one of them (m1) in English too. Countries: the US (i1–i5), Denmark
 * (i1–i4, the US reversed), T1 (the US's shares exactly, so it ties with the US everywhere), HF
 * (i2 and i3 of the US swapped) and XX, whose only item nobody was asked and the US lacks.
 */
function handWorkspace(): Workspace {
  const vps: Record<string, number[]> = {
    "m1/da": [0.1, 0.2, 0.3, 0.4],
    "m2/da": [0.4, 0.3, 0.2, 0.1],
    "m3/da": [0.1, 0.2, 0.4, 0.3],
    "m1/en": [0.2, 0.1, 0.3, 0.4],
  };
  const responses = Object.entries(vps).flatMap(([key, values]) => {
    const [model, language] = key.split("/") as [string, string];
    return values.map((v, k) => ({
      model,
      family: "f",
      language,
      item: ITEMS[k]!,
      template_id: null,
      topic_id: null,
      prompt: null,
      response_language: language,
      vps: v,
    }));
  });
  // A response without a VPS is not scored: it changes nothing.
  responses.push({ ...responses[0]!, item: "i2", vps: null as unknown as number });
  const truth = (population: string, shares: Record<string, number>) =>
    Object.entries(shares).map(([item, pro_score]) => ({ level: "country" as const, population, item, pro_score }));
  const us = { i1: 0.1, i2: 0.2, i3: 0.3, i4: 0.4, i5: 0.5 };
  return {
    responses,
    ground_truth: [
      ...truth("US", us),
      ...truth("DK", { i1: 0.4, i2: 0.3, i3: 0.2, i4: 0.1 }),
      ...truth("T1", us),
      ...truth("HF", { i1: 0.1, i2: 0.3, i3: 0.2, i4: 0.4, i5: 0.5 }),
      ...truth("XX", { i9: 0.5 }),
      { level: "language" as const, population: "da", item: "i1", pro_score: 0.9 },
    ],
    benchmarks: [],
    models: ["m1", "m2", "m3"].map((model) => ({ model, display_name: model, family: "f", size: null })),
    items: [],
    populations: [
      { level: "country", population: "US", language: "en" },
      { level: "country", population: "DK", language: "da" },
      { level: "country", population: "T1", language: "en" },
      { level: "country", population: "HF", language: "en" },
      { level: "country", population: "XX", language: "xx" },
    ],
    provenance: [],
  } as unknown as Workspace;
}

const cell = (r: SimilarityResult, model: string, language: string, country: string) =>
  r.cells.find((c) => c.model === model && c.language === language && c.country === country)!;
const gap = (r: SimilarityResult, model: string, language: string, country: string) =>
  r.gaps.find((g) => g.model === model && g.language === language && g.country === country)!;
const regression = (r: SimilarityResult, model: string, gaps: string) => r.regressions.find((g) => g.model === model && g.gaps === gaps)!;

describe("ranks from the top", () => {
  it("give ties the mean of their places and leave NaN out", () => {
    expect(descendingRanks([0.5, 0.9, 0.5, NaN, 0.1])).toEqual([2.5, 1, 2.5, NaN, 4]);
    expect(descendingRanks([])).toEqual([]);
    expect(descendingRanks([NaN, NaN])).toEqual([NaN, NaN]);
  });
});

describe("whose opinions, worked by hand", () => {
  const r = similarity(handWorkspace(), { replicates: 40, seed: 3 });

  it("ρ per model, language and country, and the median model's as the median over models", () => {
    // m3's VPS ranks (1, 2, 4, 3) against the US's (1, 2, 3, 4): Σd² = 2, ρ = 1 − 6·2 / (4·15) = 0.8.
    expect([cell(r, "m1", "da", "US").coef, cell(r, "m2", "da", "US").coef, cell(r, "m3", "da", "US").coef]).toEqual([1, -1, expect.closeTo(0.8, 12)]);
    expect(cell(r, "m3", "da", "DK").coef).toBeCloseTo(-0.8, 12);
    expect(cell(r, MEDIAN_MODEL, "da", "US").coef).toBeCloseTo(0.8, 12);
    expect(cell(r, MEDIAN_MODEL, "da", "DK").coef).toBeCloseTo(-0.8, 12);
    // English: only m1 answers, so the median model is m1; m2 and m3 have no English cells.
    expect(cell(r, MEDIAN_MODEL, "en", "HF").coef).toBeCloseTo(0.4, 12);
    expect(cell(r, "m2", "en", "US").coef).toBeNaN();
    expect(cell(r, "m2", "en", "US").rank).toBeNaN();
  });

  it("a country with no items in common with the responses has no ρ, no rank and no survey similarity", () => {
    for (const model of ["m1", MEDIAN_MODEL]) {
      expect(cell(r, model, "da", "XX").coef).toBeNaN();
      expect(cell(r, model, "da", "XX").rank).toBeNaN();
    }
    expect(r.usSimilarity.find((s) => s.country === "XX")).toEqual({ country: "XX", rho: NaN, items: 0 });
    expect(r.gaps.some((g) => g.country === "XX")).toBe(false);
  });

  it("ranks the countries from the nearest, ties sharing their places", () => {
    expect(r.countries).toEqual(["DK", "HF", "T1", "US", "XX"]);
    // Median model, Danish: US and T1 0.8, HF (m1 0.8, m2 −0.8, m3: ranks (1,2,4,3) against (1,3,2,4), Σd² = 6, 0.4) 0.4, DK −0.8.
    expect(["US", "T1", "HF", "DK"].map((c) => cell(r, MEDIAN_MODEL, "da", c).rank)).toEqual([1.5, 1.5, 3, 4]);
    expect(r.nearest.find((n) => n.model === MEDIAN_MODEL && n.language === "da")!.countries).toEqual(["T1", "US", "HF", "DK"]);
    expect(r.nearest.some((n) => n.model === "m2" && n.language === "en")).toBe(false);
    const us = cell(r, MEDIAN_MODEL, "da", "US");
    expect(us.rank_low).toBeGreaterThanOrEqual(1);
    expect(us.rank_high).toBeLessThanOrEqual(4);
  });

  it("survey similarity to the US over the items both have", () => {
    // DK is the US reversed on i1–i4 (the US's i5 is not DK's); HF swaps two of five: Σd² = 2, ρ = 1 − 12/120.
    expect(surveySimilarity(handWorkspace().ground_truth)).toEqual([
      { country: "DK", rho: -1, items: 4 },
      { country: "HF", rho: expect.closeTo(0.9, 12), items: 5 },
      { country: "T1", rho: 1, items: 5 },
      { country: "XX", rho: NaN, items: 0 },
    ]);
    expect(surveySimilarity(handWorkspace().ground_truth.filter((g) => g.population !== "US"))).toEqual([]);
  });

  it("gaps are US minus the country, per model, and the median model's is the median of the models' gaps", () => {
    expect([gap(r, "m1", "da", "DK").coef, gap(r, "m2", "da", "DK").coef, gap(r, "m3", "da", "DK").coef]).toEqual([2, -2, expect.closeTo(1.6, 12)]);
    expect(gap(r, MEDIAN_MODEL, "da", "DK").coef).toBeCloseTo(1.6, 12);
    expect(gap(r, MEDIAN_MODEL, "da", "T1").coef).toBe(0);
    expect(gap(r, MEDIAN_MODEL, "da", "DK").similarity).toBe(-1);
    expect(gap(r, "m2", "en", "DK").coef).toBeNaN();
  });

  it("regresses each country's gap in its own language on its similarity: (−1, 1.6), (1, 0), (0.9, 0.4)", () => {
    const own = regression(r, MEDIAN_MODEL, OWN_LANGUAGE);
    expect(own.countries).toEqual(["DK", "HF", "T1"]);
    expect(own.n).toBe(3);
    // x̄ = 0.3, ȳ = 2/3; Sxx = 1.3² + 0.7² + 0.6² = 2.54, Sxy = −1.3·0.933 − 0.7·0.667 − 0.6·0.267 = −1.84.
    expect(own.slope.coef).toBeCloseTo(-1.84 / 2.54, 12);
    expect(own.intercept.coef).toBeCloseTo(2 / 3 - 0.3 * (-1.84 / 2.54), 12);
    const fitted = [-1, 1, 0.9].map((x) => own.intercept.coef + own.slope.coef * x);
    const rss = [1.6, 0, 0.4].reduce((s, y, i) => s + (y - fitted[i]!) ** 2, 0);
    expect(own.ols.df).toBe(1);
    expect(own.ols.se).toBeCloseTo(Math.sqrt(rss / 1 / 2.54), 12);
    // t(0.975, 1) = 12.7062047361747.
    expect(own.ols.ci_high - own.slope.coef).toBeCloseTo(12.7062047361747 * own.ols.se, 9);
    expect(own.band).toHaveLength(11);
    expect(own.band[0]!.x).toBe(-1);
    expect(own.band[10]!.x).toBe(1);
    expect(own.band[10]!.fit).toBeCloseTo(own.intercept.coef + own.slope.coef, 12);
  });

  it("fits nothing with fewer than three countries (m2 has no English gaps)", () => {
    const en = regression(r, "m2", "en");
    expect(en.n).toBe(0);
    expect(en.slope.coef).toBeNaN();
    expect(en.ols.se).toBeNaN();
    expect(en.countries).toEqual([]);
  });

  it("without US ground truth: alignments and ranks, but no gaps and no regression points", () => {
    const ws = handWorkspace();
    const noUs = similarity({ ...ws, ground_truth: ws.ground_truth.filter((g) => g.population !== "US") }, { replicates: 5 });
    expect(noUs.usSimilarity).toEqual([]);
    expect(noUs.gaps).toEqual([]);
    expect(noUs.regressions.every((g) => g.n === 0)).toBe(true);
    expect(cell(noUs, MEDIAN_MODEL, "da", "DK").coef).toBeCloseTo(-0.8, 12);
  });

  it("with no responses: nothing to rank", () => {
    const empty = similarity({ ...handWorkspace(), responses: [] }, { replicates: 5 });
    expect(empty.models).toEqual([]);
    expect(empty.languages).toEqual([]);
    expect(empty.cells).toEqual([]);
    expect(empty.nearest).toEqual([]);
  });
});

describe("on the study's release, against scipy and statsmodels (test/reference/similarity_statsmodels.py)", () => {
  const ref = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/similarity_statsmodels.json"), "utf8"));
  // Point estimates do not depend on the replicates.
  const r = similarity(paperFixture(), { replicates: 2 });

  it("every ρ of the nine models and the median model, per language and country, to 1e-12", () => {
    expect(r.cells).toHaveLength(ref.rho.length);
    for (const e of ref.rho) expect(Math.abs(cell(r, e.model, e.language, e.country).coef - e.rho)).toBeLessThan(1e-12);
  });

  it("every gap and survey similarity to 1e-12", () => {
    expect(r.gaps).toHaveLength(ref.gaps.length);
    for (const e of ref.gaps) expect(Math.abs(gap(r, e.model, e.language, e.country).coef - e.gap)).toBeLessThan(1e-12);
    for (const s of r.usSimilarity) expect(Math.abs(s.rho - ref.similarity[s.country])).toBeLessThan(1e-12);
  });

  it("every regression's slope, intercept, OLS standard error, t interval and R² to 1e-10", () => {
    expect(r.regressions).toHaveLength(ref.regressions.length);
    for (const e of ref.regressions) {
      const g = regression(r, e.model, e.gaps);
      expect(g.n).toBe(e.n);
      expect(g.ols.df).toBe(e.df_resid);
      for (const [ours, theirs] of [
        [g.slope.coef, e.slope],
        [g.intercept.coef, e.intercept],
        [g.ols.se, e.se],
        [g.ols.ci_low, e.ci_low],
        [g.ols.ci_high, e.ci_high],
        [g.ols.r2, e.r2],
      ] as const) {
        expect(Math.abs(ours - theirs)).toBeLessThan(1e-10);
      }
    }
  });

  it("reproduces the issue's first look: Dutch puts the US first and the Netherlands sixth; Portuguese Brazil seventh, Portugal tenth", () => {
    const nearest = (language: string) => r.nearest.find((n) => n.model === MEDIAN_MODEL && n.language === language)!.countries;
    expect(nearest("nl")[0]).toBe("US");
    expect(nearest("nl").indexOf("NL") + 1).toBe(6);
    expect(nearest("pt").indexOf("BR") + 1).toBe(7);
    expect(nearest("pt").indexOf("PT") + 1).toBe(10);
    expect(cell(r, MEDIAN_MODEL, "nl", "US").coef).toBeCloseTo(0.56, 2);
    expect(cell(r, MEDIAN_MODEL, "nl", "NL").coef).toBeCloseTo(0.52, 2);
    expect(cell(r, MEDIAN_MODEL, "en", "DK").coef).toBeCloseTo(0.67, 2);
    expect(cell(r, MEDIAN_MODEL, "da", "DK").coef).toBeCloseTo(0.58, 2);
    const sim = new Map(r.usSimilarity.map((s) => [s.country, s.rho]));
    // The 0.44, 0.54 and 0.89: Nigeria's is 0.4348, which the issue rounded up.
    expect([sim.get("NG"), sim.get("KE"), sim.get("GB")].map((x) => Number(x!.toFixed(3)))).toEqual([0.435, 0.539, 0.887]);
  });
});

describe("the bootstrap", () => {
  const ws = paperFixture();
  const a = similarity(ws, { replicates: 30, seed: 7 });

  it("other seeds and replicates change the intervals, never the point estimates; a seed repeats exactly", () => {
    const b = similarity(ws, { replicates: 20, seed: 8 });
    expect(b.replicates).toBe(20);
    expect(b.method).toMatch(/20 bootstrap replicates resampling items as clusters/);
    expect(b.cells.map((c) => c.coef)).toEqual(a.cells.map((c) => c.coef));
    expect(b.regressions.map((g) => g.slope.coef)).toEqual(a.regressions.map((g) => g.slope.coef));
    expect(b.regressions.map((g) => g.slope.ci_low)).not.toEqual(a.regressions.map((g) => g.slope.ci_low));
    expect(similarity(ws, { replicates: 30, seed: 7 })).toEqual(a);
  });

  it("resamples whole responses when asked, and its band brackets the fitted line", () => {
    const byResponse = similarity(ws, { replicates: 10, seed: 7, unit: "responses" });
    expect(byResponse.unit).toBe("responses");
    expect(byResponse.method).toMatch(/resampling whole responses/);
    const own = regression(a, MEDIAN_MODEL, OWN_LANGUAGE);
    expect(own.n).toBe(12);
    for (const p of own.band) {
      expect(p.ci_low).toBeLessThanOrEqual(p.fit);
      expect(p.ci_high).toBeGreaterThanOrEqual(p.fit);
    }
    expect(own.slope.ci_low).toBeLessThan(own.slope.ci_high);
  });
});

describe("reproduce", () => {
  it("puts it under the key `similarity` of `mca reproduce --json`, with the seed and rounds asked for", async () => {
    process.env.MCA_PAPER_DATA = PAPER_DATA;
    let out = "";
    await reproduceCommand(["--source", "paper", "--rounds", "4", "--seed", "11", "--json", "--parts", "similarity"], (t) => (out += t));
    const parsed = JSON.parse(out);
    expect(parsed.meta.seed).toBe("11");
    expect(parsed.similarity.replicates).toBe(4);
    expect(Object.keys(parsed.similarity)).toEqual([
      "method",
      "unit",
      "replicates",
      "models",
      "languages",
      "countries",
      "cells",
      "nearest",
      "usSimilarity",
      "gaps",
      "regressions",
    ]);
    expect(parsed.similarity.models).toHaveLength(9);
    const direct = reproduceJson(reproduce(paperFixture(), { rounds: 4, seed: 11, parts: ["similarity"] }));
    expect(parsed.similarity).toEqual(JSON.parse(JSON.stringify(direct.similarity)));
  });

  it("prints the median model's nearest countries and the regressions as text", async () => {
    let out = "";
    await reproduceCommand(["--source", "paper", "--rounds", "3", "--parts", "similarity"], (t) => (out += t));
    expect(out).toMatch(/^nl: US 0\.559, CA 0\.551/m);
    expect(out).toMatch(/own\s+12\s+-0\.810/);
  });
});
