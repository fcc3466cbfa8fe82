/**
 * The capability figure (RQ1): per language, a cloud of bootstrap estimates of each
 * model's adjusted alignment against its multilingual capability; a dashed line per
 * family with its RQ1 slope; a star where the slope is positive and significant.
 * The star sits above the middle of its line, on a halo of the page's background and
 * outlined in the text colour, so it stands out from its own family's cloud in either
 * theme.
 */
import * as Plot from "npm:@observablehq/plot";
import { familyLines, type AdjustedPoint, type FamilySlope } from "../lib/analyses/rq1.js";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import { displayNames, FALLBACK_COLOR, familyColor, modelColors, modelLegend } from "./palette.js";
import { chartWidth } from "./width.js";

export interface CapabilityChartOptions {
  models: readonly ModelRow[];
  width?: number;
  /** Languages to show, in order (default: all in the data). */
  languages?: readonly string[];
}

/** The figure's data: the bootstrap cloud and the families' slopes. */
export interface CapabilityChartData {
  points: readonly AdjustedPoint[];
  slopes: readonly FamilySlope[];
}

/** A star at the middle of a family's line, a little above it: drawn twice, a background halo under the outlined star. */
const STAR = {
  x: (l: { x1: number; x2: number }) => (l.x1 + l.x2) / 2,
  y: (l: { y1: number; y2: number }) => (l.y1 + l.y2) / 2,
  text: () => "★",
  dy: -12,
  fontSize: 20,
};

export function capabilityChart(data: CapabilityChartData, options: CapabilityChartOptions): HTMLElement {
  const { points, slopes } = data;
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const languages = options.languages ?? [...new Set(points.map((p) => p.language))].sort();
  const lines = familyLines(points, slopes);
  const container = document.createElement("div");
  container.className = "chart-grid";
  const width = Math.max(260, Math.min(chartWidth(options.width), 900));
  const panelWidth = width >= 640 ? Math.floor(width / 2) - 8 : width;
  const ys = points.map((p) => p.adjusted);
  const yDomain = ys.length ? [Math.min(0, ...ys), Math.max(...ys)] : [0, 1];
  const xs = points.map((p) => p.capability);
  const xDomain = xs.length ? [Math.min(...xs) - 0.02, Math.max(...xs) + 0.02] : [0, 1];
  for (const language of languages) {
    const pts = points.filter((p) => p.language === language);
    const ls = lines.filter((l) => l.language === language);
    const starred = ls.filter((l) => l.starred);
    const modelsHere = [...new Set(pts.map((p) => p.model))];
    const plot = Plot.plot({
      width: panelWidth,
      height: Math.round(panelWidth * 0.72),
      title: languageName(language),
      ariaLabel: `Capability and cultural alignment, ${languageName(language)} prompts`,
      ariaDescription:
        `Scatter of adjusted cultural alignment against multilingual capability for ${modelsHere.length} models, ` +
        `with a dashed line per model family at its RQ1 slope. ` +
        ls.map((l) => `${l.family}: slope ${l.slope.toFixed(2)}${l.starred ? " (positive, p < 0.05)" : ""}`).join("; "),
      x: { label: "Multilingual capability →", domain: xDomain, grid: true },
      y: { label: "↑ Cultural alignment (adjusted)", domain: yDomain, grid: true },
      color: { domain: modelsHere, range: modelsHere.map((m) => colors.get(m) ?? FALLBACK_COLOR) },
      marks: [
        Plot.dot(pts, {
          x: "capability",
          y: "adjusted",
          stroke: "model",
          r: 2,
          strokeOpacity: 0.5,
          title: (p: AdjustedPoint) => `${names.get(p.model) ?? p.model}: ${p.adjusted.toFixed(3)}`,
        }),
        // A halo in the page's background keeps each line readable over its cloud.
        Plot.link(ls, { x1: "x1", y1: "y1", x2: "x2", y2: "y2", stroke: "var(--theme-background)", strokeWidth: 5, strokeOpacity: 0.8 }),
        Plot.link(ls, {
          x1: "x1",
          y1: "y1",
          x2: "x2",
          y2: "y2",
          stroke: (l: { family: string }) => familyColor(l.family),
          strokeDasharray: "6,4",
          strokeWidth: 2,
        }),
        Plot.text(starred, {
          ...STAR,
          fill: "var(--theme-background)",
          stroke: "var(--theme-background)",
          strokeWidth: 6,
          ariaHidden: "true",
        }),
        Plot.text(starred, {
          ...STAR,
          fill: (l: { family: string }) => familyColor(l.family),
          stroke: "currentColor",
          strokeWidth: 2,
          paintOrder: "stroke",
          title: (l: { family: string; slope: number }) => `${l.family}: slope ${l.slope.toFixed(2)}, positive with p < 0.05`,
        }),
      ],
    });
    container.append(plot);
  }
  // The key comes before the panels: on a phone they stack four screens deep.
  container.prepend(
    modelLegend(
      options.models.filter((m) => points.some((p) => p.model === m.model)),
      colors,
      names,
    ),
  );
  return container;
}
