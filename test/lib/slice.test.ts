/** Slices and the summaries the Explore and Questions pages draw. */
import { describe, expect, it } from "vitest";
import { countryName, countryNumeric } from "../../src/lib/countries.js";
import { answeringModels, countryTruths, EMPTY_SLICE, itemPoints, referencePopulations, sliceResponses, vpsBoxes } from "../../src/lib/slice.js";
import { paperFixture } from "../helpers/paper.js";
import { aggregateResponses } from "../../src/lib/aggregate.js";
import { totalCount, type GroundTruthRow, type ResponseRow } from "../../src/lib/workspace.js";

describe("slices of the paper workspace", () => {
  const ws = paperFixture();

  it("keep everything with empty filters, and combine filters with AND", () => {
    expect(sliceResponses(ws, EMPTY_SLICE)).toHaveLength(ws.responses.length);
    const pt4o = sliceResponses(ws, { ...EMPTY_SLICE, languages: ["pt"], models: ["gpt-4o"] });
    expect(pt4o).toHaveLength(224);
    const f = sliceResponses(ws, { ...EMPTY_SLICE, categories: ["F"], families: ["gemma"] });
    expect(f.length).toBeGreaterThan(0);
    expect(f.every((r) => r.item.startsWith("f") && r.family === "gemma")).toBe(true);
    expect(sliceResponses(ws, { ...EMPTY_SLICE, models: ["no-such-model"] })).toHaveLength(0);
  });

  it("slice the aggregated responses (what the pages load) to the same number of responses", () => {
    const agg = { ...ws, responses: aggregateResponses(ws.responses) };
    expect(agg.responses.length).toBeLessThan(ws.responses.length);
    for (const s of [EMPTY_SLICE, { ...EMPTY_SLICE, languages: ["pt"], models: ["gpt-4o"] }, { ...EMPTY_SLICE, categories: ["F"], families: ["gemma"] }]) {
      expect(totalCount(sliceResponses(agg, s))).toBe(sliceResponses(ws, s).length);
    }
    expect(totalCount(sliceResponses(agg, { ...EMPTY_SLICE, languages: ["pt"], models: ["gpt-4o"] }))).toBe(224);
  });

  it("average VPS per item, model and language against one population's ground truth", () => {
    const rows = sliceResponses(ws, { ...EMPTY_SLICE, languages: ["da"], models: ["gpt-4o"], items: ["f120"] });
    const points = itemPoints(rows, ws.ground_truth, "country", "DK");
    expect(points).toHaveLength(1);
    const mean = rows.reduce((a, r) => a + r.vps!, 0) / rows.length;
    expect(points[0]!.vps).toBeCloseTo(mean, 12);
    expect(points[0]!.responses).toBe(rows.length);
    expect(points[0]!.groundTruth).toBe(ws.ground_truth.find((g) => g.level === "country" && g.population === "DK" && g.item === "f120")!.pro_score);
    // Items without ground truth in the population are left out.
    expect(itemPoints(sliceResponses(ws, { ...EMPTY_SLICE, items: ["e225"] }), ws.ground_truth, "global", "global")).toEqual([]);
  });

  it("names the populations to compare with, per level and language", () => {
    expect(referencePopulations("country", "da", ws.populations)).toEqual(["DK", "US"]);
    expect(referencePopulations("country", "en", ws.populations)).toEqual(["AU", "CA", "GB", "KE", "NG", "NIR", "NZ", "SG", "US"]);
    expect(referencePopulations("language", "nl", ws.populations)).toEqual(["nl", "en"]);
    expect(referencePopulations("language", "en", ws.populations)).toEqual(["en"]);
    expect(referencePopulations("global", "pt", ws.populations)).toEqual(["global"]);
  });

  it("lists each item's ground truth per country with the country's language", () => {
    const rows = countryTruths(ws, ["f120"]);
    expect(rows).toHaveLength(13);
    expect(rows.find((r) => r.country === "BR")!.language).toBe("pt");
    expect(countryTruths(ws, ["f120"], ["DK", "NL"])).toHaveLength(2);
  });

  it("orders models as the models table, baselines last", () => {
    const models = answeringModels(ws);
    expect(models.slice(-2)).toEqual(["Baseline_uniform_random", "Baseline_fifty_percent"]);
    expect(models[0]).toBe("OLMo-2-1124-7B-Instruct");
  });
});

describe("countries", () => {
  it("map survey codes to names and world-atlas ids", () => {
    expect(countryName("DK")).toBe("Denmark");
    expect(countryNumeric("DK")).toBe("208");
    expect(countryName("NIR")).toBe("Northern Ireland");
    expect(countryNumeric("NIR")).toBeUndefined();
    expect(countryName("XX")).toBe("XX");
  });
});

describe("box summaries", () => {
  it("give quartiles, median and 1.5 × IQR whiskers, by hand", () => {
    const base = { family: "f", item: "x", template_id: null, topic_id: null, prompt: null, response_language: "da", language: "da", model: "m" };
    const values = [0, 0.4, 0.45, 0.5, 0.5, 0.55, 0.6, 1];
    const [box] = vpsBoxes([...values.map((vps) => ({ ...base, vps })), { ...base, vps: null }]);
    // sorted: 0, .4, .45, .5, .5, .55, .6, 1 → q1 at h = 1.75: .4 + .75 × .05; q3 at 5.25: .55 + .25 × .05
    expect(box!.n).toBe(8);
    expect(box!.q1).toBeCloseTo(0.4375, 12);
    expect(box!.median).toBeCloseTo(0.5, 12);
    expect(box!.q3).toBeCloseTo(0.5625, 12);
    // IQR 0.125: whiskers within [0.25, 0.75] → 0.4 and 0.6; 0 and 1 lie outside.
    expect(box!.low).toBe(0.4);
    expect(box!.high).toBe(0.6);
  });
});

describe("slices of aggregated rows", () => {
  it("give the same item means and VPS boxes as the rows they aggregate", async () => {
    const { createRng } = await import("../../src/lib/random.js");
    const rng = createRng(4, "slice-counts");
    const rows: ResponseRow[] = Array.from({ length: 400 }, (_, i) => ({
      model: `m${i % 3}`,
      family: "f",
      language: i % 2 ? "da" : "en",
      item: `i${rng.int(4)}`,
      template_id: null,
      topic_id: null,
      prompt: null,
      response_language: i % 2 ? "da" : "en",
      vps: [0, 0.1, 0.5, 0.7, 1][rng.int(5)]!,
    }));
    const gt: GroundTruthRow[] = ["i0", "i1", "i2", "i3"].map((item, k) => ({ level: "language", population: "da", item, pro_score: k / 4 }));
    const agg = aggregateResponses(rows);
    const sort = <T extends object>(xs: T[]) => [...xs].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const a = sort(itemPoints(rows, gt, "language", "da"));
    const b = sort(itemPoints(agg, gt, "language", "da"));
    expect(b.map((p) => p.responses)).toEqual(a.map((p) => p.responses));
    b.forEach((p, i) => {
      expect(p.vps).toBeCloseTo(a[i]!.vps, 12);
    });
    expect(sort(vpsBoxes(agg))).toEqual(sort(vpsBoxes(rows)));
  });
});
