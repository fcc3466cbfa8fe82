/**
 * Alignment per model with each reference population: the point estimate on the
 * full data and its bootstrap 95% interval, one row per population within each
 * model's band.
 */
import * as Plot from "npm:@observablehq/plot";
import type { AlignmentEntry } from "../lib/analyses/alignment.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { sortModelRows, type ModelRow } from "../lib/workspace.js";
import { categoryColorScale, displayNames } from "./palette.js";
import { chartWidth } from "./width.js";

export interface AlignmentChartOptions {
  models: readonly ModelRow[];
  /** Populations in the order to show them. */
  populations: readonly string[];
  metricLabel: string;
  width?: number;
}

export function populationLabel(level: string, population: string): string {
  if (level === "country") return countryName(population);
  if (level === "language") return `${languageName(population)} speakers`;
  return "Everyone (global)";
}

export function alignmentChart(entries: readonly AlignmentEntry[], options: AlignmentChartOptions): SVGSVGElement | HTMLElement {
  const names = displayNames(options.models);
  const modelIds = sortModelRows(options.models)
    .map((m) => m.model)
    .filter((m) => entries.some((e) => e.model === m));
  const rows = entries.map((e) => ({
    ...e,
    name: names.get(e.model) ?? e.model,
    label: populationLabel(e.level, e.population),
  }));
  const labels = options.populations.map((p) => populationLabel(entries[0]?.level ?? "", p));
  const best = [...rows].sort((a, b) => b.rho - a.rho)[0];
  return Plot.plot({
    width: chartWidth(options.width),
    height: Math.max(160, modelIds.length * (labels.length * 9 + 14) + 60),
    marginLeft: 140,
    ariaLabel: `Alignment (${options.metricLabel}) by model and reference population`,
    ariaDescription:
      `For ${modelIds.length} models, ${options.metricLabel} between model answers and the survey in ${labels.join(", ")}, ` +
      `with 95% bootstrap intervals.` +
      (best ? ` Highest: ${best.name} with ${best.label}, ${best.rho.toFixed(2)}.` : ""),
    fy: { domain: modelIds.map((m) => names.get(m) ?? m), label: null, padding: 0.15 },
    y: { domain: labels, axis: null },
    x: { label: `${options.metricLabel} →`, grid: true },
    color: { ...categoryColorScale(labels), legend: true },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(rows, { fy: "name", y: "label", x1: "ci_low", x2: "ci_high", stroke: "label", strokeWidth: 2 }),
      Plot.dot(rows, {
        fy: "name",
        y: "label",
        x: "rho",
        fill: "label",
        r: 3.5,
        title: (d: (typeof rows)[number]) => `${d.name} · ${d.label}\n${d.rho.toFixed(3)} [${d.ci_low.toFixed(3)}, ${d.ci_high.toFixed(3)}], n = ${d.n}`,
      }),
    ],
  });
}
