/**
 * The components that put the recommended analysis beside the published one, rendered in
 * jsdom: the slope comparison (both analyses, intervals, leave-one-out bands), the US-gap
 * charts, the recommended table (no "Published" column, a "what differs" column), the
 * warning box, the US-bias chart's labels, and the analysis choices' URL parameters.
 */
import { exportsOf, loadComponents } from "../helpers/components.js";
import { describe, expect, it } from "vitest";
import type * as Charts from "../../src/components/recommendedCharts.js";
import type * as Table from "../../src/components/coefficientTable.js";
import type * as UsBias from "../../src/components/usBiasChart.js";
import type * as Choices from "../../src/components/analysisChoices.js";

// The analysis choices (Observable Inputs) also need the DOM's classes and the page's URL.
const c = await loadComponents<typeof Charts & typeof Table & typeof UsBias & typeof Choices>(
  exportsOf(["recommendedCharts", "coefficientTable", "usBiasChart", "analysisChoices"]),
  "http://localhost/us-bias?unit=responses&items=all&baseline=draw-2&metric=nope",
);

const models = [
  { model: "g2", family: "gemma", display_name: "Gemma 2B" },
  { model: "o7", family: "olmo", display_name: "OLMo 7B" },
] as never[];
const est = (coef: number, ci_low: number, ci_high: number) => ({ coef, ci_low, ci_high });
const slope = (family: string, language: string, coef: number, half: number) => ({ family, language, ...est(coef, coef - half, coef + half) });

function svgOf(node: Element): SVGSVGElement {
  return (node.tagName.toLowerCase() === "svg" ? node : node.querySelector("svg[aria-label]"))! as SVGSVGElement;
}

describe("slopeComparisonChart", () => {
  const published = [slope("gemma", "da", 1, 0.1), slope("gemma", "en", 0.6, 0.1), slope("olmo", "da", 0.4, 0.1), slope("olmo", "en", 0.1, 0.05)];
  const recommended = [slope("gemma", "da", 0.1, 0.5), slope("gemma", "en", 0.3, 0.2), slope("olmo", "da", -0.2, 0.9), slope("olmo", "en", 0.2, 0.3)];
  const leaveOut = [
    {
      slopes: [
        { family: "gemma", language: "da", slope: -0.1 },
        { family: "olmo", language: "en", slope: 0.3 },
      ],
    },
    {
      slopes: [
        { family: "gemma", language: "da", slope: 0.4 },
        { family: "olmo", language: "en", slope: 0.1 },
      ],
    },
  ];

  it("draws both analyses with intervals, a zero line and a legend, and describes them", () => {
    const node = c.slopeComparisonChart(published, recommended, { width: 800, leaveOneOut: leaveOut });
    const svg = svgOf(node);
    expect(svg.getAttribute("aria-label")).toBe("Capability slopes as published and recommended");
    expect(svg.getAttribute("aria-description")).toContain("Intervals excluding zero: 4 of 4 as published, 1 of 4 recommended.");
    expect(svg.querySelectorAll("g[aria-label='dot'] path, g[aria-label='dot'] circle").length).toBe(8);
    // Intervals: 4 + 4; leave-one-out bands: 2; the zero rule, once per language.
    expect(svg.querySelectorAll("g[aria-label='rule'] line").length).toBe(4 + 4 + 2 + 2);
    expect(node.textContent).toContain("As published");
    expect(node.textContent).toContain("Recommended");
    expect(node.querySelector("figcaption")?.textContent).toContain("one model at a time is left out");
  });

  it("leaves out the bands and their caption without leave-one-out refits", () => {
    const node = c.slopeComparisonChart(published, recommended, { width: 800 });
    expect(node.querySelector("figcaption")).toBeNull();
    expect(svgOf(node).getAttribute("aria-description")).not.toContain("Light bands");
  });

  it("spans each slope's leave-one-out estimates", () => {
    expect(c.leaveOneOutRanges(leaveOut)).toEqual([
      { family: "gemma", language: "da", min: -0.1, max: 0.4 },
      { family: "olmo", language: "en", min: 0.1, max: 0.3 },
    ]);
    expect(c.leaveOneOutRanges([{ slopes: [{ family: "f", language: "da", slope: NaN }] }])).toEqual([]);
  });
});

describe("US gap charts", () => {
  const published = [
    { model: "g2", language: "en", ...est(0.1, 0.05, 0.15) },
    { model: "o7", language: "en", ...est(0.14, 0.1, 0.18) },
    { model: "g2", language: "da", ...est(-0.1, -0.15, -0.05) },
    { model: "o7", language: "da", ...est(-0.06, -0.1, -0.02) },
  ];
  const gaps = published.map((p) => ({ ...p, coef: p.coef / 2, ci_low: p.coef / 2 - 0.1, ci_high: p.coef / 2 + 0.1, p: 0.3 }));
  const medians = [
    { language: "da", ...est(-0.04, -0.14, 0.06) },
    { language: "en", ...est(0.06, 0.01, 0.16) },
  ];

  it("medianGapChart: the published median β beside the recommended median gap, per language", () => {
    const svg = svgOf(c.medianGapChart(published, gaps, medians, { width: 700 }));
    expect(svg.getAttribute("aria-label")).toBe("Median model's US gap per language, as published and recommended");
    expect(svg.getAttribute("aria-description")).toContain(
      "Danish -0.080 as published, -0.040 [-0.140, 0.060] recommended; English 0.120 as published, 0.060 [0.010, 0.160] recommended.",
    );
    // Each model under both analyses (4 + 4), the two published medians and the two recommended ones.
    expect(svg.querySelectorAll("g[aria-label='dot'] circle, g[aria-label='dot'] path").length).toBe(12);
  });

  it("countryGapChart: countries ordered by the median model's gap, with each model's", () => {
    const rows = [
      { language: "en", country: "GB", ...est(0.02, -0.05, 0.09) },
      { language: "en", country: "NG", ...est(0.37, 0.17, 0.65) },
      { language: "en", country: "NIR", ...est(0.03, -0.05, 0.13) },
    ];
    const byModel = rows.flatMap((r) => ["g2", "o7"].map((model) => ({ ...r, model })));
    const svg = svgOf(c.countryGapChart(rows, byModel, { width: 700 }));
    expect(svg.getAttribute("aria-label")).toBe("US gap against each English-speaking country");
    expect(svg.getAttribute("aria-description")).toMatch(/Nigeria 0\.370 .*; Northern Ireland 0\.030 .*; United Kingdom 0\.020/);
    const ticks = [...svg.querySelectorAll("[aria-label='y-axis tick label'] text")].map((t) => t.textContent);
    expect(ticks).toEqual(["Nigeria", "Northern Ireland", "United Kingdom"]);
  });

  it("usBiasChart draws the recommended gaps under their own name and axis label", () => {
    const node = c.usBiasChart(gaps, { models, width: 900, measure: "gap", ariaLabel: "Recommended US gap by prompt language and model" });
    const svg = svgOf(node);
    expect(svg.getAttribute("aria-label")).toBe("Recommended US gap by prompt language and model");
    expect(svg.getAttribute("aria-description")).toMatch(/^Bar chart of gap for 2 models/);
    expect(svg.textContent).toContain("↑ gap (closer to the US)");
    expect(
      svgOf(
        c.usBiasChart(
          published.map((p) => ({ ...p, p: 0.01 })),
          { models, width: 900 },
        ),
      ).textContent,
    ).toContain("↑ β BiasUS (closer to the US)");
  });
});

describe("tables and notes", () => {
  it("comparisonTable has no Published column, and says what differs row by row", () => {
    const node = c.comparisonTable(
      [
        {
          label: "multilingual:family[gemma]:language[Danish]",
          coef: 0.078,
          se: 0.47,
          ci_low: -0.53,
          ci_high: 1.04,
          p: 0.69,
          verdict: "same sign, no longer significant",
          agree: false,
        },
        { label: "language[Danish]", coef: 0.29, se: 0.17, ci_low: -0.07, ci_high: 0.5, p: 0.0004, verdict: "not in the published analysis" },
      ],
      { note: "100 of 100 bootstrap replicates refitted." },
    );
    const heads = [...node.querySelectorAll("th")].map((t) => t.textContent);
    expect(heads).toEqual(["Term", "Coef.", "SE", "95% CI", "p", "Compared with the published analysis"]);
    expect(node.querySelector("table")!.className).toBe("coef-table recommended-table");
    const cells = [...node.querySelectorAll("tbody tr")].map((tr) => [...tr.querySelectorAll("td")].map((td) => td.textContent));
    expect(cells[0]).toEqual(["multilingual:family[gemma]:language[Danish]", "0.078", "0.470", "[-0.530, 1.040]", "0.690", "same sign, no longer significant"]);
    expect(cells[1]![4]).toBe("<0.001");
    expect((node.querySelector("td.verdict") as HTMLElement).style.fontWeight).toBe("600");
    expect(node.querySelector(".fit-stats")!.textContent).toBe("100 of 100 bootstrap replicates refitted.");
  });

  it("coefficientTable keeps its Published columns for the published analysis", () => {
    const term = { term: "consistency:language[Danish]", coef: 0.5, se: 0.03, z: 18, p: 0, ci_low: 0.45, ci_high: 0.56 };
    const node = c.coefficientTable([term], {
      published: { terms: [{ ...term }], n: null, groups: null, scale: null, llf: null, groupVar: null, groupVarSe: null },
    });
    expect([...node.querySelectorAll("th")].map((t) => t.textContent)).toContain("Published");
  });

  it("warningBox and summaryParagraph render their sentences, or nothing", () => {
    expect(c.warningBox([])).toBeNull();
    const box = c.warningBox(["one", "two"])!;
    expect(box.className).toBe("warning fit-warning");
    expect([...box.querySelectorAll("p")].map((p) => p.textContent)).toEqual(["one", "two"]);
    expect(c.summaryParagraph(["", ""])).toBeNull();
    const summary = c.summaryParagraph(["A.", "", "B."], "notes")!;
    expect(summary.className).toBe("notes");
    expect([...summary.querySelectorAll("p")].map((p) => p.textContent)).toEqual(["A.", "B."]);
  });
});

describe("analysisChoices", () => {
  const ws = {
    responses: [{ model: "g2", language: "da", item: "i1" }],
    models,
    benchmarks: [],
    ground_truth: [],
    items: [],
    populations: [],
    provenance: [],
  } as never;

  it("reads the recommended analysis' unit, items and baseline from the URL; unknown values fall back", () => {
    const form = c.analysisChoices(ws, { unit: true, usBias: true });
    const choices = c.choicesOf(form.value);
    expect(choices.unit).toBe("responses");
    expect(choices.items).toBe("all");
    expect(choices.baseline).toBe("draw-2");
    expect(choices.metric).toBe("spearman");
  });

  it("offers them only when asked, defaulting to the recommended analysis", () => {
    const form = c.analysisChoices(ws);
    expect(Object.keys(form.value)).not.toContain("unit");
    expect(c.choicesOf(form.value)).toMatchObject({ unit: "items", items: "common", baseline: "none" });
  });
});
