/**
 * The Explore page's charts: model answers against the survey per item, each item's
 * ground truth across countries, and each model's VPS distribution per language.
 */
import * as Plot from "npm:@observablehq/plot";
import { spearman } from "../lib/correlation.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { vpsBoxes, type CountryTruth, type ItemPoint } from "../lib/slice.js";
import { sortModelRows, type ModelRow, type ResponseRow } from "../lib/workspace.js";
import { displayNames, languageColorScale, modelColors } from "./palette.js";
import { charsFor, facetLabelLayout, labelLegend, labelWidth, rowLabelMargin, truncate } from "./chartLabels.js";
import { chartWidth } from "./width.js";

export interface ExploreOptions {
  models: readonly ModelRow[];
  itemNames: Map<string, string>;
  width?: number;
}

/** Name the legend of a plot drawn with `legend: true` (Plot puts it first in the plot's figure). */
function labelPlotLegend<T extends SVGSVGElement | HTMLElement>(plot: T, label: string): T {
  const legend = plot.tagName.toLowerCase() === "figure" ? plot.querySelector(":scope > [class*='-swatches'], :scope > [class*='-ramp']") : null;
  if (legend) labelLegend(legend, label);
  return plot;
}

/** Mean VPS per item and model against the item's ground truth in one population. */
export function vpsScatter(points: readonly ItemPoint[], populationLabel: string, options: ExploreOptions): HTMLElement {
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const modelIds = sortModelRows(options.models)
    .map((m) => m.model)
    .filter((m) => points.some((p) => p.model === m));
  const rho = spearman(
    points.map((p) => p.vps),
    points.map((p) => p.groundTruth),
  );
  const figure = Plot.plot({
    width: chartWidth(options.width),
    height: 360,
    ariaLabel: `Model answers against the survey, per item (${populationLabel})`,
    ariaDescription:
      `${points.length} points: mean value polarity score of a model's answers to an item against the share of ` +
      `${populationLabel} on the item's pro side. Spearman's rho over all points: ${Number.isFinite(rho) ? rho.toFixed(2) : "undefined"}.`,
    x: { domain: [0, 1], label: `Survey: share pro (${populationLabel}) →`, grid: true },
    y: { domain: [0, 1], label: "↑ Models: mean VPS", grid: true },
    // Radii in pixels, as scatterRadius gives them.
    r: { type: "identity" },
    color: {
      domain: modelIds,
      range: modelIds.map((m) => colors.get(m) ?? "#888"),
      legend: true,
      label: "Model",
      tickFormat: (m: string) => names.get(m) ?? m,
    },
    marks: [
      Plot.link([{ x1: 0, y1: 0, x2: 1, y2: 1 }], { x1: "x1", y1: "y1", x2: "x2", y2: "y2", strokeDasharray: "4,4", strokeOpacity: 0.5 }),
      // Small filled dots at low opacity: a thousand hollow rings overlapped into a tangle; now overlap reads as depth of colour.
      Plot.dot(points, {
        x: "groundTruth",
        y: "vps",
        fill: "model",
        fillOpacity: SCATTER_OPACITY,
        r: (p: ItemPoint) => scatterRadius(p.responses),
        title: (p: ItemPoint) =>
          `${options.itemNames.get(p.item) ?? p.item} (${p.item})\n${names.get(p.model) ?? p.model}, ${languageName(p.language)}: ` +
          `VPS ${p.vps.toFixed(2)} over ${p.responses} answers; survey ${p.groundTruth.toFixed(2)}`,
      }),
    ],
  });
  labelPlotLegend(figure, `Model colours: ${modelIds.map((m) => names.get(m) ?? m).join(", ")}`);
  // Plot draws a figure (legend and chart); the note is its caption.
  const wrap = figure.tagName.toLowerCase() === "figure" ? (figure as HTMLElement) : document.createElement("figure");
  const note = document.createElement("figcaption");
  note.className = "fit-stats";
  const answers = points.map((p) => p.responses);
  note.textContent =
    `Drawn: ${points.length.toLocaleString("en")} dots, one per model, item and language, filled at ${100 * SCATTER_OPACITY}% opacity, so colour deepens where dots overlap; ` +
    `a dot's area grows with its answers (${Math.min(...answers)} to ${Math.max(...answers)}). Spearman's ρ over all dots: ${Number.isFinite(rho) ? rho.toFixed(2) : "undefined"}.`;
  if (wrap !== figure) wrap.append(figure);
  wrap.append(note);
  return wrap;
}

const SCATTER_OPACITY = 0.35;

/** A dot's radius: its area grows with the answers it averages, from 1.5 px. */
function scatterRadius(responses: number): number {
  return 1.5 + 0.5 * Math.sqrt(Math.max(0, responses));
}

/** Each item's ground truth in every country, coloured by the country's language. */
export function countryTruthChart(rows: readonly CountryTruth[], highlight: readonly string[], options: ExploreOptions): SVGSVGElement | HTMLElement {
  const items = [...new Set(rows.map((r) => r.item))];
  const width = chartWidth(options.width);
  const fullName = (item: string) => options.itemNames.get(item) ?? item;
  // Labels beside the rows while a margin wide enough for them leaves the plot most of
  // the width; on a narrow screen each label sits above its row, across the full width.
  const wanted = Math.min(300, Math.max(...items.map((i) => labelWidth(truncate(fullName(i), 48)))) + 14);
  const stacked = wanted > width * 0.45 && width < 560;
  const marginLeft = stacked
    ? 12
    : rowLabelMargin(
        items.map((i) => truncate(fullName(i), 48)),
        width,
      );
  const chars = Math.min(48, charsFor(marginLeft));
  const label = (item: string) => truncate(fullName(item), chars);
  const data = rows.map((r) => ({ ...r, countryLabel: countryName(r.country), languageLabel: r.language ? languageName(r.language) : "?" }));
  const plot = Plot.plot({
    width,
    height: Math.max(140, items.length * (stacked ? 34 : 18) + 60),
    marginLeft,
    marginRight: stacked ? 12 : 20,
    ariaLabel: "Ground truth per item across countries",
    ariaDescription: `For ${items.length} items, the share of respondents on the pro side in each of ${new Set(rows.map((r) => r.country)).size} countries.`,
    x: { domain: [0, 1], label: "Share pro →", grid: true },
    y: stacked ? { axis: null, domain: items } : { label: null, domain: items, tickFormat: label },
    color: { legend: true, label: "Interview language", ...languageColorScale([...new Set(data.map((d) => d.languageLabel))].sort()) },
    marks: [
      Plot.ruleY(items, { stroke: "currentColor", strokeOpacity: 0.08 }),
      ...(stacked
        ? [
            Plot.text(items, {
              y: (i: string) => i,
              text: fullName,
              frameAnchor: "left",
              textAnchor: "start",
              dy: -11,
              fill: "currentColor",
              // In ems of the 10px font, as Plot measures them (Helvetica's widths), with a
              // margin for wider fonts (DejaVu Sans on Linux).
              lineWidth: (width - 24) / 11.5,
              textOverflow: "ellipsis",
            }),
          ]
        : []),
      Plot.dot(data, {
        x: "pro_score",
        y: "item",
        fill: "languageLabel",
        r: 3,
        title: (d: (typeof data)[number]) => `${fullName(d.item)}\n${d.countryLabel}: ${d.pro_score.toFixed(3)}`,
      }),
      Plot.dot(
        data.filter((d) => highlight.includes(d.country)),
        { x: "pro_score", y: "item", r: 6, stroke: "currentColor", strokeWidth: 1.5 },
      ),
    ],
  });
  const languages = [...new Set(data.map((d) => d.languageLabel))];
  return labelPlotLegend(plot, `Interview language colours: ${languages.join(", ")}`);
}

/** Distribution of VPS per model, one panel per prompt language (box: quartiles; whiskers: 1.5 IQR). */
export function vpsDistribution(responses: readonly ResponseRow[], options: Omit<ExploreOptions, "itemNames">): SVGSVGElement | HTMLElement {
  const names = displayNames(options.models);
  const colors = modelColors(options.models);
  const boxes = vpsBoxes(responses).map((b) => ({ ...b, name: names.get(b.model) ?? b.model, languageName: languageName(b.language) }));
  const modelIds = sortModelRows(options.models)
    .map((m) => m.model)
    .filter((m) => boxes.some((b) => b.model === m));
  const languages = new Set(boxes.map((b) => b.language)).size;
  const width = chartWidth(options.width);
  const modelNames = modelIds.map((m) => names.get(m) ?? m);
  const marginLeft = rowLabelMargin(modelNames, width);
  const facets = facetLabelLayout([...new Set(boxes.map((b) => b.languageName))], width, marginLeft);
  const chars = charsFor(marginLeft);
  return Plot.plot({
    width,
    height: Math.max(160, modelIds.length * 22 * languages + 60),
    marginLeft,
    marginRight: facets.marginRight,
    ariaLabel: "Distribution of value polarity scores by model and prompt language",
    ariaDescription:
      `Box plots of ${boxes.reduce((a, b) => a + b.n, 0)} answers' value polarity scores for ${modelIds.length} models in ${languages} languages. ` +
      `Boxes span the quartiles, the tick marks the median, whiskers reach the most extreme values within 1.5 times the interquartile range.`,
    fy: { label: null, tickRotate: facets.tickRotate },
    y: { domain: modelNames, label: null, tickFormat: (n: string) => truncate(n, chars) },
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
