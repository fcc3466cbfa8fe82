/**
 * The Explore page's charts: model answers against the survey per item, each item's
 * ground truth across countries, and each model's VPS distribution per language.
 */
import * as Plot from "npm:@observablehq/plot";
import { spearman } from "../lib/correlation.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { vpsBoxes, type CountryTruth, type ItemPoint } from "../lib/slice.js";
import type { ModelRow, ResponseRow } from "../lib/workspace.js";
import { displayNames, modelColors } from "./palette.js";
import { chartWidth } from "./width.js";

export interface ExploreOptions {
  models: readonly ModelRow[];
  itemNames: Map<string, string>;
  width?: number;
}

/** Mean VPS per item and model against the item's ground truth in one population. */
export function vpsScatter(points: readonly ItemPoint[], populationLabel: string, options: ExploreOptions): SVGSVGElement | HTMLElement {
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const modelIds = options.models.map((m) => m.model).filter((m) => points.some((p) => p.model === m));
  const rho = spearman(points.map((p) => p.vps), points.map((p) => p.groundTruth));
  return Plot.plot({
    width: chartWidth(options.width),
    height: 360,
    ariaLabel: `Model answers against the survey, per item (${populationLabel})`,
    ariaDescription:
      `${points.length} points: mean value polarity score of a model's answers to an item against the share of ` +
      `${populationLabel} on the item's pro side. Spearman's rho over all points: ${Number.isFinite(rho) ? rho.toFixed(2) : "undefined"}.`,
    x: { domain: [0, 1], label: `Survey: share pro (${populationLabel}) →`, grid: true },
    y: { domain: [0, 1], label: "↑ Models: mean VPS", grid: true },
    color: { domain: modelIds, range: modelIds.map((m) => colors.get(m) ?? "#888") },
    marks: [
      Plot.link([{ x1: 0, y1: 0, x2: 1, y2: 1 }], { x1: "x1", y1: "y1", x2: "x2", y2: "y2", strokeDasharray: "4,4", strokeOpacity: 0.5 }),
      Plot.dot(points, {
        x: "groundTruth",
        y: "vps",
        stroke: "model",
        r: (p: ItemPoint) => Math.sqrt(p.responses) + 1,
        title: (p: ItemPoint) =>
          `${options.itemNames.get(p.item) ?? p.item} (${p.item})\n${names.get(p.model) ?? p.model}, ${languageName(p.language)}: ` +
          `VPS ${p.vps.toFixed(2)} over ${p.responses} answers; survey ${p.groundTruth.toFixed(2)}`,
      }),
    ],
  });
}

/** Each item's ground truth in every country, coloured by the country's language. */
export function countryTruthChart(rows: readonly CountryTruth[], highlight: readonly string[], options: ExploreOptions): SVGSVGElement | HTMLElement {
  const items = [...new Set(rows.map((r) => r.item))];
  const label = (item: string) => {
    const name = options.itemNames.get(item) ?? item;
    return name.length > 48 ? `${name.slice(0, 46)}…` : name;
  };
  const data = rows.map((r) => ({ ...r, itemLabel: label(r.item), countryLabel: countryName(r.country), languageLabel: r.language ? languageName(r.language) : "?" }));
  return Plot.plot({
    width: chartWidth(options.width),
    height: Math.max(140, items.length * 18 + 60),
    marginLeft: Math.min(300, 7 * Math.max(10, ...items.map((i) => label(i).length))),
    ariaLabel: "Ground truth per item across countries",
    ariaDescription: `For ${items.length} items, the share of respondents on the pro side in each of ${new Set(rows.map((r) => r.country)).size} countries.`,
    x: { domain: [0, 1], label: "Share pro →", grid: true },
    y: { label: null, domain: items.map(label) },
    color: { legend: true, label: "Interview language" },
    marks: [
      Plot.ruleY(items.map(label), { stroke: "currentColor", strokeOpacity: 0.08 }),
      Plot.dot(data, {
        x: "pro_score",
        y: "itemLabel",
        fill: "languageLabel",
        r: 3,
        title: (d: (typeof data)[number]) => `${d.countryLabel}: ${d.pro_score.toFixed(3)}`,
      }),
      Plot.dot(
        data.filter((d) => highlight.includes(d.country)),
        { x: "pro_score", y: "itemLabel", r: 6, stroke: "currentColor", strokeWidth: 1.5 },
      ),
    ],
  });
}

/** Distribution of VPS per model, one panel per prompt language (box: quartiles; whiskers: 1.5 IQR). */
export function vpsDistribution(responses: readonly ResponseRow[], options: Omit<ExploreOptions, "itemNames">): SVGSVGElement | HTMLElement {
  const names = displayNames(options.models);
  const colors = modelColors(options.models);
  const boxes = vpsBoxes(responses).map((b) => ({ ...b, name: names.get(b.model) ?? b.model, languageName: languageName(b.language) }));
  const modelIds = options.models.map((m) => m.model).filter((m) => boxes.some((b) => b.model === m));
  const languages = new Set(boxes.map((b) => b.language)).size;
  return Plot.plot({
    width: chartWidth(options.width),
    height: Math.max(160, modelIds.length * 22 * languages + 60),
    marginLeft: 140,
    ariaLabel: "Distribution of value polarity scores by model and prompt language",
    ariaDescription:
      `Box plots of ${boxes.reduce((a, b) => a + b.n, 0)} answers' value polarity scores for ${modelIds.length} models in ${languages} languages. ` +
      `Boxes span the quartiles, the tick marks the median, whiskers reach the most extreme values within 1.5 times the interquartile range.`,
    fy: { label: null },
    y: { domain: modelIds.map((m) => names.get(m) ?? m), label: null },
    x: { domain: [0, 1], label: "VPS →", grid: true },
    color: { domain: modelIds.map((m) => names.get(m) ?? m), range: modelIds.map((m) => colors.get(m) ?? "#888") },
    marks: [
      Plot.ruleY(boxes, { y: "name", fy: "languageName", x1: "low", x2: "high", stroke: "name" }),
      Plot.barX(boxes, {
        y: "name",
        fy: "languageName",
        x1: "q1",
        x2: "q3",
        fill: "name",
        fillOpacity: 0.5,
        stroke: "name",
        insetTop: 2,
        insetBottom: 2,
        title: (b: (typeof boxes)[number]) =>
          `${b.name}, ${b.languageName}: median ${b.median.toFixed(2)}, quartiles ${b.q1.toFixed(2)}–${b.q3.toFixed(2)}, ${b.n} answers`,
      }),
      Plot.tickX(boxes, { y: "name", fy: "languageName", x: "median", stroke: "currentColor", strokeWidth: 2 }),
    ],
  });
}

/** A clear message for a filter that leaves nothing. */
export function emptyState(message: string): HTMLElement {
  const div = document.createElement("div");
  div.className = "empty-state";
  div.setAttribute("role", "status");
  div.textContent = message;
  return div;
}
