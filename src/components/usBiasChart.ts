/**
 * US-centric bias (RQ2): β_BiasUS per model and prompt language with its 95% CI.
 * Positive values mean a model's answers sit closer to the US than to the
 * language's own countries, relative to the uniform-random baseline.
 */
import * as Plot from "npm:@observablehq/plot";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import { displayNames, modelColors } from "./palette.js";
import { chartWidth } from "./width.js";

export interface UsBiasDatum {
  model: string;
  language: string;
  coef: number;
  ci_low: number;
  ci_high: number;
  p: number;
}

export interface UsBiasChartOptions {
  models: readonly ModelRow[];
  width?: number;
}

export function usBiasChart(data: readonly UsBiasDatum[], options: UsBiasChartOptions): SVGSVGElement | HTMLElement {
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const modelIds = options.models.map((m) => m.model).filter((m) => data.some((d) => d.model === m));
  const rows = data.map((d) => ({ ...d, languageName: languageName(d.language), name: names.get(d.model) ?? d.model }));
  const positive = rows.filter((d) => d.ci_low > 0).length;
  const negative = rows.filter((d) => d.ci_high < 0).length;
  return Plot.plot({
    width: chartWidth(options.width),
    height: 340,
    marginBottom: 40,
    ariaLabel: "US-centric bias coefficients by prompt language and model",
    ariaDescription:
      `Bar chart of β_BiasUS for ${modelIds.length} models in ${new Set(rows.map((r) => r.language)).size} languages. ` +
      `${positive} of ${rows.length} intervals lie above zero (closer to the US) and ${negative} below zero.`,
    fx: { label: null, domain: [...new Set(rows.map((r) => r.languageName))].sort() },
    x: { axis: null, domain: modelIds },
    y: { label: "↑ β BiasUS (closer to the US)", grid: true, zero: true },
    color: { domain: modelIds, range: modelIds.map((m) => colors.get(m) ?? "#888") },
    marks: [
      Plot.barY(rows, { fx: "languageName", x: "model", y: "coef", fill: "model", title: (d: (typeof rows)[number]) => `${d.name}, ${d.languageName}: ${d.coef.toFixed(3)} [${d.ci_low.toFixed(3)}, ${d.ci_high.toFixed(3)}], p = ${d.p.toPrecision(2)}` }),
      Plot.ruleX(rows, { fx: "languageName", x: "model", y1: "ci_low", y2: "ci_high", stroke: "currentColor", strokeWidth: 1.5 }),
      Plot.ruleY([0]),
    ],
  });
}
