/**
 * The recommended analysis: bootstrap estimates worked by hand, the RQ1 fit on one
 * observation per cell against lme4, US-bias gaps on a hand-built workspace, and
 * intervals that do not narrow as replicates are added (50 against 200), unlike the
 * published analysis'.
 */
import { csvParse } from "d3-dsv";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { reproduce } from "../../../src/lib/analyses/reproduce.js";
import { withBaselines } from "../../../src/lib/analyses/context.js";
import { mixedLm } from "../../../src/lib/mixed.js";
import { bootstrapEstimate, bootstrapQuantile, intervalSign } from "../../../src/lib/recommended/estimate.js";
import { recommended } from "../../../src/lib/recommended/index.js";
import { RECOMMENDED_RQ1_FORMULAS, type CellFormula } from "../../../src/lib/recommended/rq1.js";
import { commonItems, comparedItems, recommendedUsBias } from "../../../src/lib/recommended/usbias.js";
import type { Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

describe("bootstrap estimates", () => {
  it("take percentiles at position (B + 1)·q, between order statistics (Davison & Hinkley; Hyndman & Fan type 6)", () => {
    const draws = Array.from({ length: 99 }, (_, i) => i + 1);
    expect(bootstrapQuantile(draws, 0.025)).toBe(2.5);
    expect(bootstrapQuantile(draws, 0.975)).toBe(97.5);
    expect(bootstrapQuantile(draws, 0.5)).toBe(50);
    expect(bootstrapQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(bootstrapQuantile([7], 0.025)).toBe(7);
    expect(bootstrapQuantile([], 0.5)).toBeNaN();
  });

  it("are the point estimate with the draws' SD, numpy-style percentiles and a two-sided p with the +1 correction", () => {
    const draws = [0.1, 0.2, 0.3, 0.4, -0.1];
    const e = bootstrapEstimate(0.25, draws);
    expect(e.coef).toBe(0.25);
    // mean 0.18; squared deviations 0.0064 + 0.0004 + 0.0144 + 0.0484 + 0.0784 = 0.148; / 4 = 0.037.
    expect(e.se).toBeCloseTo(Math.sqrt(0.037), 14);
    // Sorted -0.1, 0.1, 0.2, 0.3, 0.4: the 2.5% point is at position (5 + 1) × 0.025 = 0.15, clamped to the
    // smallest draw; the 97.5% at 5.85, clamped to the largest.
    expect(e.ci_low).toBe(-0.1);
    expect(e.ci_high).toBe(0.4);
    // One draw at or below zero: p = 2 × (1 + 1) / (5 + 1).
    expect(e.p).toBeCloseTo(4 / 6, 14);
    expect(bootstrapEstimate(1, [1, 2, 3, 4, 5, 6, 7, 8, 9]).p).toBeCloseTo(0.2, 14);
  });

  it("leave out failed draws, and are undefined with fewer than two or a NaN point", () => {
    expect(bootstrapEstimate(0.5, [NaN, 0.4, 0.6]).se).toBeCloseTo(Math.sqrt(0.02), 14);
    expect(bootstrapEstimate(0.5, [0.4]).se).toBeNaN();
    expect(bootstrapEstimate(NaN, [0.4, 0.5]).ci_low).toBeNaN();
    expect(intervalSign({ ci_low: 0.01, ci_high: 0.2 })).toBe(1);
    expect(intervalSign({ ci_low: -0.2, ci_high: -0.01 })).toBe(-1);
    expect(intervalSign({ ci_low: -0.2, ci_high: 0.01 })).toBe(0);
    expect(intervalSign({ ci_low: NaN, ci_high: NaN })).toBe(0);
  });
});

describe("RQ1 on one observation per cell, against lme4 (test/reference/rq1_cells_lme4.R)", () => {
  const ref = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/rq1_cells_lme4.json"), "utf8"));
  const rows = csvParse(readFileSync(join(REPO_ROOT, "test/reference/fixtures/rq1_cells.csv"), "utf8"));
  const frame = {
    alignment: Float64Array.from(rows, (r) => Number(r.alignment)),
    consistency: Float64Array.from(rows, (r) => Number(r.consistency)),
    multilingual: Float64Array.from(rows, (r) => Number(r.multilingual)),
    family: rows.map((r) => r.family!),
    language: rows.map((r) => r.language!),
    model: rows.map((r) => r.model!),
  };
  for (const formula of ["language_intercepts", "family_language_intercepts", "no_intercept"] as CellFormula[]) {
    it(`${formula}: coefficients to 1e-6, model variance to 1e-4 relative, REML log-likelihood to 1e-7`, () => {
      const fit = mixedLm(RECOMMENDED_RQ1_FORMULAS[formula], frame, "model");
      const r = ref[formula];
      const byTerm = new Map(fit.coefficients.map((c) => [c.term, c.coef]));
      r.patsy_name.forEach((term: string, i: number) => {
        expect(Math.abs(byTerm.get(term)! - r.global_fit.coef[i])).toBeLessThan(1e-6);
      });
      expect(Math.abs(fit.llf - r.global_fit.logLik)).toBeLessThan(1e-7);
      expect(Math.abs(fit.groupVar / r.global_fit.group_var - 1)).toBeLessThan(1e-4);
      expect(Math.abs(fit.scale / r.global_fit.resid_var - 1)).toBeLessThan(1e-6);
      // lme4's default optimiser reaches the same optimum (or a worse one, never a better one).
      expect(r.default_fit.logLik).toBeLessThanOrEqual(fit.llf + 1e-7);
    });
  }

  it("the cells are the full-data values the recommended analysis fits", () => {
    const rec = recommended(withBaselines(paperFixture(), 1).workspace, { replicates: 2, parts: ["rq1"] });
    const coef = new Map(rec.rq1!.language_intercepts!.terms.map((t) => [t.term, t.coef]));
    const r = ref.language_intercepts;
    r.patsy_name.forEach((term: string, i: number) => {
      expect(Math.abs(coef.get(term)! - r.global_fit.coef[i])).toBeLessThan(1e-6);
    });
  });
});

/** A workspace worked by hand: one model answering four items in Danish; the US and Denmark, Denmark without item i5. */
function handWorkspace(): Workspace {
  const vps = { i1: 0.1, i2: 0.2, i3: 0.3, i4: 0.4, i5: 0.9 };
  const response = (item: string, v: number) => ({
    model: "m",
    family: "f",
    language: "da",
    item,
    template_id: null,
    topic_id: null,
    prompt: null,
    response_language: "da",
    vps: v,
  });
  const truth = (population: string, item: string, pro_score: number) => ({ level: "country" as const, population, item, pro_score });
  return {
    responses: Object.entries(vps).flatMap(([item, v]) => [response(item, v), response(item, v)]),
    ground_truth: [
      ...["i1", "i2", "i3", "i4", "i5"].map((item, k) => truth("US", item, [0.1, 0.2, 0.3, 0.4, 0.05][k]!)),
      ...["i1", "i2", "i3", "i4"].map((item, k) => truth("DK", item, [0.4, 0.3, 0.2, 0.1][k]!)),
    ],
    benchmarks: [],
    models: [{ model: "m", display_name: "m", family: "f", size: null }],
    items: [],
    populations: [
      { level: "country", population: "US", language: "en" },
      { level: "country", population: "DK", language: "da" },
    ],
    provenance: [],
  } as unknown as Workspace;
}

describe("US-centric bias on common items, without a baseline", () => {
  it("compares the US with the language's countries on the items all of them have", () => {
    const ws = handWorkspace();
    expect(commonItems(ws)).toEqual([{ language: "da", countries: ["US", "DK"], items: ["i1", "i2", "i3", "i4"], leftOut: ["i5"] }]);
    expect(comparedItems(ws, "all")[0]).toMatchObject({ items: ["i1", "i2", "i3", "i4", "i5"], leftOut: [] });
  });

  it("gives the gap worked by hand: ρ = 1 with the US, −1 with Denmark, so 2; with every item, the US's ρ falls", () => {
    const common = recommendedUsBias(handWorkspace(), { replicates: 20 });
    expect(common.gaps).toHaveLength(1);
    expect(common.gaps[0]!.coef).toBeCloseTo(2, 12);
    expect(common.median[0]!.coef).toBeCloseTo(2, 12);
    expect(common.byCountry[0]).toMatchObject({ country: "DK" });
    expect(common.byCountry[0]!.coef).toBeCloseTo(2, 12);
    // All items: with the US, the VPS (0.1 … 0.4, 0.9) against (0.1 … 0.4, 0.05): ranks 1..5 against 2..5, 1: ρ = 0.
    const all = recommendedUsBias(handWorkspace(), { replicates: 20, items: "all" });
    expect(all.gaps[0]!.coef).toBeCloseTo(0 - -1, 12);
  });
});

describe("intervals do not narrow as replicates grow; the published analysis' do", () => {
  const ws = withBaselines(paperFixture(), 1).workspace;
  const meanWidth = (terms: Array<{ term: string; ci_low: number; ci_high: number }>) => {
    const slopes = terms.filter((t) => t.term.startsWith("multilingual"));
    return slopes.reduce((s, t) => s + (t.ci_high - t.ci_low), 0) / slopes.length;
  };

  it("RQ1 and US bias: recommended widths at 200 replicates within 25% of those at 50; the published ones about halve", () => {
    const at = (n: number) => recommended(ws, { replicates: n, seed: 3 });
    const [r50, r200] = [at(50), at(200)];
    const rq1 = meanWidth(r200.rq1!.language_intercepts!.terms) / meanWidth(r50.rq1!.language_intercepts!.terms);
    expect(rq1).toBeGreaterThan(0.75);
    expect(rq1).toBeLessThan(1.25);
    const gap = (r: typeof r50) => r.usBias!.median.reduce((s, m) => s + (m.ci_high - m.ci_low), 0);
    expect(gap(r200) / gap(r50)).toBeGreaterThan(0.75);
    expect(gap(r200) / gap(r50)).toBeLessThan(1.25);
    const published = (n: number) => meanWidth(reproduce(ws, { rounds: n, seed: 3, parts: ["rq1"] }).rq1!);
    // 1/√4: the study's standard errors treat rounds as observations.
    expect(published(200) / published(50)).toBeLessThan(0.6);
  });
});
