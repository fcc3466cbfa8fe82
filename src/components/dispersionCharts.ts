/**
 * Dispersion (src/lib/analyses/dispersion.ts): each model's within-item spread of VPS against
 * the binomial spread of a ten-person sample of the population. A dot-and-interval chart of the
 * ratio per model, one panel per prompt language and population (log scale, 1 marked); a
 * scatter of observed against expected variance per item for one model (the diagonal marked);
 * and the sentences the page states, computed from the cells shown.
 */
import * as Plot from "npm:@observablehq/plot";
import type { DispersionCell, DispersionItem } from "../lib/analyses/dispersion.js";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import { charsFor, rowLabelMargin, truncate } from "./chartLabels.js";
import { displayNames, FALLBACK_COLOR, languageColorScale, modelColors } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");

export interface DispersionChartOptions {
  models: readonly ModelRow[];
  /** A panel's title for a cell (its prompt language and population). */
  panel: (c: DispersionCell) => string;
  width?: number;
}

/** Ticks of the ratio's log axis, as plain numbers. */
const RATIO_TICKS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5, 0.7, 1, 1.5, 2, 3, 5, 7, 10, 20, 50, 100];

/** The ratio's lower and upper plotting bounds: every finite, positive interval end and 1. */
function ratioDomain(cells: readonly DispersionCell[]): [number, number] {
  const values = cells.flatMap((c) => [c.ratio, c.ci_low, c.ci_high]).filter((x) => Number.isFinite(x) && x > 0);
  return [Math.min(1, ...values) / 1.1, Math.max(1, ...values) * 1.1];
}

/** Ratio per model with its 95% interval, one panel per language × population; cells with a ratio of 0 or none are left out. */
export function dispersionChart(cells: readonly DispersionCell[], options: DispersionChartOptions): HTMLElement {
  const names = displayNames(options.models);
  const colors = modelColors(options.models);
  const shown = cells.filter((c) => Number.isFinite(c.ratio) && c.ratio > 0);
  const rows = shown.map((c) => ({
    ...c,
    name: names.get(c.model) ?? c.model,
    panelTitle: options.panel(c),
    low: Number.isFinite(c.ci_low) && c.ci_low > 0 ? c.ci_low : c.ratio,
    high: Number.isFinite(c.ci_high) ? c.ci_high : c.ratio,
  }));
  const labels = [...new Set(rows.map((r) => r.name))];
  const panels = [...new Set(rows.map((r) => r.panelTitle))];
  const width = chartWidth(options.width);
  const marginLeft = rowLabelMargin(labels, width);
  const above = shown.filter((c) => c.ci_low > 1).length;
  const below = shown.filter((c) => c.ci_high < 1).length;
  const domain = ratioDomain(shown);
  return plot({
    width,
    height: panels.length * (labels.length * 16 + 34) + 40,
    marginLeft,
    marginRight: 12,
    ariaLabel: "Dispersion ratio (observed / expected within-item variance) by model, per prompt language and population",
    ariaDescription:
      `Dot and interval chart of ${rows.length} ratios in ${panels.length} panels (${panels.join("; ")}), on a log scale with 1 marked: ` +
      `${above} intervals lie wholly above 1 (more spread than a ten-person sample), ${below} wholly below.`,
    x: {
      type: "log",
      domain,
      ticks: RATIO_TICKS.filter((t) => t >= domain[0] && t <= domain[1]),
      tickFormat: (t: number) => String(t),
      label: width < 520 ? "Observed / expected (log) →" : "Observed / expected variance (log scale; 1 = as spread as a ten-person sample) →",
      grid: true,
    },
    y: { domain: labels, label: null, tickFormat: (t: string) => truncate(t, charsFor(marginLeft)) },
    marginTop: 22,
    fy: { domain: panels, axis: null, padding: 0.3 },
    marks: [
      Plot.ruleX([1], { stroke: "currentColor", strokeDasharray: "4,3" }),
      Plot.ruleY(rows, { fy: "panelTitle", y: "name", x1: "low", x2: "high", stroke: "currentColor", strokeOpacity: 0.6, strokeWidth: 1.5 }),
      Plot.dot(rows, {
        fy: "panelTitle",
        y: "name",
        x: "ratio",
        r: 4,
        fill: (d: (typeof rows)[number]) => colors.get(d.model) ?? FALLBACK_COLOR,
        title: (d: (typeof rows)[number]) => `${d.name}, ${d.panelTitle}: ${f2(d.ratio)} [${f2(d.ci_low)}, ${f2(d.ci_high)}] over ${d.items} items`,
      }),
      Plot.text(
        panels.map((panelTitle) => ({ panelTitle })),
        { fy: "panelTitle", text: "panelTitle", frameAnchor: "top-left", lineAnchor: "bottom", dy: -6, fontSize: 12, fontWeight: 600 },
      ),
    ],
  });
}

export interface ItemScatterOptions {
  width?: number;
  /** An item's name for its tooltip. */
  itemName?: (item: string) => string;
}

/**
 * Observed against expected within-item variance, one dot per item and prompt language (one model,
 * one population per language); the dashed line is observed = expected (each axis has its own range).
 */
export function itemScatter(items: readonly DispersionItem[], options: ItemScatterOptions = {}): HTMLElement {
  const rows = items.filter((r) => Number.isFinite(r.observed) && Number.isFinite(r.expected)).map((r) => ({ ...r, languageName: languageName(r.language) }));
  const right = Math.max(0.005, ...rows.map((r) => r.expected)) * 1.05;
  const top = Math.max(0.005, ...rows.map((r) => r.observed)) * 1.05;
  const diagonal = Math.min(right, top);
  const above = rows.filter((r) => r.observed > r.expected).length;
  const colour = languageColorScale([...new Set(rows.map((r) => r.languageName))].sort());
  const name = options.itemName ?? ((i: string) => i);
  return plot({
    width: chartWidth(options.width),
    height: 360,
    ariaLabel: "Observed against expected within-item variance of VPS, per item and prompt language",
    ariaDescription: `Scatter of ${rows.length} items: ${above} lie above the diagonal (more spread than a ten-person sample of the population), ${rows.length - above} on or below it.`,
    x: { domain: [0, right], label: "Expected: p(1 − p) × mean(1/n) →", grid: true },
    y: { domain: [0, top], label: "↑ Observed variance of VPS", grid: true },
    color: { ...colour, legend: true, label: "Prompt language" },
    marks: [
      Plot.line(
        [
          [0, 0],
          [diagonal, diagonal],
        ],
        { stroke: "currentColor", strokeDasharray: "4,3" },
      ),
      Plot.dot(rows, {
        x: "expected",
        y: "observed",
        fill: "languageName",
        r: 3.5,
        title: (d: (typeof rows)[number]) =>
          `${name(d.item)} (${d.languageName}, ${d.population}): observed ${d.observed.toFixed(4)}, expected ${d.expected.toFixed(4)}; ` +
          `${d.responses} answers, mean VPS ${d.mean.toFixed(2)}, pro share ${d.pro_share.toFixed(2)}`,
      }),
    ],
  });
}

/** What the page states about the cells shown: how many intervals lie above, below or across 1, and the range of the ratios. */
export function dispersionSentences(cells: readonly DispersionCell[], who: (model: string) => string): string[] {
  const finite = cells.filter((c) => Number.isFinite(c.ratio));
  if (!finite.length) return [];
  const above = finite.filter((c) => c.ci_low > 1).length;
  const below = finite.filter((c) => c.ci_high < 1).length;
  const sorted = [...finite].sort((a, b) => a.ratio - b.ratio);
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  const place = (c: DispersionCell) => `${who(c.model)} in ${languageName(c.language)}`;
  return [
    `Of ${finite.length} model × language × population cells, ${above} spread their answers more than a ten-person sample of the population would (95% interval wholly above 1), ` +
      `${below} less (wholly below 1), and ${finite.length - above - below} are not distinguishable from it at these data (interval across 1 or undefined).`,
    `The ratios run from ${f2(low.ratio)} (${place(low)}) to ${f2(high.ratio)} (${place(high)}).`,
  ];
}
