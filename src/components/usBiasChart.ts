/**
 * US-centric bias (RQ2): β_BiasUS per model and prompt language with its 95% CI.
 * Positive values mean a model's answers sit closer to the US than to the
 * language's own countries, relative to the uniform-random baseline.
 *
 * The recommended analysis' gaps (US minus own countries, no baseline) use the same chart
 * with their own `measure` and `ariaLabel`.
 *
 * One panel per prompt language, titled above, with the models' display names under
 * their bars; at phone width the panels wrap to two a row, and where even then the
 * names do not fit, a model legend replaces them (bars follow its order).
 */
import * as Plot from "npm:@observablehq/plot";
import { languageName } from "../lib/languages.js";
import { sortModelRows, type ModelRow } from "../lib/workspace.js";
import { displayNames, FALLBACK_COLOR, modelBarLayout, modelColors, modelLegend } from "./palette.js";
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
  /** What the bars measure (default β_BiasUS, the study's; the recommended analysis draws its gaps). */
  measure?: string;
  /** The chart's accessible name (default "US-centric bias coefficients by prompt language and model"). */
  ariaLabel?: string;
}

export function usBiasChart(data: readonly UsBiasDatum[], options: UsBiasChartOptions): SVGSVGElement | HTMLElement {
  const measure = options.measure ?? "β_BiasUS";
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const known = sortModelRows(options.models).map((m) => m.model);
  const modelIds = [...known, ...[...new Set(data.map((d) => d.model))].filter((m) => !known.includes(m)).sort()].filter((m) =>
    data.some((d) => d.model === m),
  );
  const rows = data.map((d) => ({ ...d, languageName: languageName(d.language), name: names.get(d.model) ?? d.model }));
  const languages = [...new Set(rows.map((r) => r.languageName))].sort();
  const positive = rows.filter((d) => d.ci_low > 0).length;
  const negative = rows.filter((d) => d.ci_high < 0).length;
  const width = chartWidth(options.width);
  const marginLeft = 44;
  const layout = modelBarLayout(languages, modelIds, names, { width, marginLeft, marginRight: 4, panelHeight: 220, minBarStep: 12 });
  const col = (d: { languageName: string }) => layout.cell.get(d.languageName)!.col;
  const row = (d: { languageName: string }) => layout.cell.get(d.languageName)!.row;
  const titles = languages.map((languageName) => ({ languageName }));
  const plot = Plot.plot({
    width,
    height: layout.height,
    marginLeft,
    marginRight: 4,
    marginTop: layout.marginTop,
    marginBottom: layout.marginBottom,
    ariaLabel: options.ariaLabel ?? "US-centric bias coefficients by prompt language and model",
    ariaDescription:
      `Bar chart of ${measure} for ${modelIds.length} models (${modelIds.map((m) => names.get(m) ?? m).join(", ")}, in this order within each language) ` +
      `in ${languages.length} languages (${languages.join(", ")}). ` +
      `${positive} of ${rows.length} intervals lie above zero (closer to the US) and ${negative} below zero.`,
    fx: { axis: null, domain: d3range(layout.cols) },
    fy: { axis: null, domain: d3range(layout.rows), paddingInner: layout.fyPaddingInner },
    x: { axis: null, domain: modelIds, padding: 0.12 },
    y: { label: `↑ ${measure.replace("_", " ")} (closer to the US)`, grid: true, zero: true },
    color: { domain: modelIds, range: modelIds.map((m) => colors.get(m) ?? FALLBACK_COLOR) },
    marks: [
      Plot.barY(rows, {
        fx: col,
        fy: row,
        x: "model",
        y: "coef",
        fill: "model",
        title: (d: (typeof rows)[number]) =>
          `${d.name}, ${d.languageName}: ${d.coef.toFixed(3)} [${d.ci_low.toFixed(3)}, ${d.ci_high.toFixed(3)}], p = ${d.p.toPrecision(2)}`,
      }),
      Plot.ruleX(rows, { fx: col, fy: row, x: "model", y1: "ci_low", y2: "ci_high", stroke: "currentColor", strokeWidth: 1.5 }),
      Plot.ruleY([0]),
      Plot.text(titles, { fx: col, fy: row, text: "languageName", frameAnchor: "top", lineAnchor: "bottom", dy: -6, fontSize: 12, fontWeight: 600 }),
      layout.tickLabels ? Plot.axisX({ facetAnchor: null, tickRotate: -90, tickSize: 3, tickFormat: layout.tickFormat, label: null }) : null,
    ],
  });
  if (layout.tickLabels) return plot;
  const figure = document.createElement("div");
  const shown = modelIds.map((m) => options.models.find((r) => r.model === m) ?? { model: m, display_name: m, family: "" });
  figure.append(modelLegend(shown, colors, names, "Models, in the order of the bars in each language"), plot);
  return figure;
}

function d3range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
