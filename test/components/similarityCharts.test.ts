/**
 * The "whose opinions" components rendered in jsdom from a small result: the heatmap leaves
 * undefined cells out, the ranked table lists each language's countries from the nearest,
 * the scatter draws only the fitted countries, and the sentences say how sure each claim is.
 */
import { describe, expect, it } from "vitest";
import type { GapRegression, SimilarityCell, SimilarityGap } from "../../src/lib/analyses/similarity.js";
import type * as Charts from "../../src/components/similarityCharts.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const c = await loadComponents<typeof Charts>(exportsOf(["similarityCharts"]));

const est = (coef: number, ci_low = coef - 0.1, ci_high = coef + 0.1) => ({ coef, se: 0.05, ci_low, ci_high, p: 0.01 });
const cell = (language: string, country: string, coef: number, rank: number, rank_low: number, rank_high: number): SimilarityCell => ({
  model: "median model",
  language,
  country,
  ...est(coef),
  rank,
  rank_low,
  rank_high,
});
const cells = [
  cell("nl", "US", 0.56, 1, 1, 3),
  cell("nl", "NL", 0.5, 2.5, 1, 3),
  cell("nl", "DK", 0.5, 2.5, 2, 3),
  cell("nl", "XX", NaN, NaN, NaN, NaN),
  cell("da", "DK", 0.6, 1, 1, 1),
  cell("da", "US", 0.4, 2, 2, 2),
];
const gap = (country: string, coef: number, similarity: number): SimilarityGap => ({
  model: "median model",
  language: "en",
  country,
  similarity,
  ...est(coef),
});
const regression = (n: number, slope: [number, number, number]): GapRegression => ({
  model: "median model",
  gaps: "own",
  countries: ["GB", "NG", "KE"].slice(0, n),
  n,
  slope: est(...slope),
  intercept: est(0.7),
  ols: { se: 0.1, ci_low: slope[0] - 0.3, ci_high: slope[0] + 0.3, r2: 0.8, df: n - 2 },
  band: [0.4, 0.9].map((x) => ({ x, fit: 0.7 + slope[0] * x, ci_low: 0.6 + slope[0] * x, ci_high: 0.8 + slope[0] * x })),
});

describe("similarityHeatmap", () => {
  it("draws one cell per defined ρ, with its value, in the country order given", () => {
    const node = c.similarityHeatmap(cells, { countries: ["US", "DK", "NL", "XX"], width: 600 });
    const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!;
    expect(svg.getAttribute("aria-label")).toBe("Alignment by prompt language and country");
    expect(svg.querySelectorAll("rect[fill]").length).toBeGreaterThanOrEqual(5);
    const texts = [...svg.querySelectorAll("text")].map((t) => t.textContent);
    expect(texts).toContain("0.56");
    expect(texts).not.toContain("NaN");
    expect(svg.querySelector("[aria-description]")?.getAttribute("aria-description") ?? svg.getAttribute("aria-description")).toMatch(
      /Highest: Danish prompts with Denmark, 0\.60/,
    );
  });
});

describe("nearestTable", () => {
  it("lists each language's countries from the nearest, ties by name, with the places' interval", () => {
    const table = c.nearestTable(cells);
    const rows = [...table.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent));
    expect([...table.querySelectorAll("th")].map((t) => t.textContent)).toEqual(["Place", "Danish prompts", "Dutch prompts"]);
    expect(rows).toEqual([
      ["1", "Denmark 0.60 (places 1)", "United States 0.56 (places 1–3)"],
      ["2", "United States 0.40 (places 2)", "Denmark 0.50 (places 2–3)"],
      ["3", "", "Netherlands 0.50 (places 1–3)"],
    ]);
  });
});

describe("gapScatter", () => {
  it("draws the fitted countries with their labels, the line and its band", () => {
    const node = c.gapScatter([gap("GB", 0.02, 0.89), gap("NG", 0.37, 0.43), gap("KE", 0.31, 0.54), gap("PT", 0.1, 0.75)], regression(3, [-0.8, -1.5, -0.2]), {
      width: 500,
    });
    const labels = [...node.querySelectorAll("text")].map((t) => t.textContent);
    expect(labels).toEqual(expect.arrayContaining(["GB", "NG", "KE"]));
    expect(labels).not.toContain("PT");
    expect(node.querySelectorAll("circle")).toHaveLength(3);
    expect(node.querySelector("figcaption")?.textContent).toMatch(/95% bootstrap band/);
  });
});

describe("sentences", () => {
  const own = new Map([
    ["NL", "nl"],
    ["DK", "da"],
    ["US", "en"],
  ]);
  it("say which country is nearest and how settled its place is", () => {
    const [da, nl] = c.nearestSentences(cells, own, "the median model");
    expect(da).toMatch(
      /^Danish prompts \(the median model\): nearest is Denmark, ρ 0\.60 \[0\.50, 0\.70\], first of 2 in 95% of the bootstrap replicates\. Its own country ranks Denmark 1/,
    );
    expect(nl).toMatch(
      /nearest is United States, ρ 0\.56 .*first of 3 on the full data, but anywhere from place 1 to 3 in 95% of the bootstrap replicates\. Its own country ranks Netherlands 2\.5 \(95% interval of places 1–3\)/,
    );
    expect(c.nearestSentences([cell("pt", "US", 0.5, 1, 1, 1)], own, "m")[0]).toMatch(/No surveyed country has it as its language/);
  });

  it("give the slope with both intervals and say whether the bootstrap one excludes zero", () => {
    expect(c.regressionSentence(regression(12, [-0.81, -1.51, -0.22]), "the median model")).toMatch(
      /^Over 12 countries, each country's gap in its own language \(the median model\) changes by -0\.81 .*\[-1\.51, -0\.22\].*lies below zero/,
    );
    expect(c.regressionSentence(regression(12, [0.1, -0.2, 0.4]), "m")).toMatch(/includes zero/);
    expect(c.regressionSentence(regression(2, [NaN, NaN, NaN]), "m")).toMatch(/^Too few countries \(2\)/);
  });
});
