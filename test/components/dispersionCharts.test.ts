/**
 * The dispersion components rendered in jsdom from a small result: the ratio chart leaves out
 * cells it cannot draw on a log scale and says how many intervals lie above and below 1, the
 * item scatter draws only items with both variances, and the sentences count the intervals.
 */
import { describe, expect, it } from "vitest";
import type { DispersionCell, DispersionItem } from "../../src/lib/analyses/dispersion.js";
import type * as Charts from "../../src/components/dispersionCharts.js";
import { exportsOf, loadComponents } from "../helpers/components.js";

const c = await loadComponents<typeof Charts>(exportsOf(["dispersionCharts"]));

const cell = (model: string, language: string, ratio: number, ci_low: number, ci_high: number): DispersionCell => ({
  model,
  family: "f",
  language,
  level: "language",
  population: language,
  items: 20,
  responses: 150,
  assumed: 1,
  observed: 0.02 * ratio,
  expected: 0.02,
  ratio,
  ci_low,
  ci_high,
  se: 0.1,
  p: 0.02,
});
const cells = [
  cell("m1", "da", 2.5, 1.8, 3.4),
  cell("m2", "da", 0.7, 0.5, 0.9),
  cell("m1", "en", 1.1, 0.8, 1.6),
  cell("m2", "en", 0, 0, 0),
  cell("m3", "en", NaN, NaN, NaN),
];
const models = [
  { model: "m1", display_name: "Model one", family: "f" },
  { model: "m2", display_name: "Model two", family: "f" },
];

describe("dispersionChart", () => {
  it("draws a dot per drawable ratio, a panel title per language, and counts intervals above and below 1", () => {
    const node = c.dispersionChart(cells, { models, panel: (x) => `${x.language} panel`, width: 600 });
    const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!;
    expect(svg.querySelectorAll("circle")).toHaveLength(3);
    const texts = [...svg.querySelectorAll("text")].map((t) => t.textContent);
    expect(texts).toEqual(expect.arrayContaining(["da panel", "en panel"]));
    // The log axis in plain numbers (0.7, not Plot's SI "700m").
    expect(texts).toEqual(expect.arrayContaining(["0.7", "1", "2", "3"]));
    expect(texts.filter((t) => /\dm$/.test(t ?? ""))).toEqual([]);
    expect(svg.getAttribute("aria-description")).toMatch(/3 ratios in 2 panels.*1 intervals lie wholly above 1.*1 wholly below/);
  });
});

describe("itemScatter", () => {
  const item = (it: string, observed: number, expected: number): DispersionItem => ({
    model: "m1",
    language: "da",
    level: "language",
    population: "da",
    item: it,
    responses: 5,
    mean: 0.4,
    pro_share: 0.5,
    summaries: 10,
    observed,
    expected,
    ratio: observed / expected,
  });
  it("draws the items with both variances and says how many lie above the diagonal", () => {
    const node = c.itemScatter([item("a", 0.04, 0.025), item("b", 0.01, 0.025), item("c", NaN, 0.02)], { width: 500, itemName: (i) => `item ${i}` });
    const svg = node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]")!;
    expect(svg.querySelectorAll("circle")).toHaveLength(2);
    expect(svg.getAttribute("aria-description")).toMatch(/Scatter of 2 items: 1 lie above the diagonal/);
    expect(svg.querySelector("circle title")?.textContent).toMatch(/^item a \(Danish, da\): observed 0\.0400/);
  });
});

describe("dispersionSentences", () => {
  it("count the intervals above, below and across 1, and give the range", () => {
    const [count, range] = c.dispersionSentences(cells, (m) => `model ${m}`);
    expect(count).toMatch(/^Of 4 model × language × population cells, 1 spread .* 2 less .* and 1 are not distinguishable/);
    expect(range).toBe("The ratios run from 0.00 (model m2 in English) to 2.50 (model m1 in Danish).");
    expect(c.dispersionSentences([cell("m3", "en", NaN, NaN, NaN)], (m) => m)).toEqual([]);
  });
});
