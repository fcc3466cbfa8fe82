/**
 * The template analysis (docs/adding-a-page.md): each model's and country's mean pro share
 * over the items, worked by hand (counts, a null VPS, an item without survey data, a country
 * with one item, a tie of weights), and its item bootstrap against the exact bootstrap
 * distribution of two items, at several seeds and replicate counts.
 */
import { describe, expect, it } from "vitest";
import { proShare } from "../../../src/lib/analyses/proShare.js";
import { reproduce, reproduceJson } from "../../../src/lib/analyses/reproduce.js";
import type { GroundTruthRow, ResponseRow } from "../../../src/lib/workspace.js";
import { paperFixture } from "../../helpers/paper.js";

const response = (model: string, language: string, item: string, vps: number | null, count = 1): ResponseRow => ({
  model,
  family: "f",
  language,
  item,
  template_id: null,
  topic_id: null,
  prompt: null,
  response_language: language,
  vps,
  count,
});
const truth = (population: string, item: string, pro_score: number): GroundTruthRow => ({ level: "country", population, item, pro_score });

// Model M in English: item i1 has VPS 1 twice and 0 twice (0.5), i2 VPS 1 once (1.0); i3 has no survey data.
const RESPONSES = [
  response("M", "en", "i1", 1, 2),
  response("M", "en", "i1", 0, 2),
  response("M", "en", "i2", 1),
  response("M", "en", "i2", null, 5),
  response("M", "en", "i3", 0, 9),
  response("M", "da", "i1", 0.25),
];
const TRUTH = [truth("X", "i1", 0.2), truth("X", "i2", 0.4), truth("Y", "i1", 0.6), truth("Y", "i2", NaN), truth("Z", "i9", 0.9)];
const row = (r: ReturnType<typeof proShare>, name: string, language: string | null = null) => r.rows.find((x) => x.name === name && x.language === language)!;

describe("pro shares, worked by hand", () => {
  const r = proShare(RESPONSES, TRUTH, { replicates: 50, seed: 1 });

  it("looks at the items with a scored response and a country's pro share", () => {
    expect(r.items).toEqual(["i1", "i2"]);
  });

  it("weights responses by their count within an item, and items equally", () => {
    expect(row(r, "M", "en").share).toBeCloseTo((0.5 + 1) / 2, 12);
    expect(row(r, "M", "en").items).toBe(2);
    expect(row(r, "M", "da")).toMatchObject({ share: 0.25, items: 1 });
  });

  it("gives each country the mean of its shares on those items, skipping NaN and unasked items", () => {
    expect(row(r, "X").share).toBeCloseTo(0.3, 12);
    expect(row(r, "Y")).toMatchObject({ share: 0.6, items: 1 });
    expect(r.rows.some((x) => x.name === "Z")).toBe(false);
  });

  it("has no interval without replicates, and is empty without items", () => {
    const none = proShare(RESPONSES, TRUTH, { replicates: 0, seed: 1 });
    expect(row(none, "M", "en").share).toBeCloseTo(0.75, 12);
    expect(row(none, "M", "en").ci_low).toBeNaN();
    expect(proShare(RESPONSES, [], { replicates: 10, seed: 1 })).toEqual({ items: [], replicates: 10, rows: [] });
  });
});

describe("the item bootstrap", () => {
  // Two items: a replicate draws (i1, i1), (i1, i2) or (i2, i2) with probabilities 1/4, 1/2, 1/4,
  // so M's share is 0.5, 0.75 or 1: the 2.5% and 97.5% quantiles are 0.5 and 1, the SD sqrt(1/32).
  for (const [seed, replicates] of [
    [1, 4000],
    [7, 3000],
    ["other", 5000],
  ] as const) {
    it(`matches the exact distribution (seed ${seed}, ${replicates} replicates)`, () => {
      const m = row(proShare(RESPONSES, TRUTH, { replicates, seed }), "M", "en");
      expect(m.ci_low).toBe(0.5);
      expect(m.ci_high).toBe(1);
      expect(m.se).toBeCloseTo(Math.sqrt(1 / 32), 2);
    });
  }

  it("is reproducible by seed, and differs between seeds", () => {
    const a = proShare(RESPONSES, TRUTH, { replicates: 30, seed: 3 });
    expect(proShare(RESPONSES, TRUTH, { replicates: 30, seed: 3 })).toEqual(a);
    expect(row(proShare(RESPONSES, TRUTH, { replicates: 30, seed: 4 }), "X").se).not.toBe(row(a, "X").se);
  });
});

describe("on the study's release", () => {
  it("is the registered part proShare of mca reproduce --json, models in the models table's order", async () => {
    const ws = await paperFixture();
    const json = reproduceJson(reproduce(ws, { rounds: 20, seed: 2, parts: ["proShare"] }));
    expect(Object.keys(json)).toEqual(["meta", "proShare"]);
    const rows = json.proShare!.rows;
    const countries = rows.filter((r) => r.kind === "country");
    expect(countries.length).toBeGreaterThan(10);
    for (const r of rows) expect(r.share).toBeGreaterThanOrEqual(0);
    const models = rows.filter((r) => r.kind === "model" && r.language === "en").map((r) => r.name);
    expect(models.indexOf("gemma-2-2b-it")).toBeLessThan(models.indexOf("gemma-2-27b-it"));
  });
});
