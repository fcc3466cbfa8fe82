/**
 * The unpublished-analyses components in jsdom: the difference chart leaves estimates without
 * a value out, the threshold chart draws one dot per defined ρ, and the sentences count
 * intervals above, below and across zero, and say when there is nothing to count.
 */
import { describe, expect, it } from "vitest";
import type { ThresholdEntry } from "../../src/lib/analyses/unpublished/index.js";
import type * as Charts from "../../src/components/unpublishedCharts.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const c = await loadComponents<typeof Charts>(exportsOf(["unpublishedCharts"]));

const est = (coef: number, ci_low: number, ci_high: number) => ({ coef, se: 0.05, ci_low, ci_high, p: 0.05 });
const rows = [
  { label: "Denmark (Danish)", ...est(0.05, -0.05, 0.13) },
  { label: "Kenya (English)", ...est(-0.31, -0.59, -0.11) },
  { label: "Brazil (Portuguese)", ...est(0.16, 0.001, 0.29) },
  { label: "Nowhere", ...est(NaN, NaN, NaN) },
];
const entry = (language: string, t: number, rho: number, shift: number): ThresholdEntry => ({
  model: "median model",
  language,
  t,
  rho: est(rho, rho - 0.1, rho + 0.1),
  shift: est(shift, shift - 0.2, shift - 0.05),
});

describe("differenceChart", () => {
  it("draws one dot per estimate with a value, against zero", () => {
    const node = c.differenceChart(rows, { width: 500, label: "Difference", ariaLabel: "Test differences" });
    expect(node.querySelectorAll("circle")).toHaveLength(3);
    const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!;
    expect(svg.getAttribute("aria-label")).toBe("Test differences");
    expect(node.textContent).not.toMatch(/Nowhere/);
  });
});

describe("sentences", () => {
  it("count the intervals above, below and across zero, naming the countries", () => {
    expect(c.countSentence(rows, "countries", "the median model")).toBe(
      "For the median model, 1 of 3 countries have a 95% interval above zero (Brazil (Portuguese)), 1 below zero (Kenya (English)) and 1 include zero.",
    );
    expect(c.countSentence([rows[3]!], "countries", "m")).toBe("No countries have an estimate for m in these data.");
    expect(c.verdict(rows[1]!)).toBe("interval below zero");
    expect(c.verdict(rows[3]!)).toBe("no interval");
  });

  it("give each language's items, ρ and, below t = 0.5, the shift from every item", () => {
    const entries = [entry("da", 0.5, 0.58, 0), entry("da", 0.3, 0.57, -0.04), entry("en", 0.3, NaN, NaN)];
    const items = [
      { language: "da", t: 0.3, items: 22, of: 32 },
      { language: "en", t: 0.3, items: 1, of: 32 },
    ];
    expect(c.thresholdSentences(entries, items, 0.3, "the median model")).toEqual([
      "Danish prompts (the median model): 22 of 32 items, ρ 0.57 [0.47, 0.67]; change from every item -0.04 [-0.24, -0.09], interval below zero.",
      "English prompts (the median model): 1 of 32 items at t = 0.3, too few for an alignment.",
    ]);
    expect(c.thresholdSentences(entries, items, 0.5, "m")[0]).toBe("Danish prompts (m): no items, ρ 0.58 [0.48, 0.68].");
  });
});

describe("thresholdChart", () => {
  it("draws one dot per defined ρ and marks the chosen t", () => {
    const node = c.thresholdChart([entry("da", 0.5, 0.58, 0), entry("da", 0.3, 0.57, -0.04), entry("en", 0.5, 0.67, 0), entry("en", 0.1, NaN, NaN)], {
      width: 500,
      t: 0.3,
    });
    expect(node.querySelectorAll("circle")).toHaveLength(3);
    expect(node.querySelector("figcaption")?.textContent).toMatch(/t = 0\.5 keeps every item/);
  });
});
