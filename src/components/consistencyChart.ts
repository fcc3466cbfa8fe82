/**
 * Self-consistency per model and prompt language: bars at the bootstrap mean with a
 * 95% percentile interval, and the survey's own country minimum and maximum as
 * reference lines, labelled with their values and countries at the right.
 *
 * Laid out like the US-bias chart: one panel per language, titled above, the models'
 * names under their bars (or a legend where they do not fit). The y domain spans
 * [0, 1] and every interval, so an interval below 0 never runs into a label.
 */
import * as Plot from "npm:@observablehq/plot";
import type { ConsistencyFigure } from "../lib/analyses/consistency.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { sortModelRows, type ModelRow } from "../lib/workspace.js";
import { displayNames, FALLBACK_COLOR, modelBarLayout, modelColors, modelLegend } from "./palette.js";
import { chartWidth } from "./width.js";

export interface ConsistencyChartOptions {
  models: readonly ModelRow[];
  width?: number;
}

export function consistencyChart(figure: ConsistencyFigure, options: ConsistencyChartOptions): SVGSVGElement | HTMLElement {
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const known = sortModelRows(options.models).map((m) => m.model);
  const modelIds = [...known, ...[...new Set(figure.bars.map((b) => b.model))].filter((m) => !known.includes(m)).sort()].filter((m) =>
    figure.bars.some((b) => b.model === m),
  );
  const rows = figure.bars.map((b) => ({ ...b, languageName: languageName(b.language), name: names.get(b.model) ?? b.model }));
  const languages = [...new Set(rows.map((r) => r.languageName))].sort();
  const refs = [
    figure.reference.min ? { ...figure.reference.min, kind: "min" as const } : null,
    figure.reference.max ? { ...figure.reference.max, kind: "max" as const } : null,
  ].filter((r): r is { country: string; value: number; kind: "min" | "max" } => r !== null);
  const width = chartWidth(options.width);
  const marginLeft = 40;
  const minBarStep = 12;
  // The reference lines are labelled in the right margin of each row's last panel; where
  // that margin would cost a column of panels (phone width), a key above the panels
  // labels them instead.
  const refLabel = (r: (typeof refs)[number]) => `survey ${r.kind} ${r.value.toFixed(2)} (${countryName(r.country)})`;
  const labelsMargin = refs.length ? Math.ceil(Math.max(...refs.map((r) => refLabel(r).length)) * 6) + 10 : 4;
  const direct = modelBarLayout(languages, modelIds, names, { width, marginLeft, marginRight: labelsMargin, minBarStep });
  const keyed = modelBarLayout(languages, modelIds, names, { width, marginLeft, marginRight: 4, minBarStep, headerSpace: refs.length * 14 + 4 });
  const useKey = refs.length > 0 && keyed.cols > direct.cols;
  const layout = useKey ? keyed : direct;
  const marginRight = useKey ? 4 : labelsMargin;
  const col = (d: { languageName: string }) => layout.cell.get(d.languageName)!.col;
  const row = (d: { languageName: string }) => layout.cell.get(d.languageName)!.row;
  // The last panel of each row carries the reference labels.
  const refMarks = Array.from({ length: layout.rows }, (_, r) =>
    refs.map((ref) => ({ ...ref, row: r, col: Math.min(layout.cols, languages.length - r * layout.cols) - 1 })),
  ).flat();
  const values = rows.flatMap((r) => [r.ci_low, r.ci_high, r.mean]).filter(Number.isFinite);
  // [0, 1] widened to every interval, with a little room so an interval's end never meets the tick labels.
  const lo = Math.min(0, ...values);
  const hi = Math.max(1, ...values);
  const yDomain = [lo < 0 ? lo - 0.03 * (hi - lo) : 0, hi > 1 ? hi + 0.03 * (hi - lo) : 1];
  const describe = (r: (typeof refs)[number]) => `${countryName(r.country)}, ${r.country}: ${r.value.toFixed(2)}`;
  const min = refs.find((r) => r.kind === "min");
  const max = refs.find((r) => r.kind === "max");
  const plot = Plot.plot({
    width,
    height: layout.height,
    marginLeft,
    marginRight,
    marginTop: layout.marginTop,
    marginBottom: layout.marginBottom,
    ariaLabel: "Self-consistency by prompt language and model",
    ariaDescription:
      `Bar chart of model self-consistency (bootstrap mean with 95% interval) for ${modelIds.length} models (${modelIds.map((m) => names.get(m) ?? m).join(", ")}, in this order within each language) ` +
      `in ${languages.length} languages (${languages.join(", ")}). ` +
      (min || max
        ? `Reference lines: ${[min ? `dotted, the survey's least self-consistent country (${describe(min)})` : "", max ? `dashed, the most self-consistent (${describe(max)})` : ""].filter(Boolean).join("; ")}.`
        : ""),
    fx: { axis: null, domain: range(layout.cols) },
    fy: { axis: null, domain: range(layout.rows), paddingInner: layout.fyPaddingInner },
    x: { axis: null, domain: modelIds, padding: 0.12 },
    y: { label: "↑ Self-consistency", domain: yDomain, grid: true },
    color: { domain: modelIds, range: modelIds.map((m) => colors.get(m) ?? FALLBACK_COLOR) },
    marks: [
      Plot.barY(rows, {
        fx: col,
        fy: row,
        x: "model",
        y: "mean",
        fill: "model",
        title: (d: (typeof rows)[number]) => `${d.name}, ${d.languageName}: ${d.mean.toFixed(3)} [${d.ci_low.toFixed(3)}, ${d.ci_high.toFixed(3)}]`,
      }),
      Plot.ruleX(rows, { fx: col, fy: row, x: "model", y1: "ci_low", y2: "ci_high", stroke: "currentColor", strokeWidth: 1.5 }),
      ...refs.map((r) => Plot.ruleY([r.value], { stroke: "currentColor", strokeDasharray: r.kind === "min" ? "2,3" : "7,4", strokeOpacity: 0.8 })),
      // The max label above its line, the min label below its own, so they never overlap.
      ...(useKey ? [] : (["max", "min"] as const)).map((kind) =>
        Plot.text(
          refMarks.filter((d) => d.kind === kind),
          {
            fx: "col",
            fy: "row",
            y: "value",
            frameAnchor: "right",
            textAnchor: "start",
            lineAnchor: kind === "max" ? "bottom" : "top",
            dx: 6,
            dy: kind === "max" ? -1 : 1,
            text: refLabel,
            title: (d: (typeof refMarks)[number]) => `Survey ${kind === "max" ? "maximum" : "minimum"}: ${describe(d)}`,
          },
        ),
      ),
      Plot.ruleY([0]),
      Plot.text(
        languages.map((languageName) => ({ languageName })),
        { fx: col, fy: row, text: "languageName", frameAnchor: "top", lineAnchor: "bottom", dy: -6, fontSize: 12, fontWeight: 600 },
      ),
      layout.tickLabels ? Plot.axisX({ facetAnchor: null, tickRotate: -90, tickSize: 3, tickFormat: layout.tickFormat, label: null }) : null,
    ],
  });
  if (useKey) appendReferenceKey(plot as unknown as SVGSVGElement, [...refs].reverse(), refLabel, 4, layout.marginTop - 22 - layout.headerSpace + 2);
  if (layout.tickLabels) return plot;
  const container = document.createElement("div");
  const shown = modelIds.map((m) => options.models.find((r) => r.model === m) ?? { model: m, display_name: m, family: "" });
  container.append(modelLegend(shown, colors, names, "Models, in the order of the bars in each language"), plot);
  return container;
}

/** A key of the reference lines' styles and values, drawn into the plot's top margin. */
function appendReferenceKey<R extends { kind: "min" | "max" }>(svg: SVGSVGElement, refs: readonly R[], label: (r: R) => string, x: number, y: number): void {
  const ns = "http://www.w3.org/2000/svg";
  const g = document.createElementNS(ns, "g");
  g.setAttribute("aria-label", "reference lines key");
  g.setAttribute("font-size", "10");
  refs.forEach((r, i) => {
    const cy = y + 7 + i * 14;
    const line = document.createElementNS(ns, "line");
    for (const [k, v] of Object.entries({
      x1: x,
      x2: x + 26,
      y1: cy,
      y2: cy,
      stroke: "currentColor",
      "stroke-opacity": 0.8,
      "stroke-dasharray": r.kind === "min" ? "2,3" : "7,4",
    }))
      line.setAttribute(k, String(v));
    const text = document.createElementNS(ns, "text");
    for (const [k, v] of Object.entries({ x: x + 32, y: cy, dy: "0.32em", fill: "currentColor", "text-anchor": "start" })) text.setAttribute(k, String(v));
    text.textContent = label(r);
    g.append(line, text);
  });
  svg.append(g);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
