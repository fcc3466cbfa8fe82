/**
 * The survey page's charts: each country's pro share per item (a heatmap, items ordered by how
 * far the countries spread), the country-by-country Spearman matrix, and the value map (the
 * countries by a PCA of their pro shares, each model × language projected onto it, with the
 * item-bootstrap clouds).
 */
import * as Plot from "npm:@observablehq/plot";
import type { SurveyCell, SurveyCorrelation, SurveyItemSpread } from "../lib/analyses/surveyPopulations.js";
import type { MapModel, ValueMapResult } from "../lib/analyses/valueMap.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import { labelWidth, truncate } from "./chartLabels.js";
import { displayNames, FALLBACK_COLOR, modelColors } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";
import { SHARE_SCHEME } from "./worldMap.js";

/** Items ordered by their spread across countries, widest first. */
export function itemsBySpread(spread: readonly SurveyItemSpread[]): string[] {
  return [...spread].sort((a, b) => (b.sd || 0) - (a.sd || 0) || a.item.localeCompare(b.item)).map((s) => s.item);
}

/** Room above a top axis for its labels turned by 35°, so that none is cut at the top of the chart. */
function rotatedMargin(labels: readonly string[]): number {
  return Math.ceil(Math.max(0, ...labels.map((l) => labelWidth(l))) * Math.sin((35 * Math.PI) / 180)) + 18;
}

/** Room right of the last column for its turned label (it runs up and to the right). */
function rotatedRight(labels: readonly string[]): number {
  return Math.max(20, Math.ceil(labelWidth(labels.at(-1) ?? "") * Math.cos((35 * Math.PI) / 180)) - 16);
}

export function shareHeatmap(
  cells: readonly SurveyCell[],
  options: { countries: readonly string[]; items: readonly string[]; itemName: (item: string) => string; width?: number },
): HTMLElement {
  const label = (item: string) => truncate(`${item.toUpperCase()} ${options.itemName(item)}`, 34);
  const rows = cells.map((c) => ({ ...c, country: countryName(c.population), label: label(c.item) }));
  const marginLeft = Math.min(220, Math.max(...options.items.map((i) => labelWidth(label(i))), 60) + 10);
  return plot({
    width: Math.min(chartWidth(options.width), marginLeft + 48 * options.countries.length + rotatedRight(options.countries.map(countryName))),
    marginRight: rotatedRight(options.countries.map(countryName)),
    height: 16 * options.items.length + 90,
    marginLeft,
    marginTop: rotatedMargin(options.countries.map(countryName)),
    marginBottom: 10,
    ariaLabel: "Share of respondents on each item's pro side, per country",
    ariaDescription: `${options.items.length} items by ${options.countries.length} countries; items ordered by how far the countries spread, widest first.`,
    x: { axis: "top", label: null, domain: options.countries.map(countryName), tickRotate: -35 },
    y: { label: null, domain: options.items.map(label) },
    color: { ...SHARE_SCHEME, domain: [0, 1], legend: true, label: "Share pro" },
    marks: [
      Plot.cell(rows, {
        x: "country",
        y: "label",
        fill: "pro_score",
        inset: 0.5,
        title: (d: (typeof rows)[number]) =>
          `${d.country}, ${d.item.toUpperCase()}: ${(100 * d.pro_score).toFixed(1)}% pro${d.n === null ? "" : ` of ${d.n.toLocaleString("en")} valid answers`}`,
      }),
    ],
  });
}

export function correlationHeatmap(correlations: readonly SurveyCorrelation[], options: { countries: readonly string[]; width?: number }): HTMLElement {
  const rows = correlations.map((c) => ({ ...c, x: countryName(c.b), y: countryName(c.a) }));
  const names = options.countries.map(countryName);
  const marginLeft = Math.max(...names.map((n) => labelWidth(n)), 40) + 10;
  const side = Math.min(chartWidth(options.width), marginLeft + 44 * names.length + rotatedRight(names));
  return plot({
    width: side,
    height: side - marginLeft + 110,
    marginLeft,
    marginTop: rotatedMargin(names),
    marginRight: rotatedRight(names),
    ariaLabel: "Spearman correlation of pro shares between countries",
    ariaDescription: `A ${names.length} by ${names.length} matrix of Spearman's rho over the items both countries have.`,
    x: { axis: "top", label: null, domain: names, tickRotate: -35 },
    y: { label: null, domain: names },
    color: { scheme: "rdbu", domain: [-1, 1], legend: true, label: "Spearman's ρ" },
    marks: [
      Plot.cell(rows, {
        x: "x",
        y: "y",
        fill: "rho",
        inset: 0.5,
        title: (d: (typeof rows)[number]) => `${d.y} – ${d.x}: ρ = ${Number.isNaN(d.rho) ? "undefined" : d.rho.toFixed(3)} over ${d.n} items`,
      }),
      Plot.text(rows, {
        x: "x",
        y: "y",
        text: (d: (typeof rows)[number]) => (Number.isNaN(d.rho) ? "–" : d.rho.toFixed(2)),
        fill: (d: (typeof rows)[number]) => (Math.abs(d.rho) > 0.6 ? "white" : "black"),
        fontSize: 9,
      }),
    ],
  });
}

/** The projected models, with their display names, colours and the clouds' points flattened. */
function modelMarks(shown: readonly MapModel[], models: readonly ModelRow[]) {
  const names = displayNames(models);
  const colors = modelColors(models);
  const label = (m: MapModel) => `${names.get(m.model) ?? m.model}, ${languageName(m.language)}`;
  const points = shown.map((m) => ({ ...m, label: label(m), color: colors.get(m.model) ?? FALLBACK_COLOR }));
  const cloud = points.flatMap((m) => m.cloud.x.map((x, k) => ({ x, y: m.cloud.y[k]!, color: m.color })));
  return { points, cloud };
}

export function valueMapChart(
  map: ValueMapResult,
  shown: readonly MapModel[],
  options: { models: readonly ModelRow[]; clouds: boolean; width?: number },
): HTMLElement {
  const { points, cloud } = modelMarks(shown, options.models);
  const countries = map.countries.map((c) => ({ ...c, name: countryName(c.population) }));
  const countryCloud = countries.flatMap((c) => c.cloud.x.map((x, k) => ({ x, y: c.cloud.y[k]! })));
  const pct = (k: number) => `${(100 * (map.explained[k] ?? NaN)).toFixed(0)}%`;
  return plot({
    width: chartWidth(options.width),
    height: Math.min(620, Math.max(360, 0.7 * chartWidth(options.width))),
    ariaLabel: "Value map: countries by a principal-component analysis of their pro shares, with models projected onto it",
    ariaDescription: `${countries.length} countries and ${points.length} model × language points; the first component carries ${pct(0)} of the countries' variance, the second ${pct(1)}.`,
    x: { label: `PC1 (${pct(0)}) →`, grid: true },
    y: { label: `↑ PC2 (${pct(1)})`, grid: true },
    marks: [
      options.clouds ? Plot.dot(countryCloud, { x: "x", y: "y", r: 1, fill: "currentColor", fillOpacity: 0.12 }) : null,
      options.clouds ? Plot.dot(cloud, { x: "x", y: "y", r: 1, fill: "color", fillOpacity: 0.2 }) : null,
      Plot.dot(countries, {
        x: "x",
        y: "y",
        r: 4,
        fill: "currentColor",
        symbol: "square",
        title: (d: (typeof countries)[number]) => `${d.name} (${d.population})`,
      }),
      Plot.text(countries, { x: "x", y: "y", text: "population", dy: -10, fontWeight: "bold" }),
      Plot.dot(points, {
        x: "x",
        y: "y",
        r: 4.5,
        fill: "color",
        stroke: "var(--theme-background, white)",
        title: (d: (typeof points)[number]) =>
          `${d.label}: nearest ${countryName(d.nearest)} (${Number.isNaN(d.nearestShare) ? "no replicate" : `in ${(100 * d.nearestShare).toFixed(0)}% of replicates`})${d.missing.length ? `; no answer on ${d.missing.length} map items` : ""}`,
      }),
      Plot.text(points, { x: "x", y: "y", text: (d: (typeof points)[number]) => d.language.toUpperCase(), dx: 9, fontSize: 9, fill: "color" }),
    ],
  });
}
