/**
 * The cross-effects page's charts: the within-minus-between consistency gap per model as
 * published (grey, self-pairs counted) and recommended (orange, none), each with its 95%
 * interval; and one model's alignment with every country under every prompt language.
 */
import * as Plot from "npm:@observablehq/plot";
import type { ModelGap } from "../lib/analyses/crossEffects/index.js";
import type { MatrixCell } from "../lib/analyses/crossEffects/matrix.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import type { ModelRow } from "../lib/workspace.js";
import { rowLabelMargin } from "./chartLabels.js";
import { displayNames } from "./palette.js";
import { plot } from "./plot.js";
import { ANALYSIS_COLORS, PUBLISHED, RECOMMENDED } from "./recommendedCharts.js";
import { chartWidth } from "./width.js";

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");

export interface GapChartOptions {
  models: readonly ModelRow[];
  width?: number;
}

/** Per model: the gap as published and recommended, with 95% intervals. */
export function gapChart(gaps: readonly ModelGap[], options: GapChartOptions): HTMLElement {
  const names = displayNames(options.models);
  const rows = gaps.flatMap((g) => {
    const name = names.get(g.model) ?? g.model;
    return [
      { name, analysis: PUBLISHED, coef: g.published.gap, ci_low: g.published.ci_low, ci_high: g.published.ci_high },
      { name, analysis: RECOMMENDED, coef: g.recommended.gap, ci_low: g.recommended.ci_low, ci_high: g.recommended.ci_high },
    ];
  });
  const labels = [...new Set(rows.map((r) => r.name))];
  const width = chartWidth(options.width);
  const above = gaps.filter((g) => g.recommended.ci_low > 0).length;
  return plot({
    width,
    height: labels.length * 34 + 70,
    marginLeft: rowLabelMargin(labels, width),
    ariaLabel: "Consistency within minus between prompt languages, per model",
    ariaDescription:
      `For ${labels.length} models, the gap as published (self-pairs counted) and recommended (without them), with 95% intervals. ` +
      `Recommended intervals above zero: ${above} of ${gaps.length}.`,
    y: { domain: labels, label: null },
    x: { label: "Consistency gap, within − between →", grid: true },
    color: { domain: [PUBLISHED, RECOMMENDED], range: [ANALYSIS_COLORS[PUBLISHED]!, ANALYSIS_COLORS[RECOMMENDED]!], legend: true },
    marks: [
      Plot.ruleX([0]),
      ...[PUBLISHED, RECOMMENDED].flatMap((analysis, i) => {
        const own = rows.filter((r) => r.analysis === analysis);
        const dy = i === 0 ? -5 : 5;
        return [
          Plot.ruleY(own, { y: "name", x1: "ci_low", x2: "ci_high", dy, stroke: "analysis", strokeWidth: 2 }),
          Plot.dot(own, {
            y: "name",
            x: "coef",
            dy,
            fill: "analysis",
            r: 4,
            title: (d: (typeof rows)[number]) => `${d.name}, ${d.analysis.toLowerCase()}: ${f3(d.coef)} [${f3(d.ci_low)}, ${f3(d.ci_high)}]`,
          }),
        ];
      }),
    ],
  });
}

export interface MatrixChartOptions {
  metricLabel: string;
  width?: number;
}

/** One model's alignment per prompt language (rows) and country (columns); a ring marks the country's own language. */
export function crossMatrixChart(cells: readonly MatrixCell[], options: MatrixChartOptions): HTMLElement {
  const rows = cells.map((c) => ({ ...c, lang: languageName(c.language), name: countryName(c.country) }));
  const countries = [...new Set(cells.map((c) => c.country))].sort().map(countryName);
  const languages = [...new Set(rows.map((r) => r.lang))].sort();
  const width = chartWidth(options.width);
  const home = rows.filter((r) => r.home);
  return plot({
    width,
    height: languages.length * 44 + 110,
    marginLeft: rowLabelMargin(languages, width, 0.25),
    marginBottom: 80,
    ariaLabel: `Alignment (${options.metricLabel}) with each country under each prompt language`,
    ariaDescription:
      `${languages.length} prompt languages by ${countries.length} countries; each cell is the full-data ${options.metricLabel}. ` +
      `Outlined cells: the country's own language (${home.map((h) => `${h.name} ${f3(h.coef)}`).join(", ")}).`,
    x: { domain: countries, label: null, tickRotate: -40 },
    y: { domain: languages, label: null },
    color: { type: "linear", scheme: "viridis", legend: true, label: options.metricLabel },
    marks: [
      Plot.cell(rows, {
        x: "name",
        y: "lang",
        fill: "coef",
        inset: 1,
        title: (d: (typeof rows)[number]) => `${d.lang} prompts, ${d.name}: ${f3(d.coef)} [${f3(d.ci_low)}, ${f3(d.ci_high)}], n = ${d.n}`,
      }),
      Plot.cell(home, { x: "name", y: "lang", fill: "none", stroke: "currentColor", strokeWidth: 2.5, inset: 1 }),
      Plot.text(rows, {
        x: "name",
        y: "lang",
        text: (d: (typeof rows)[number]) => (Number.isFinite(d.coef) ? d.coef.toFixed(2) : "–"),
        fill: "white",
        stroke: "black",
        strokeWidth: 2,
        paintOrder: "stroke",
        fontSize: 10,
      }),
    ],
  });
}

/** What changes without self-pairs, and what the recommended intervals say, in sentences that follow the numbers shown. */
export function gapSummary(gaps: readonly ModelGap[], name: (model: string) => string): string {
  const valid = gaps.filter((g) => Number.isFinite(g.withSelfPairs.gap) && Number.isFinite(g.recommended.gap));
  if (valid.length === 0) return "No model answered the same items in two or more prompt languages, so there is no gap to compute.";
  const ratios = valid.map((g) => g.recommended.gap / g.withSelfPairs.gap).sort((a, b) => a - b);
  const mid = ratios[Math.floor((ratios.length - 1) / 2)]!;
  const fell = valid.filter((g) => g.recommended.gap < g.withSelfPairs.gap).length;
  const above = valid.filter((g) => g.recommended.ci_low > 0);
  const examples = [...valid]
    .sort((a, b) => a.recommended.gap / a.withSelfPairs.gap - b.recommended.gap / b.withSelfPairs.gap)
    .slice(0, 2)
    .map((g) => `${name(g.model)} ${f3(g.withSelfPairs.gap)} → ${f3(g.recommended.gap)}`);
  return (
    `Without self-pairs the gap is smaller for ${fell} of ${valid.length} models; the median model keeps ${f3(mid)} of its gap with self-pairs (the steepest falls: ${examples.join(", ")}). ` +
    `Under the recommended analysis, ${above.length} of ${valid.length} models have a 95% interval above zero` +
    (above.length && above.length < valid.length ? ` (${above.map((g) => name(g.model)).join(", ")})` : "") +
    "."
  );
}
