/**
 * The study's unpublished analyses (src/lib/analyses/unpublished/): a difference per country
 * with its 95% interval against zero, the headline alignment as items grow more extreme,
 * and the sentences the page states about them (computed from the result, so they hold
 * under every setting).
 */
import * as Plot from "npm:@observablehq/plot";
import type { ThresholdEntry } from "../lib/analyses/unpublished/index.js";
import { languageName } from "../lib/languages.js";
import { intervalSign, type Estimate } from "../lib/recommended/estimate.js";
import { COMPARISON_COLORS, languageColorScale } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const signed = (x: number) => (Number.isFinite(x) ? `${x > 0 ? "+" : ""}${x.toFixed(2)}` : "–");
const interval = (e: Pick<Estimate, "ci_low" | "ci_high">) => `[${f2(e.ci_low)}, ${f2(e.ci_high)}]`;
const finite = (e: Pick<Estimate, "coef">) => Number.isFinite(e.coef);

export type LabelledEstimate = Pick<Estimate, "coef" | "ci_low" | "ci_high"> & { label: string };

/** Where an interval lies, in words. */
export function verdict(e: Pick<Estimate, "coef" | "ci_low" | "ci_high">): string {
  if (!finite(e) || !Number.isFinite(e.ci_low)) return "no interval";
  const sign = intervalSign(e);
  return sign > 0 ? "interval above zero" : sign < 0 ? "interval below zero" : "interval includes zero";
}

/** How many rows have an interval above zero, below it, or across it, in one sentence. */
export function countSentence(rows: readonly LabelledEstimate[], what: string, who: string): string {
  const shown = rows.filter(finite);
  if (shown.length === 0) return `No ${what} have an estimate for ${who} in these data.`;
  const above = shown.filter((r) => intervalSign(r) > 0).length;
  const below = shown.filter((r) => intervalSign(r) < 0).length;
  const list = (sign: number) =>
    shown
      .filter((r) => intervalSign(r) === sign)
      .map((r) => r.label)
      .join(", ");
  return (
    `For ${who}, ${above} of ${shown.length} ${what} have a 95% interval above zero${above ? ` (${list(1)})` : ""}, ` +
    `${below} below zero${below ? ` (${list(-1)})` : ""} and ${shown.length - above - below} include zero.`
  );
}

export interface DifferenceOptions {
  width?: number;
  /** The x axis' label (what the difference is). */
  label: string;
  ariaLabel: string;
}

/** One row per label: the full-data estimate (dot) and its 95% bootstrap interval (rule), against zero. */
export function differenceChart(rows: readonly LabelledEstimate[], options: DifferenceOptions): HTMLElement {
  const shown = rows.filter(finite);
  const color = COMPARISON_COLORS.recommended;
  return plot({
    width: chartWidth(options.width),
    height: 50 + 26 * shown.length,
    marginLeft: 150,
    ariaLabel: options.ariaLabel,
    ariaDescription: shown.map((r) => `${r.label}: ${signed(r.coef)} ${interval(r)}`).join("; "),
    caption: "Dot: the estimate on all the data. Line: its 95% interval from the item bootstrap.",
    x: { label: `${options.label} →`, grid: true },
    y: { label: null, domain: shown.map((r) => r.label) },
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(shown, { y: "label", x1: "ci_low", x2: "ci_high", stroke: color, strokeWidth: 2 }),
      Plot.dot(shown, {
        y: "label",
        x: "coef",
        fill: color,
        r: 4,
        title: (d: LabelledEstimate) => `${d.label}: ${signed(d.coef)} ${interval(d)}, ${verdict(d)}`,
      }),
    ],
  });
}

export interface ThresholdOptions {
  width?: number;
  /** The threshold the page has chosen (a vertical rule). */
  t: number;
}

/** ρ with each language's speakers against the threshold, for one model: from every item (0.5) to the most extreme. */
export function thresholdChart(entries: readonly ThresholdEntry[], options: ThresholdOptions): HTMLElement {
  const rows = entries.filter((e) => Number.isFinite(e.rho.coef)).map((e) => ({ ...e.rho, t: e.t, language: languageName(e.language) }));
  const names = [...new Set(rows.map((r) => r.language))].sort();
  const ts = [...new Set(entries.map((e) => e.t))];
  const dx = (name: string) => (names.indexOf(name) - (names.length - 1) / 2) * 5;
  return plot({
    width: chartWidth(options.width),
    height: 360,
    ariaLabel: "Alignment with each language's speakers on ever more extreme items",
    ariaDescription: rows.map((r) => `${r.language} at t ${r.t}: ρ ${f2(r.coef)} ${interval(r)}`).join("; "),
    caption: "t = 0.5 keeps every item; smaller t keeps only items whose pro share is at most t or at least 1 − t. Lines: 95% intervals.",
    x: { label: "Threshold t (smaller: more extreme items) →", reverse: true, ticks: ts, tickFormat: (t: number) => String(t) },
    y: { label: "↑ Spearman's ρ with the language's speakers", grid: true },
    color: { ...languageColorScale(names), legend: true },
    marks: [
      Plot.ruleY([0]),
      Plot.ruleX([options.t], { strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      // Each language's intervals a few pixels apart, so that they do not hide one another.
      ...names.flatMap((name) => {
        const mine = rows.filter((r) => r.language === name);
        return [
          Plot.line(mine, { x: "t", y: "coef", stroke: "language", dx: dx(name), strokeOpacity: 0.5 }),
          Plot.ruleX(mine, { x: "t", y1: "ci_low", y2: "ci_high", stroke: "language", dx: dx(name), strokeWidth: 2 }),
          Plot.dot(mine, {
            x: "t",
            y: "coef",
            fill: "language",
            dx: dx(name),
            r: 4,
            title: (d: (typeof rows)[number]) => `${d.language}, t ${d.t}: ρ ${f2(d.coef)} ${interval(d)}`,
          }),
        ];
      }),
    ],
  });
}

/** Per language at one threshold: items kept, ρ, and its shift from every item, with where the shift's interval lies. */
export function thresholdSentences(
  entries: readonly ThresholdEntry[],
  items: ReadonlyArray<{ language: string; t: number; items: number; of: number }>,
  t: number,
  who: string,
): string[] {
  return entries
    .filter((e) => e.t === t)
    .map((e) => {
      const kept = items.find((i) => i.language === e.language && i.t === t);
      const share = kept ? `${kept.items} of ${kept.of} items` : "no items";
      if (!Number.isFinite(e.rho.coef)) return `${languageName(e.language)} prompts (${who}): ${share} at t = ${t}, too few for an alignment.`;
      const shift = t === 0.5 ? "" : `; change from every item ${signed(e.shift.coef)} ${interval(e.shift)}, ${verdict(e.shift)}`;
      return `${languageName(e.language)} prompts (${who}): ${share}, ρ ${f2(e.rho.coef)} ${interval(e.rho)}${shift}.`;
    });
}
