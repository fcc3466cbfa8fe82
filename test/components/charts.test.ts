/**
 * Layout of the Explore and Questions charts at phone and desktop widths, and the
 * Questions map's handling of countries the 1:110m shapes lack (Singapore).
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { exportsOf, loadComponents } from "../helpers/components.js";
import type * as Labels from "../../src/components/chartLabels.js";
import type * as Explore from "../../src/components/exploreCharts.js";
import type * as Items from "../../src/components/itemModels.js";
import type * as WorldMap from "../../src/components/worldMap.js";
import type * as Countries from "../../src/lib/countries.js";

const components = await loadComponents<typeof Explore & typeof Labels & typeof Items & typeof WorldMap & Pick<typeof Countries, "countryNumeric">>(
  `${exportsOf(["exploreCharts", "chartLabels", "itemModels", "worldMap"])}\nexport { countryNumeric } from "./src/lib/countries.ts";`,
);
const {
  countryTruthChart,
  facetLabelLayout,
  rowLabelMargin,
  vpsDistribution,
  vpsScatter,
  itemModels,
  countryFeatures,
  mapPlacement,
  worldMap,
  SMALL_COUNTRIES,
  countryNumeric,
} = components;

const world = JSON.parse(readFileSync(join(process.cwd(), "node_modules", "world-atlas", "countries-110m.json"), "utf8"));
const models = [
  { model: "olmo-7b", family: "olmo", display_name: "OLMo-2 7B" },
  { model: "gpt-4o", family: "openai", display_name: "GPT-4o" },
  { model: "uniform", family: "Baseline", display_name: "Uniform-random baseline" },
] as never[];
const languages = ["da", "en", "nl", "pt"];
const longName = "Government has the right: Monitor all e-mails and any other information exchanged on the Internet";

function marginLeft(svg: Element): number {
  // The frame's left edge: where the x axis's first tick sits.
  const ticks = [...svg.querySelectorAll("[aria-label='x-axis tick'] path")];
  const x = ticks.map((t) => Number(/translate\(([\d.]+)/.exec(t.getAttribute("transform") ?? "")?.[1]));
  return Math.min(...x);
}

function plotSvg(node: Element): SVGSVGElement {
  return (node.tagName.toLowerCase() === "svg" ? node : node.querySelector(":scope > svg"))! as SVGSVGElement;
}

describe("row and facet label margins", () => {
  it("caps a left margin by the chart's width", () => {
    expect(rowLabelMargin([longName], 1000)).toBeLessThanOrEqual(450);
    expect(rowLabelMargin([longName], 343)).toBeLessThanOrEqual(155);
    expect(rowLabelMargin(["GPT-4o"], 343)).toBeLessThan(60);
  });
  it("keeps language labels upright where they fit and turns them where they would not", () => {
    expect(facetLabelLayout(["Portuguese"], 1000, 150)).toMatchObject({ tickRotate: 0 });
    expect(facetLabelLayout(["Portuguese"], 1000, 150).marginRight).toBeGreaterThanOrEqual(60);
    expect(facetLabelLayout(["Portuguese"], 343, 150)).toMatchObject({ tickRotate: 90 });
  });
});

describe("Explore charts", () => {
  const items = Array.from({ length: 12 }, (_, i) => `i${i}`);
  const itemNames = new Map(items.map((i) => [i, `${longName} ${i}`]));
  const truths = items.flatMap((item, i) =>
    ["DK", "NL", "GB"].map((country, j) => ({ item, country, language: ["da", "nl", "en"][j]!, pro_score: ((i + j) % 10) / 10 })),
  );

  it("keeps a plot area on a phone: item labels above the rows", () => {
    const chart = countryTruthChart(truths as never, [], { models, itemNames, width: 343 });
    const svg = plotSvg(chart);
    expect(svg.getAttribute("aria-label")).toBe("Ground truth per item across countries");
    expect(marginLeft(svg)).toBeLessThan(40);
    expect(svg.querySelector("[aria-label='y-axis tick label']")).toBeNull();
    expect(chart.querySelector("[aria-label='Interview language colours: Danish, Dutch, English']")).not.toBeNull();
  });

  it("puts item labels beside the rows on a desktop, in a margin under half the width", () => {
    const svg = plotSvg(countryTruthChart(truths as never, [], { models, itemNames, width: 1000 }));
    expect(marginLeft(svg)).toBeGreaterThan(200);
    expect(marginLeft(svg)).toBeLessThanOrEqual(450);
  });

  it("gives the scatter a legend of model names", () => {
    const points = models.map((m, i) => ({ model: (m as { model: string }).model, item: "i0", language: "da", vps: i / 3, groundTruth: 0.5, responses: 4 }));
    const chart = vpsScatter(points as never, "Danish speakers", { models, itemNames, width: 800 });
    const legend = chart.querySelector("[aria-label^='Model colours']");
    expect(legend?.textContent).toContain("Uniform-random baseline");
    expect(legend?.textContent).toContain("GPT-4o");
    expect(plotSvg(chart).getAttribute("aria-description")).toContain("Spearman");
  });

  it("fills the scatter's dots translucent, sized by answers, and says what it draws", () => {
    const points = [1, 4, 100].map((responses, i) => ({ model: "gpt-4o", item: `i${i}`, language: "da", vps: 0.5, groundTruth: 0.5, responses }));
    const chart = vpsScatter(points as never, "Danish speakers", { models, itemNames, width: 800 });
    const dots = [...plotSvg(chart).querySelectorAll("circle")];
    expect(dots).toHaveLength(3);
    // Filled at 35% opacity, no hollow rings; radius 1.5 + 0.5 √answers.
    const group = dots[0]!.parentElement!;
    expect(group.getAttribute("fill-opacity")).toBe("0.35");
    expect(dots.every((d) => d.getAttribute("fill") && d.getAttribute("stroke") === null)).toBe(true);
    expect(dots.map((d) => Number(d.getAttribute("r"))).sort((a, b) => a - b)).toEqual([2, 2.5, 6.5]);
    const note = chart.querySelector("figcaption")?.textContent ?? "";
    expect(note).toContain("Drawn: 3 dots, one per model, item and language, filled at 35% opacity");
    expect(note).toContain("(1 to 100)");
  });

  it("sizes the VPS distribution's margins to its labels", () => {
    const responses = languages.flatMap((language) =>
      models.flatMap((m) => [0.2, 0.5, 0.8].map((vps) => ({ model: (m as { model: string }).model, language, item: "i0", vps }))),
    );
    for (const width of [343, 1000]) {
      const svg = plotSvg(vpsDistribution(responses as never, { models, width }));
      const labels = [...svg.querySelectorAll("[aria-label='y-axis tick label'] text")].map((t) => t.textContent);
      expect(labels).toContain("Uniform-random baseline");
      const fy = svg.querySelector("[aria-label='fy-axis tick label'] text");
      expect(fy?.getAttribute("transform") ?? "").toMatch(width < 500 ? /rotate\(90\)/ : /^(?!.*rotate)/);
    }
  });
});

describe("Questions' model chart", () => {
  it("fits the model and language names at phone and desktop widths", () => {
    const points = languages.flatMap((language) =>
      models.map((m) => ({ model: (m as { model: string }).model, item: "f120", language, vps: 0.5, groundTruth: 0.5, responses: 5 })),
    );
    const speakers = languages.map((language) => ({ language, pro_score: 0.4 }));
    for (const width of [343, 430, 800]) {
      const svg = plotSvg(itemModels(points as never, speakers, { models, width }));
      expect(svg.getAttribute("aria-label")).toBe("Model answers to this item by prompt language");
      expect(marginLeft(svg)).toBeGreaterThanOrEqual(23 * 5.6);
    }
  });
});

describe("the world map", () => {
  const scores = [
    { country: "DK", pro_score: 0.84 },
    { country: "NG", pro_score: 0.04 },
    { country: "SG", pro_score: 0.17 },
    { country: "NIR", pro_score: 0.39 },
  ];

  it("knows a position for every country the 1:110m shapes lack", () => {
    const { ids } = countryFeatures(world);
    expect(ids.has(countryNumeric("SG")!)).toBe(false);
    expect(SMALL_COUNTRIES.SG).toEqual([103.8, 1.4]);
    const placed = mapPlacement(scores, ids);
    expect([...placed.shapes.values()].map((s) => s.country).sort()).toEqual(["DK", "NG"]);
    expect(placed.dots.map((s) => s.country)).toEqual(["SG"]);
    expect(placed.within.map((s) => s.country)).toEqual(["NIR"]);
    expect(placed.missing).toEqual([]);
  });

  it("converts the topology once", () => {
    expect(countryFeatures(world)).toBe(countryFeatures(world));
  });

  it("draws Singapore as a dot, lists it under the map, and names its legend", () => {
    const figure = worldMap(world, scores, { itemName: "Justifiable: Abortion", width: 640 });
    const svg = figure.querySelector(":scope > svg")!;
    expect(svg.getAttribute("aria-label")).toBe("World map: Justifiable: Abortion");
    expect(svg.getAttribute("aria-description")).toContain("Singapore 0.17");
    const dots = svg.querySelectorAll("circle");
    expect(dots).toHaveLength(1);
    expect(dots[0]!.querySelector("title")?.textContent).toBe("Singapore: 0.170");
    const caption = figure.querySelector("figcaption")?.textContent ?? "";
    expect(caption).toContain("Northern Ireland (within United Kingdom on the map): 0.390");
    expect(caption).toContain("Singapore (a dot on the map");
    expect(figure.querySelector("[aria-label^='Colour legend: share of respondents on the pro side']")).not.toBeNull();
  });

  it("keeps the lowest share's colour clear of white", () => {
    const figure = worldMap(world, scores, { itemName: "x", width: 640 });
    const nigeria = [...figure.querySelectorAll("path")].find((p) => p.querySelector("title")?.textContent === "Nigeria: 0.040");
    const fill = nigeria?.getAttribute("fill") ?? "";
    const [r, g, b] = (fill.match(/\d+/g) ?? []).map(Number);
    expect(Math.min(r!, g!, b!)).toBeLessThan(200);
  });

  it("lists the countries too small to see on the map (Denmark, the Netherlands) with their values, and no large one", () => {
    const figure = worldMap(world, [...scores, { country: "NL", pro_score: 0.5 }, { country: "BE", pro_score: 0.25 }, { country: "PT", pro_score: 0.6 }], {
      itemName: "x",
      width: 640,
    });
    const caption = figure.querySelector("figcaption")?.textContent ?? "";
    expect(caption).toMatch(/^Small on the map: Belgium 0\.250, Denmark 0\.840, Netherlands 0\.500, Portugal 0\.600;/);
    expect(caption).not.toContain("Nigeria");
    // Without a small surveyed country there is no such line.
    const big = worldMap(world, [{ country: "NG", pro_score: 0.04 }], { itemName: "x", width: 640 });
    expect(big.querySelector("figcaption")).toBeNull();
  });

  it("gives every value a keyboard-reachable table behind a disclosure, highest first, Northern Ireland by name", () => {
    const figure = worldMap(world, scores, { itemName: "x", width: 640 });
    const details = figure.querySelector("details.world-map-values")!;
    expect(details.querySelector("summary")?.textContent).toBe("Every country's value on the map (4), as a table");
    const rows = [...details.querySelectorAll("tbody tr")].map((r) => [...r.children].map((c) => c.textContent));
    expect(rows).toEqual([
      ["Denmark", "0.840"],
      ["Northern Ireland", "0.390"],
      ["Singapore", "0.170"],
      ["Nigeria", "0.040"],
    ]);
    expect(details.querySelector("tbody th")?.getAttribute("scope")).toBe("row");
  });
});
