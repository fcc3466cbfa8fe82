/**
 * Self-consistency per model and prompt language: bars at the bootstrap mean with a
 * 95% percentile interval, and the survey's own country minimum and maximum as
 * reference lines.
 */
import * as Plot from "npm:@observablehq/plot";
import type { ConsistencyFigure } from "../lib/analyses/consistency.js";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import { displayNames, modelColors } from "./palette.js";
import { chartWidth } from "./width.js";

export interface ConsistencyChartOptions {
  models: readonly ModelRow[];
  width?: number;
}

export function consistencyChart(figure: ConsistencyFigure, options: ConsistencyChartOptions): SVGSVGElement | HTMLElement {
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const modelIds = options.models.map((m) => m.model).filter((m) => figure.bars.some((b) => b.model === m));
  const rows = figure.bars.map((b) => ({ ...b, languageName: languageName(b.language), name: names.get(b.model) ?? b.model }));
  const refs = [figure.reference.min, figure.reference.max].filter((r): r is { country: string; value: number } => r !== null);
  return Plot.plot({
    width: chartWidth(options.width),
    height: 340,
    ariaLabel: "Self-consistency by prompt language and model",
    ariaDescription:
      `Bar chart of model self-consistency (bootstrap mean with 95% interval) for ${modelIds.length} models. ` +
      (refs.length ? `Reference lines: the survey's least self-consistent country (${refs[0]!.country}, ${refs[0]!.value.toFixed(2)}) and most (${refs[refs.length - 1]!.country}, ${refs[refs.length - 1]!.value.toFixed(2)}).` : ""),
    fx: { label: null, domain: [...new Set(rows.map((r) => r.languageName))].sort() },
    x: { axis: null, domain: modelIds },
    y: { label: "↑ Self-consistency", domain: [0, 1], grid: true },
    color: { domain: modelIds, range: modelIds.map((m) => colors.get(m) ?? "#888") },
    marks: [
      Plot.barY(rows, { fx: "languageName", x: "model", y: "mean", fill: "model", title: (d: (typeof rows)[number]) => `${d.name}, ${d.languageName}: ${d.mean.toFixed(3)} [${d.ci_low.toFixed(3)}, ${d.ci_high.toFixed(3)}]` }),
      Plot.ruleX(rows, { fx: "languageName", x: "model", y1: "ci_low", y2: "ci_high", stroke: "currentColor", strokeWidth: 1.5 }),
      ...refs.map((r, i) =>
        Plot.ruleY([r.value], { stroke: "currentColor", strokeDasharray: i === 0 ? "2,3" : "7,4", strokeOpacity: 0.8 }),
      ),
      Plot.ruleY([0]),
    ],
  });
}
