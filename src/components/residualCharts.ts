/**
 * Residual diagnostics of one regression as published, in three panels, as the study's
 * assumption check drew them: residuals against fitted values, a normal QQ plot of the
 * standardized residuals, and each model's residual spread; with a sentence, from the
 * numbers, on what they show. Used by the capability (RQ1) and US-bias pages.
 */
import * as Plot from "npm:@observablehq/plot";
import type { RegressionResiduals } from "../lib/analyses/residuals.js";
import { sortModelRows, type ModelRow } from "../lib/workspace.js";
import { rowLabelMargin, truncate, charsFor } from "./chartLabels.js";
import { emptyState } from "./emptyState.js";
import { COMPARISON_COLORS, displayNames, FALLBACK_COLOR, modelColors, modelLegend } from "./palette.js";
import { withRows } from "./figureDownloads.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

export interface ResidualPanelsOptions {
  models: readonly ModelRow[];
  width?: number;
  /** Models and languages whose points the first panel draws, and models the third lists (default all). */
  shownModels?: readonly string[];
  shownLanguages?: readonly string[];
}

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const fp = (p: number) => (!Number.isFinite(p) ? "–" : p < 0.001 ? "< 0.001" : `= ${p.toFixed(3)}`);

function scatter(d: RegressionResiduals, points: RegressionResiduals["points"], colors: Map<string, string>, width: number): HTMLElement {
  return plot({
    width,
    height: 260,
    marginLeft: 48,
    ariaLabel: `Residuals against fitted values, ${d.regression === "rq1" ? "RQ1 mixed model" : "US-bias regression"}`,
    ariaDescription: `${points.length} residuals drawn${d.thinned ? ` (a random sample of the ${d.n})` : ""}, coloured by model; the line marks zero.`,
    x: { label: "Fitted value →" },
    y: { label: "↑ Residual", grid: true },
    marks: [
      Plot.ruleY([0]),
      Plot.dot(points, { x: "fitted", y: "residual", r: 1.8, fillOpacity: 0.55, fill: (p: { model: string }) => colors.get(p.model) ?? FALLBACK_COLOR }),
    ],
  });
}

function qqPlot(d: RegressionResiduals, width: number): HTMLElement {
  const lim = Math.max(3, ...d.qq.map((q) => Math.abs(q.theoretical)));
  return plot({
    width,
    height: 260,
    marginLeft: 48,
    ariaLabel: "Normal QQ plot of the standardized residuals",
    ariaDescription: `${d.qq.length} order statistics of ${d.n} standardized residuals against normal quantiles; a normal sample lies on the diagonal.`,
    x: { label: "Normal quantile →" },
    y: { label: "↑ Standardized residual", grid: true },
    marks: [
      Plot.line(
        [
          [-lim, -lim],
          [lim, lim],
        ],
        { stroke: COMPARISON_COLORS.reference, strokeDasharray: "4 3" },
      ),
      Plot.dot(d.qq, { x: "theoretical", y: "sample", r: 1.8, fill: COMPARISON_COLORS.recommended }),
    ],
  });
}

function byModel(spreads: RegressionResiduals["byModel"], names: Map<string, string>, colors: Map<string, string>, width: number): HTMLElement {
  const rows = spreads.map((s) => ({ ...s, name: names.get(s.model) ?? s.model }));
  const marginLeft = rowLabelMargin(
    rows.map((r) => r.name),
    width,
  );
  const fill = (r: { model: string }) => colors.get(r.model) ?? FALLBACK_COLOR;
  return plot({
    width,
    height: 28 + rows.length * 22,
    marginLeft,
    ariaLabel: "Residuals by model",
    ariaDescription: `For each of ${rows.length} models, the range (line), interquartile range (bar) and median (tick) of its residuals.`,
    x: { label: "Residual →", grid: true },
    y: { label: null, domain: rows.map((r) => r.name), tickFormat: (t: string) => truncate(t, charsFor(marginLeft)) },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(rows, { y: "name", x1: "min", x2: "max", stroke: fill }),
      Plot.barX(rows, { y: "name", x1: "q1", x2: "q3", fill, insetTop: 5, insetBottom: 5 }),
      Plot.tickX(rows, { y: "name", x: "median", strokeWidth: 2 }),
    ],
  });
}

/** What the diagnostics show, in plain words, from the numbers (holds for any fit). */
export function residualSentence(d: RegressionResiduals): string {
  const { skew, kurtosis, jarqueBera, jarqueBeraP, omnibus, omnibusP, n } = d.normality;
  if (n < 3 || !Number.isFinite(skew)) return `Too few residuals (${n}) to describe their shape.`;
  const shape =
    Math.abs(skew) < 0.5
      ? "nearly symmetric"
      : skew < 0
        ? "skewed: a longer tail of residuals far below the fitted value"
        : "skewed: a longer tail of residuals far above the fitted value";
  const tails =
    kurtosis > 3.5
      ? "heavier tails than a normal distribution"
      : kurtosis < 2.5
        ? "lighter tails than a normal distribution"
        : "tails close to a normal distribution's";
  const iqr = d.byModel.map((m) => ({ m, w: m.q3 - m.q1 })).sort((a, b) => a.w - b.w);
  const spread =
    iqr.length > 1
      ? ` Per model, the interquartile range of the residuals runs from ${iqr[0]!.w.toFixed(3)} to ${iqr[iqr.length - 1]!.w.toFixed(3)}, so their variance is ${iqr[iqr.length - 1]!.w > 1.5 * iqr[0]!.w ? "not" : "roughly"} constant across models.`
      : "";
  return (
    `The ${n.toLocaleString("en")} residuals are ${shape}, with ${tails} (skewness ${f2(skew)}, normal 0; kurtosis ${f2(kurtosis)}, normal 3; ` +
    `Jarque–Bera ${jarqueBera.toFixed(0)}, p ${fp(jarqueBeraP)}; omnibus K² ${omnibus.toFixed(0)}, p ${fp(omnibusP)}).${spread} ` +
    `The tests treat every residual as independent, but the bootstrap rounds of one model and language resample the same responses, so their p-values overstate the evidence; read the size of the skewness and kurtosis instead.`
  );
}

/** The three panels and the sentence, for one regression. */
export function residualPanels(d: RegressionResiduals | undefined, options: ResidualPanelsOptions): HTMLElement {
  if (!d || d.n === 0) return emptyState("No residuals: the regression has no observations under these settings.");
  const colors = modelColors(options.models);
  const names = displayNames(options.models);
  const showM = (m: string) => !options.shownModels || options.shownModels.includes(m);
  const showL = (l: string) => !options.shownLanguages || options.shownLanguages.includes(l);
  const points = d.points.filter((p) => showM(p.model) && showL(p.language));
  const width = chartWidth(options.width);
  const panel = width >= 720 ? Math.floor((width - 24) / 2) : width;
  const wrap = document.createElement("div");
  wrap.className = "residual-panels";
  const grid = document.createElement("div");
  grid.style.cssText = "display:flex;flex-wrap:wrap;gap:24px";
  grid.append(scatter(d, points, colors, panel), qqPlot(d, panel));
  const shown = options.models.filter((m) => d.byModel.some((s) => s.model === m.model) && showM(m.model));
  const rank = new Map(sortModelRows(options.models).map((m, i) => [m.model, i]));
  const rankOf = (m: string) => rank.get(m) ?? rank.size;
  const note = document.createElement("p");
  note.className = "fit-stats";
  note.textContent =
    `Left: ${points.length.toLocaleString("en")} residuals of the ticked models and languages${d.thinned ? `, from a random sample of ${d.thinned.points.toLocaleString("en")} of the ${d.n.toLocaleString("en")}` : ""}. ` +
    `Right: ${d.thinned ? `${d.thinned.qq} evenly spaced order statistics of` : "all"} the ${d.n.toLocaleString("en")} residuals standardized by the residual standard deviation (${Math.sqrt(d.scale).toFixed(4)}), against normal quantiles at Blom's plotting position (i − 3/8)/(n + 1/4). ` +
    `Below: each model's residuals over all its languages (line: range; bar: interquartile range; tick: median).`;
  wrap.append(
    grid,
    modelLegend(shown, colors, names, "Models"),
    byModel(
      d.byModel.filter((s) => showM(s.model)).sort((a, b) => rankOf(a.model) - rankOf(b.model)),
      names,
      colors,
      width,
    ),
    note,
  );
  const sentence = document.createElement("p");
  sentence.textContent = residualSentence(d);
  wrap.append(sentence);
  return withRows(wrap, points);
}
