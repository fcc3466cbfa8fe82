/**
 * The Prompt language page's charts and sentence, on hand-made numbers: the sentence
 * follows the numbers (counts, the median ratio, which models stay above zero), and the
 * charts draw what they are given, with an empty matrix cell written as "–".
 */
import { describe, expect, it } from "vitest";
import { exportsOf, loadComponents } from "../helpers/components.js";
import type * as Charts from "../../src/components/crossEffectsCharts.js";
import type { ModelGap } from "../../src/lib/analyses/crossEffects/index.js";

const { gapSummary, gapChart, crossMatrixChart } = await loadComponents<typeof Charts>(exportsOf(["crossEffectsCharts"]));

/** The chart's own SVG, the one described for screen readers (a chart with a legend is a figure holding the legend and the plot). */
const plotSvg = (node: Element): Element => (node.tagName.toLowerCase() === "svg" ? node : node.querySelector(":scope > svg[aria-description]")!);

const est = (gap: number, lo: number, hi: number) => ({ within: NaN, between: NaN, gap, coef: gap, se: 0.01, ci_low: lo, ci_high: hi, p: 0.05 });
function modelGap(model: string, withSelf: number, rec: [number, number, number]): ModelGap {
  return {
    model,
    family: "f",
    languages: ["da", "en"],
    withSelfPairs: { within: NaN, between: NaN, gap: withSelf },
    published: { ...est(withSelf, withSelf - 0.01, withSelf + 0.01), rounds: 100 },
    recommended: est(...rec),
  };
}
const models = [
  { model: "a", family: "f", display_name: "Model A" },
  { model: "b", family: "f", display_name: "Model B" },
  { model: "c", family: "f", display_name: "Model C" },
] as never[];

describe("the gap sentence", () => {
  it("counts the falls, gives the median ratio and names the models whose interval stays above zero", () => {
    // Ratios 0.2, 0.5, 1.5: median 0.5; two fall; only B's interval is above zero.
    const gaps = [modelGap("a", 0.1, [0.02, -0.01, 0.05]), modelGap("b", 0.2, [0.1, 0.04, 0.16]), modelGap("c", 0.04, [0.06, -0.02, 0.1])];
    const s = gapSummary(gaps, (m) => m.toUpperCase());
    expect(s).toBe(
      "Without self-pairs the gap is smaller for 2 of 3 models; the median model keeps 0.500 of its gap with self-pairs (the steepest falls: A 0.100 → 0.020, B 0.200 → 0.100). " +
        "Under the recommended analysis, 1 of 3 models have a 95% interval above zero (B).",
    );
  });

  it("says so when no model has a gap (NaN: one language only)", () => {
    expect(gapSummary([modelGap("a", NaN, [NaN, NaN, NaN])], (m) => m)).toMatch(/^No model answered the same items in two or more prompt languages/);
  });
});

describe("the charts", () => {
  it("draws two intervals per model, and a matrix cell per language and country with its value", () => {
    const gaps = [modelGap("a", 0.1, [0.02, -0.01, 0.05]), modelGap("b", 0.2, [0.1, 0.04, 0.16])];
    const chart = gapChart(gaps, { models, width: 640 });
    const svg = plotSvg(chart);
    expect(svg.getAttribute("aria-description")).toContain("Recommended intervals above zero: 1 of 2.");
    expect(svg.querySelectorAll("circle").length).toBe(4);
    const cells = [
      { model: "a", language: "da", country: "DK", home: true, n: 10, ...est(0.6, 0.5, 0.7) },
      { model: "a", language: "en", country: "DK", home: false, n: 10, ...est(0.4, 0.3, 0.5) },
      { model: "a", language: "da", country: "US", home: false, n: 10, ...est(NaN, NaN, NaN) },
      { model: "a", language: "en", country: "US", home: true, n: 10, ...est(0.7, 0.6, 0.8) },
    ];
    const matrix = crossMatrixChart(cells, { metricLabel: "Spearman's ρ", width: 640 });
    const texts = [...plotSvg(matrix).querySelectorAll("text")].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(["0.60", "0.40", "–", "0.70"]));
    expect(plotSvg(matrix).getAttribute("aria-description")).toContain("2 prompt languages by 2 countries");
  });
});
