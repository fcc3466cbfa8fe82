/**
 * The study's unpublished analyses (src/lib/analyses/unpublished/): a workspace worked by
 * hand (ties, a VPS that is not scored, a response judged in another language, a model
 * without English answers, a country whose only item nobody was asked, restricted items,
 * thresholds on their boundaries), the study's release against scipy
 * (test/reference/unpublished_reference.py), the bootstrap under other seeds, replicates and
 * units, and the `unpublished` key of `mca reproduce --json`.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../../loaders/paths.js";
import { reproduce, reproduceJson } from "../../../src/lib/analyses/reproduce.js";
import { unpublished, type UnpublishedResult } from "../../../src/lib/analyses/unpublished/index.js";
import { isExtreme } from "../../../src/lib/analyses/unpublished/threshold.js";
import type { Workspace } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const MEDIAN = "median model";
const R = 2 / Math.sqrt(5); // Spearman of four values against two tied pairs in the same order

function handWorkspace(): Workspace {
  const vps: Record<string, number[]> = {
    "m1/en": [0.1, 0.2, 0.3, 0.4, 0.5],
    "m1/da": [0.4, 0.3, 0.2, 0.1],
    "m2/en": [0.1, 0.1, 0.2, 0.2],
    "m2/da": [0.2, 0.2, 0.1, 0.1],
    "m3/da": [0.1, 0.2, 0.3, 0.4],
    "Baseline_uniform_random/en": [0.4, 0.3, 0.2, 0.1],
    "Baseline_uniform_random/da": [0.1, 0.2, 0.3, 0.4],
  };
  const responses = Object.entries(vps).flatMap(([k, values]) => {
    const [model, language] = k.split("/") as [string, string];
    return values.map((v, i) => ({
      model,
      family: "f",
      language,
      item: `i${i + 1}`,
      template_id: null,
      topic_id: null,
      prompt: null,
      response_language: language,
      vps: v,
    }));
  });
  // Neither counts: a VPS that is not defined, and a Danish prompt answered in English.
  responses.push({ ...responses[0]!, vps: null as unknown as number });
  responses.push({ ...responses[5]!, language: "da", response_language: "en", vps: 0.9 });
  const truth = (level: "country" | "language", population: string, shares: Record<string, number>) =>
    Object.entries(shares).map(([item, pro_score]) => ({ level, population, item, pro_score }));
  return {
    responses,
    ground_truth: [
      ...truth("country", "US", { i1: 0.1, i2: 0.2, i3: 0.3, i4: 0.4 }),
      ...truth("country", "GB", { i1: 0.1, i2: 0.2, i3: 0.4, i4: 0.3, i5: 0.9 }),
      ...truth("country", "DK", { i1: 0.4, i2: 0.3, i3: 0.2, i4: 0.1 }),
      ...truth("country", "FO", { i9: 0.5 }),
      ...truth("language", "en", { i1: 0.1, i2: 0.5, i3: 0.7, i4: 0.9 }),
      ...truth("language", "da", { i1: 0.3, i2: 0.4, i3: 0.6, i4: 0.95 }),
    ],
    benchmarks: [],
    models: [],
    items: [],
    populations: [
      { level: "country", population: "US", language: "en" },
      { level: "country", population: "GB", language: "en" },
      { level: "country", population: "DK", language: "da" },
      { level: "country", population: "FO", language: "da" },
    ],
    provenance: [],
  } as unknown as Workspace;
}

const find = <T extends { model: string }>(list: T[], model: string, where: (e: T) => boolean) => list.find((e) => e.model === model && where(e))!;

describe("unpublished analyses worked by hand", () => {
  const r = unpublished(handWorkspace(), { replicates: 30, seed: 3 });

  it("monocultural: native minus English on the country's items, NaN without English answers or items", () => {
    const dk = (m: string) => find(r.monocultural, m, (e) => e.country === "DK");
    expect(dk("m1").native).toBeCloseTo(1, 12);
    expect(dk("m1").english).toBeCloseTo(-1, 12);
    expect(dk("m1").coef).toBeCloseTo(2, 12);
    expect(dk("m2").coef).toBeCloseTo(2 * R, 12);
    expect(dk("m3").coef).toBeNaN();
    expect(dk(MEDIAN).coef).toBeCloseTo((2 + 2 * R) / 2, 12);
    expect(find(r.monocultural, MEDIAN, (e) => e.country === "FO").coef).toBeNaN();
    expect(r.monocultural.some((e) => e.country === "GB" || e.country === "US")).toBe(false);
  });

  it("cultural transfer: the country minus the US on the items both have; a country with none is left out", () => {
    const at = (m: string, c: string) => find(r.transfer, m, (e) => e.country === c);
    expect(at("m1", "DK").coef).toBeCloseTo(2, 12);
    expect(at("m3", "DK").coef).toBeCloseTo(-2, 12);
    // GB's fifth item (not in the US) is left out: ρ = 0.8, not the 0.9 of all five.
    expect(at("m1", "GB").own).toBeCloseTo(0.8, 12);
    expect(at("m1", "GB").coef).toBeCloseTo(-0.2, 12);
    expect(at("m2", "GB").coef).toBeCloseTo(0, 12);
    expect(at(MEDIAN, "GB").coef).toBeCloseTo(-0.1, 12);
    expect(at(MEDIAN, "DK").coef).toBeCloseTo(2 * R, 12);
    expect(at("m1", "GB").items).toBe(4);
    expect(r.transfer.some((e) => e.country === "FO" || e.country === "US")).toBe(false);
  });

  it("relative to the baseline: the model minus the baseline in the country's language", () => {
    const at = (m: string, c: string) => find(r.aboveBaseline, m, (e) => e.country === c);
    expect(r.baselines).toEqual(["Baseline_uniform_random"]);
    expect(at("m1", "DK").coef).toBeCloseTo(2, 12);
    expect(at("m2", "DK").coef).toBeCloseTo(R + 1, 12);
    expect(at("m3", "DK").coef).toBeCloseTo(0, 12);
    expect(at(MEDIAN, "DK").coef).toBeCloseTo(R + 1, 12);
    expect(at(MEDIAN, "US").coef).toBeCloseTo((2 + R + 1) / 2, 12);
    expect(r.baselineAlignment.find((e) => e.country === "US")!.coef).toBeCloseTo(-1, 12);
  });

  it("threshold: items at or beyond t on either side, bounds included; one item gives no ρ", () => {
    const items = (l: string) => r.threshold.items.filter((e) => e.language === l).map((e) => e.items);
    expect(items("en")).toEqual([4, 3, 3, 2, 2]);
    expect(items("da")).toEqual([4, 4, 2, 1, 1]);
    expect(r.threshold.items.every((e) => e.of === 4)).toBe(true);
    expect(isExtreme(0.7, 0.3) && isExtreme(0.3, 0.3) && !isExtreme(0.31, 0.3) && isExtreme(0.5, 0.5)).toBe(true);
    const at = (m: string, l: string, t: number) => find(r.threshold.entries, m, (e) => e.language === l && e.t === t);
    expect(at("m1", "en", 0.5).rho.coef).toBeCloseTo(1, 12);
    expect(at("m2", "en", 0.5).rho.coef).toBeCloseTo(R, 12);
    // i1, i3, i4 at t = 0.3 (0.7 is on the bound): m2's VPS 0.1, 0.2, 0.2 against 0.1, 0.7, 0.9.
    expect(at("m2", "en", 0.3).rho.coef).toBeCloseTo(Math.sqrt(3) / 2, 12);
    expect(at("m2", "en", 0.3).shift.coef).toBeCloseTo(Math.sqrt(3) / 2 - R, 12);
    expect(at("m1", "da", 0.2).rho.coef).toBeNaN();
    expect(at("m1", "en", 0.5).shift).toMatchObject({ coef: 0, ci_low: 0, ci_high: 0 });
  });
});

describe("unpublished analyses on the study's release", () => {
  const ws = paperFixture();
  const r = unpublished(ws, { replicates: 40, seed: 1 });
  const expected = JSON.parse(readFileSync(join(REPO_ROOT, "test/reference/expected/unpublished.json"), "utf8"));
  const close = (a: number, b: number | null) => (b === null || Number.isNaN(b) ? expect(a).toBeNaN() : expect(a).toBeCloseTo(b, 12));

  it("matches scipy on every point estimate (1e-12)", () => {
    expect(r.monocultural.length).toBe(4 * 10);
    expect(r.transfer.length).toBe(12 * 10);
    for (const e of r.monocultural) {
      const x = expected.monocultural[e.country];
      close(e.coef, x.diff[e.model]);
      if (e.model !== MEDIAN) close(e.native, x.native[e.model]);
    }
    for (const e of r.transfer) {
      close(e.coef, expected.transfer[e.country].diff[e.model]);
      expect(e.items).toBe(expected.transfer[e.country].items);
    }
    for (const e of r.aboveBaseline) close(e.coef, expected.above[`${e.country}/${e.baseline}`].diff[e.model]);
    for (const e of r.baselineAlignment) close(e.coef, expected.above[`${e.country}/${e.baseline}`].baseline_rho);
    for (const e of r.threshold.entries) {
      const x = expected.threshold[`${e.language}/${e.t}`];
      close(e.rho.coef, x.rho[e.model]);
      close(e.shift.coef, x.shift[e.model]);
    }
    for (const e of r.threshold.items) expect(e.items).toBe(expected.threshold[`${e.language}/${e.t}`].items);
  });

  it("bootstrap: other seeds move the intervals, not the estimates; other units and replicates are honoured", () => {
    const other = unpublished(ws, { replicates: 40, seed: 2 });
    const responses = unpublished(ws, { replicates: 20, seed: 1, unit: "responses" });
    const key = (e: UnpublishedResult["transfer"][number]) => `${e.model}/${e.country}`;
    const byKey = (res: UnpublishedResult) => new Map(res.transfer.map((e) => [key(e), e]));
    const a = byKey(r);
    const b = byKey(other);
    const c = byKey(responses);
    for (const [k, e] of a) {
      expect(b.get(k)!.coef).toBe(e.coef);
      expect(c.get(k)!.coef).toBe(e.coef);
    }
    expect([...a].some(([k, e]) => b.get(k)!.ci_low !== e.ci_low)).toBe(true);
    expect(responses.replicates).toBe(20);
    expect(responses.method).toContain("whole responses");
    expect(r.method).toContain("items as clusters");
    for (const e of r.transfer) if (Number.isFinite(e.ci_low)) expect(e.ci_low).toBeLessThanOrEqual(e.ci_high);
  });

  it("is the `unpublished` key of `mca reproduce --json`", () => {
    const json = reproduceJson(reproduce(ws, { rounds: 10, seed: 1, parts: ["unpublished"] }));
    expect(Object.keys(json).sort()).toEqual(["meta", "unpublished"]);
    expect(json.unpublished!.replicates).toBe(10);
    expect(json.unpublished!.threshold.thresholds).toEqual([0.5, 0.4, 0.3, 0.2, 0.1]);
  });
});
