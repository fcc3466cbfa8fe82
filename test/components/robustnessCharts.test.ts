/**
 * The robustness page's charts: claim shares labelled "k of n" with a legend beside the
 * colours, the specification curve over the claim's scope only, the strip of choices
 * derived from CHOICES and aligned under the curve, and the seed chart with its count
 * of slopes that keep sign and significance.
 */
import { exportsOf, loadComponents } from "../helpers/components.js";
import { describe, expect, it } from "vitest";
import type * as Charts from "../../src/components/robustnessCharts.js";
import type { Claim, ClaimResult, ClaimSummary } from "../../src/lib/robustness/multiverse.js";
import type { SeedSlopes } from "../../src/lib/robustness/inference.js";
import { CHOICE_KEYS, CHOICES, specifications, type Specification } from "../../src/lib/robustness/specs.js";

const { choiceList, claimShares, claimScope, curvePoints, curveRange, specCurve, specChoices, stripRows, stripMarks, seedChart, seedStability, SHARE_BANDS } =
  await loadComponents<typeof Charts>(exportsOf(["robustnessCharts"]));

const plotSvg = (node: Element) => (node.tagName.toLowerCase() === "svg" ? node : node.querySelector(":scope > svg"))! as SVGSVGElement;

// A small workspace's specifications: two models, two languages, two items, two seeds.
const ws = {
  responses: ["m1", "m2"].flatMap((model) => ["da", "en"].flatMap((language) => ["i1", "i2"].map((item) => ({ model, language, item })))),
  ground_truth: [{ item: "i1" }, { item: "i2" }],
} as never;
const specList = specifications(ws, { rounds: 20, seeds: 2 });
const specs = new Map<string, Specification>(specList.map((s) => [s.id, s]));
const slopeClaim: Claim = { id: "slope-all:gemma", kind: "slope-all", family: "gemma", text: "gemma: capability predicts alignment in every language" };
const biasClaim: Claim = { id: "usbias:da", kind: "usbias", language: "da", direction: 1, text: "Danish prompts: the median model is closer to the US" };

/** A result per specification: estimates spread by index, the claim holding above 0.1; out-of-scope specifications give null as evaluate does. */
function resultsFor(claim: Claim): ClaimResult[] {
  const scope = claimScope(claim);
  return specList.map((s, i) => {
    const applies = s.scope === "both" || s.scope === scope;
    const estimate = ((i * 37) % 101) / 100 - 0.3;
    return {
      claim: claim.id,
      spec: s.id,
      holds: applies ? estimate > 0.1 : null,
      estimate: applies ? estimate : NaN,
      low: estimate - 0.1,
      high: estimate + 0.1,
    };
  });
}

describe("claim shares", () => {
  const summaries: ClaimSummary[] = [
    { claim: slopeClaim, specifications: 40, applicable: 38, holds: 37, share: 37 / 38 },
    { claim: biasClaim, specifications: 40, applicable: 40, holds: 3, share: 3 / 40 },
    { claim: { ...biasClaim, id: "usbias:en", text: "English prompts" }, specifications: 40, applicable: 20, holds: 12, share: 0.6 },
  ];
  const chart = claimShares(summaries, { width: 800 });
  const svg = plotSvg(chart);

  it("labels every bar with k of n distinct results", () => {
    expect(svg.getAttribute("aria-label")).toBe("Share of distinct results in which each claim holds");
    expect(svg.getAttribute("aria-description")).toBe(`${slopeClaim.text}: 37 of 38; ${biasClaim.text}: 3 of 40; English prompts: 12 of 20`);
    const labels = [...svg.querySelectorAll("text")].map((t) => t.textContent);
    for (const l of ["37 of 38", "3 of 40", "12 of 20"]) expect(labels).toContain(l);
  });

  it("names its colour bands in a legend, one colour per band", () => {
    const legend = chart.textContent ?? "";
    for (const band of SHARE_BANDS) expect(legend).toContain(band);
    const fills = [...svg.querySelectorAll("g[aria-label='bar'] rect")].map((r) => r.getAttribute("fill"));
    expect(fills).toHaveLength(3);
    expect(new Set(fills).size).toBe(3);
  });
});

describe("the specification curve", () => {
  it("keeps only the specifications of the claim's scope, sorted by estimate", () => {
    const rq1 = curvePoints(resultsFor(slopeClaim), specs, "rq1");
    expect(rq1.length).toBeGreaterThan(10);
    expect(rq1.every((p) => ["rq1", "both"].includes(specs.get(p.spec)!.scope))).toBe(true);
    expect(rq1.some((p) => specs.get(p.spec)!.group === "rq1-grid")).toBe(true);
    expect(rq1.some((p) => specs.get(p.spec)!.group === "rq2-grid")).toBe(false);
    expect(rq1.map((p) => p.rank)).toEqual(rq1.map((_, i) => i));
    for (let i = 1; i < rq1.length; i++) expect(rq1[i]!.estimate).toBeGreaterThanOrEqual(rq1[i - 1]!.estimate);
    const rq2 = curvePoints(resultsFor(biasClaim), specs, "rq2");
    expect(rq2.some((p) => specs.get(p.spec)!.group === "rq2-grid")).toBe(true);
    expect(rq2.some((p) => specs.get(p.spec)!.scope === "rq1")).toBe(false);
  });

  it("rings the recommended analysis and tells holding from failing by shape as well as colour", () => {
    const points = curvePoints(resultsFor(slopeClaim), specs, "rq1");
    const chart = specCurve(points, { width: 800, title: slopeClaim.text });
    const svg = plotSvg(chart);
    const reference = points.find((p) => p.group === "reference")!;
    expect(svg.getAttribute("aria-description")).toContain(
      `The recommended analysis (ringed) is at rank ${reference.rank + 1} of ${points.length}, where the claim ${reference.verdict}`,
    );
    expect(svg.getAttribute("aria-description")).toContain(`the claim holds in ${points.filter((p) => p.holds).length}.`);
    expect(svg.querySelectorAll("circle[r='8']")).toHaveLength(1);
    const shapes = new Set([...svg.querySelectorAll("g[aria-label='dot'] path")].map((p) => p.getAttribute("d")?.slice(0, 12)));
    expect(shapes.size).toBe(2);
    expect(chart.textContent).toContain("does not hold");
  });
});

describe("the strip of choices", () => {
  it("has one row per non-recommended value of each choice in the scope, from CHOICES", () => {
    for (const scope of ["rq1", "rq2"] as const) {
      const rows = stripRows(scope);
      const keys = CHOICE_KEYS.filter((k) => CHOICES[k].scope === scope || CHOICES[k].scope === "both");
      expect(rows.length).toBe(keys.reduce((n, k) => n + Object.keys(CHOICES[k].values).length - 1, 0) + 4);
      for (const k of CHOICE_KEYS) {
        const row = `${CHOICES[k].label}: ${Object.values(CHOICES[k].values).at(-1)}`;
        expect(rows.includes(row)).toBe(keys.includes(k));
      }
    }
  });

  it("marks what each specification changes, under its dot", () => {
    const points = curvePoints(resultsFor(biasClaim), specs, "rq2");
    const marks = stripMarks(points, specs);
    const baseline = specList.find(
      (s) => s.group === "rq2-grid" && s.baseline === "study" && s.metric === "pearson" && s.unit === "items" && s.items === "common",
    )!;
    const at = points.find((p) => p.spec === baseline.id)!.rank;
    expect(
      marks
        .filter((m) => m.rank === at)
        .map((m) => m.row)
        .sort(),
    ).toEqual(["baseline subtracted: the study's draw", "metric: Pearson's r"]);
    const left = points.find((p) => specs.get(p.spec)!.group === "leave-model-out")!;
    expect(marks.filter((m) => m.rank === left.rank)).toEqual([{ rank: left.rank, row: "without one model", value: specs.get(left.spec)!.exclude.models![0] }]);
    expect(marks.filter((m) => m.rank === points.find((p) => p.group === "reference")!.rank)).toEqual([]);
    expect(new Set(marks.map((m) => m.row)).size).toBeLessThanOrEqual(stripRows("rq2").length);
    for (const m of marks) expect(stripRows("rq2")).toContain(m.row);

    // The strip's ticks sit at the x of the curve's dots.
    const curve = plotSvg(specCurve(points, { width: 700, title: "x" }));
    const strip = plotSvg(specChoices(points, specs, "rq2", { width: 700 }));
    // Dots are drawn in rank order, each translated to its place.
    const dotX = [...curve.querySelectorAll("g[aria-label='dot'] path")].map((d) =>
      Number(/translate\(([-\d.]+)/.exec(d.getAttribute("transform") ?? "")?.[1]),
    );
    expect(dotX).toHaveLength(points.length);
    const ticks = [...strip.querySelectorAll("g[aria-label='tick'] line")];
    expect(ticks).toHaveLength(marks.length);
    marks.forEach((m, i) => {
      expect(Math.abs(Number(ticks[i]!.getAttribute("x1")) - dotX[m.rank]!)).toBeLessThan(0.5);
    });
  });
});

describe("seeds of the published analysis", () => {
  const slope = (language: string, value: number, p: number) => ({
    family: "gemma",
    language,
    term: `multilingual:family[gemma]:language[${language}]`,
    slope: value,
    se: 0.1,
    p,
    ci_low: value - 0.2,
    ci_high: value + 0.2,
    starred: p < 0.05 && value > 0,
  });
  const seeds: SeedSlopes[] = [1, 2, 3].map((seed) => ({
    seed,
    slopes: [
      slope("da", 0.5 + seed / 100, 0.001),
      slope("en", 0.1, seed === 2 ? 0.04 : 0.2),
      slope("nl", -0.3, 0.01),
      ...(seed === 3 ? [] : [slope("pt", 0.2, 0.3)]),
    ],
  }));

  it("counts the slopes that keep sign and significance in every seed", () => {
    const s = seedStability(seeds);
    expect(s).toEqual({ stable: 2, total: 4, changing: ["multilingual:family[gemma]:language[en]", "multilingual:family[gemma]:language[pt]"] });
  });

  it("draws every seed, the published values as crosses, and says which rows change", () => {
    const published = new Map([["multilingual:family[gemma]:language[da]", 0.55]]);
    const svg = plotSvg(seedChart(seeds, published, { width: 800 }));
    expect(svg.getAttribute("aria-description")).toContain("Crosses mark the published table's values.");
    expect(svg.getAttribute("aria-description")).toContain("changes between seeds for: gemma · English, gemma · Portuguese.");
    const dots = [...svg.querySelectorAll("g[aria-label='dot']")];
    expect(dots.map((g) => g.querySelectorAll("circle, path").length)).toEqual([7, 4, 1]);
    expect([...svg.querySelectorAll("text")].filter((t) => t.textContent === "changes")).toHaveLength(2);
  });
});

describe("the list of choices", () => {
  it("lists every choice of CHOICES with its URL parameter and the recommended value", () => {
    const items = [...choiceList().querySelectorAll("li")].map((li) => li.textContent ?? "");
    expect(items).toHaveLength(CHOICE_KEYS.length);
    for (const [i, k] of CHOICE_KEYS.entries()) {
      expect(items[i]).toContain(`URL “${CHOICES[k].param}”`);
      expect(items[i]).toMatch(/\(recommended\)/);
    }
  });
});

describe("the curve's range", () => {
  it("keeps every estimate and zero, and clips only the widest intervals", () => {
    const points = curvePoints(resultsFor(slopeClaim), specs, "rq1").map((p, i) => (i === 0 ? { ...p, low: -50 } : p));
    const [lo, hi] = curveRange(points);
    expect(lo).toBeGreaterThan(-50);
    expect(lo).toBeLessThanOrEqual(Math.min(0, ...points.map((p) => p.estimate)));
    expect(hi).toBeGreaterThanOrEqual(Math.max(0, ...points.map((p) => p.estimate)));
    expect(plotSvg(specCurve(points, { width: 800, title: "x" })).getAttribute("aria-description")).toMatch(/ [1-9]\d* intervals reach beyond the chart\.$/);
  });
});

describe("phone widths", () => {
  it("gives wrapped claims taller rows and keeps room for the seeds' dots", () => {
    const summaries: ClaimSummary[] = Array.from({ length: 4 }, (_, i) => ({
      claim: { ...biasClaim, id: `c${i}`, text: `${biasClaim.text}'s own countries, claim ${i}` },
      specifications: 9,
      applicable: 9,
      holds: i,
      share: i / 9,
    }));
    const height = (width: number) => Number(plotSvg(claimShares(summaries, { width })).getAttribute("height"));
    expect(height(343)).toBeGreaterThan(height(1000));
    const seeds: SeedSlopes[] = [1, 2].map((seed) => ({
      seed,
      slopes: [
        { family: "olmo", language: "pt", term: "t", slope: seed === 1 ? -0.2 : 0.2, se: 0.1, p: 0.5, ci_low: -0.3, ci_high: 0.3, starred: false },
        { family: "olmo", language: "da", term: "u", slope: 0.05, se: 0.1, p: 0.5, ci_low: -0.1, ci_high: 0.2, starred: false },
      ],
    }));
    const svg = plotSvg(seedChart(seeds, null, { width: 343 }));
    const xs = [...svg.querySelectorAll("g[aria-label='dot'] circle")].map((c) => Number(c.getAttribute("cx")));
    expect(Math.max(...xs) - Math.min(...xs)).toBeGreaterThan(120);
    expect([...svg.querySelectorAll("g[aria-label='text'] text")].map((t) => t.textContent)).toEqual(["changes", "same"]);
  });
});
