/**
 * The recommended analysis beside the study's ("as published"): capability slopes of
 * both with their 95% intervals and the leave-one-model-out range of the recommended
 * ones; the median model's US gap per language under both; the median model's gap
 * against each of a language's countries alone; and the warnings about the published
 * fit. Colours tell the analyses apart: grey as published, orange recommended.
 */
import { median } from "../lib/descriptive.js";
import { COMPARISON_COLORS } from "./palette.js";
import * as Plot from "npm:@observablehq/plot";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { intervalSign, type CountryGap, type GapEstimate, type Interval, type SlopeEstimate } from "./analysisComparison.js";
import { chartWidth } from "./width.js";

export const PUBLISHED = "As published";
export const RECOMMENDED = "Recommended";
export const ANALYSIS_COLORS: Readonly<Record<string, string>> = { [PUBLISHED]: COMPARISON_COLORS.published, [RECOMMENDED]: COMPARISON_COLORS.recommended };
const colorScale = { domain: [PUBLISHED, RECOMMENDED], range: [ANALYSIS_COLORS[PUBLISHED]!, ANALYSIS_COLORS[RECOMMENDED]!], legend: true };
const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");

/** A slope's estimates with each model left out: { family, language, slope } lists. */
export interface LeaveOneOutSlopes {
  slopes: ReadonlyArray<{ family: string; language: string; slope: number }>;
}

/** The range (min to max) of each slope over the leave-one-model-out refits. */
export function leaveOneOutRanges(leaveOut: readonly LeaveOneOutSlopes[]): Array<{ family: string; language: string; min: number; max: number }> {
  const ranges = new Map<string, { family: string; language: string; min: number; max: number }>();
  for (const s of leaveOut.flatMap((l) => l.slopes)) {
    if (!Number.isFinite(s.slope)) continue;
    const key = `${s.family}\u0000${s.language}`;
    const r = ranges.get(key) ?? { family: s.family, language: s.language, min: s.slope, max: s.slope };
    ranges.set(key, { ...r, min: Math.min(r.min, s.slope), max: Math.max(r.max, s.slope) });
  }
  return [...ranges.values()];
}

/** An interval (rule) and a point (dot) per row, offset by `dy` px within its band. */
function intervalMarks<T extends Interval>(rows: readonly T[], y: string, fy: string | undefined, dy: number, symbol: string, title: (d: T) => string) {
  return [
    Plot.ruleY(rows, { fy, y, x1: "ci_low", x2: "ci_high", dy, stroke: "analysis", strokeWidth: 2 }),
    Plot.dot(rows, { fy, y, x: "coef", dy, symbol, fill: "analysis", stroke: "analysis", r: 4, title }),
  ];
}

export interface SlopeComparisonOptions {
  width?: number;
  /** The recommended slopes with each model left out in turn: drawn as a band from min to max. */
  leaveOneOut?: readonly LeaveOneOutSlopes[];
}

/** Capability slopes per family and language: as published and recommended, with 95% intervals and the leave-one-out range. */
export function slopeComparisonChart(
  published: readonly SlopeEstimate[],
  recommended: readonly SlopeEstimate[],
  options: SlopeComparisonOptions = {},
): HTMLElement | SVGSVGElement {
  const tag = (list: readonly SlopeEstimate[], analysis: string) => list.map((s) => ({ ...s, analysis, languageName: languageName(s.language) }));
  const pub = tag(published, PUBLISHED);
  const rec = tag(recommended, RECOMMENDED);
  const families = [...new Set([...pub, ...rec].map((r) => r.family))].sort();
  const languages = [...new Set([...pub, ...rec].map((r) => r.languageName))].sort();
  const ranges = leaveOneOutRanges(options.leaveOneOut ?? []).map((r) => ({ ...r, languageName: languageName(r.language) }));
  const title = (d: (typeof pub)[number]) => `${d.analysis}: ${d.family}, ${d.languageName}: ${f3(d.coef)} [${f3(d.ci_low)}, ${f3(d.ci_high)}]`;
  const significant = (list: readonly SlopeEstimate[]) => list.filter((s) => intervalSign(s) !== 0).length;
  return Plot.plot({
    width: chartWidth(options.width),
    height: languages.length * (families.length * 30 + 20) + 60,
    marginLeft: 70,
    marginRight: 90,
    ariaLabel: "Capability slopes as published and recommended",
    ariaDescription:
      `Capability slopes with 95% intervals for ${families.length} families in ${languages.length} languages, as published and under the recommended analysis. ` +
      `Intervals excluding zero: ${significant(published)} of ${published.length} as published, ${significant(recommended)} of ${recommended.length} recommended.` +
      (ranges.length ? " Light bands: the recommended slope's range when one model is left out." : ""),
    caption: ranges.length ? "Light orange band: the range of the recommended slope when one model at a time is left out." : undefined,
    fy: { label: null },
    y: { domain: families, label: null },
    x: { label: "β capability (alignment per unit of capability) →", grid: true },
    color: colorScale,
    marks: [
      Plot.ruleX([0]),
      Plot.ruleY(ranges, {
        fy: "languageName",
        y: "family",
        x1: "min",
        x2: "max",
        dy: 6,
        stroke: ANALYSIS_COLORS[RECOMMENDED],
        strokeOpacity: 0.25,
        strokeWidth: 10,
        title: (d: (typeof ranges)[number]) => `Leaving out one model: ${f3(d.min)} to ${f3(d.max)}`,
      }),
      ...intervalMarks(pub, "family", "languageName", -6, "circle", title),
      ...intervalMarks(rec, "family", "languageName", 6, "diamond2", title),
    ],
  });
}

export interface MedianGapOptions {
  width?: number;
}

/**
 * US bias per language: the median model's β_BiasUS as published and its gap under the
 * recommended analysis (with its interval); small marks are the individual models.
 */
export function medianGapChart(
  published: readonly GapEstimate[],
  recommendedGaps: readonly GapEstimate[],
  medians: readonly (Interval & { language: string })[],
  options: MedianGapOptions = {},
): HTMLElement | SVGSVGElement {
  const languages = [...new Set(medians.map((m) => m.language))]
    .filter((l) => published.some((p) => p.language === l))
    .sort((a, b) => languageName(a).localeCompare(languageName(b)));
  const names = languages.map(languageName);
  const pubMedians = languages.map((l) => {
    const coef = median(published.filter((p) => p.language === l).map((p) => p.coef));
    return { language: l, languageName: languageName(l), coef, ci_low: NaN, ci_high: NaN, analysis: PUBLISHED };
  });
  const recMedians = medians
    .filter((m) => languages.includes(m.language))
    .map((m) => ({ ...m, languageName: languageName(m.language), analysis: RECOMMENDED }));
  const each = (rows: readonly GapEstimate[], analysis: string) =>
    rows.filter((r) => languages.includes(r.language)).map((r) => ({ ...r, languageName: languageName(r.language), analysis }));
  const title = (d: (typeof recMedians)[number]) =>
    `${d.analysis}, ${d.languageName}, median model: ${f3(d.coef)}${Number.isFinite(d.ci_low) ? ` [${f3(d.ci_low)}, ${f3(d.ci_high)}]` : ""}`;
  return Plot.plot({
    width: chartWidth(options.width),
    height: languages.length * 60 + 70,
    marginLeft: 90,
    ariaLabel: "Median model's US gap per language, as published and recommended",
    ariaDescription:
      `Per prompt language, the median model's β_BiasUS as published and its gap (US minus own countries, no baseline subtracted) under the recommended analysis with a 95% interval: ` +
      recMedians
        .map(
          (m) =>
            `${m.languageName} ${f3(pubMedians.find((p) => p.language === m.language)!.coef)} as published, ${f3(m.coef)} [${f3(m.ci_low)}, ${f3(m.ci_high)}] recommended`,
        )
        .join("; ") +
      ".",
    caption: "Large marks: the median model (recommended: with its 95% interval); small dots above (grey) and below (orange) each row: the individual models.",
    y: { domain: names, label: null },
    x: { label: "← closer to own countries · closer to the US →", grid: true },
    color: colorScale,
    marks: [
      Plot.ruleX([0]),
      Plot.dot(each(published, PUBLISHED), { y: "languageName", x: "coef", dy: -14, r: 2.5, fill: "analysis", fillOpacity: 0.6 }),
      Plot.dot(each(recommendedGaps, RECOMMENDED), { y: "languageName", x: "coef", dy: 14, r: 2.5, fill: "analysis", fillOpacity: 0.6 }),
      Plot.dot(pubMedians, { y: "languageName", x: "coef", dy: -6, r: 5, fill: "analysis", title }),
      ...intervalMarks(recMedians, "languageName", undefined, 6, "diamond2", title),
    ],
  });
}

export interface CountryGapOptions {
  width?: number;
}

/** One language's US bias against each of its countries alone: the median model with its interval, each model as a small dot. */
export function countryGapChart(
  medianByCountry: readonly CountryGap[],
  byCountry: readonly (CountryGap & { model: string })[],
  options: CountryGapOptions = {},
): HTMLElement | SVGSVGElement {
  const rows = [...medianByCountry].sort((a, b) => b.coef - a.coef).map((r) => ({ ...r, name: countryName(r.country), analysis: RECOMMENDED }));
  const names = rows.map((r) => r.name);
  const models = byCountry.map((r) => ({ ...r, name: countryName(r.country) }));
  const language = languageName(rows[0]?.language ?? "");
  return Plot.plot({
    width: chartWidth(options.width),
    height: rows.length * 32 + 70,
    marginLeft: 110,
    ariaLabel: `US gap against each ${language}-speaking country`,
    ariaDescription:
      `For ${language} prompts, the median model's alignment with the US minus its alignment with each ${language}-speaking country alone, with 95% intervals: ` +
      rows.map((r) => `${r.name} ${f3(r.coef)} [${f3(r.ci_low)}, ${f3(r.ci_high)}]`).join("; ") +
      ".",
    caption: "Diamonds: the median model with its 95% interval; grey dots above each row: the individual models.",
    y: { domain: names, label: null },
    x: { label: "US minus this country (recommended) →", grid: true },
    color: { domain: [RECOMMENDED], range: [ANALYSIS_COLORS[RECOMMENDED]!] },
    marks: [
      Plot.ruleX([0]),
      Plot.dot(models, {
        y: "name",
        x: "coef",
        dy: -8,
        r: 2.5,
        fill: ANALYSIS_COLORS[PUBLISHED],
        fillOpacity: 0.6,
        title: (d: (typeof models)[number]) => `${d.model}, ${d.name}: ${f3(d.coef)}`,
      }),
      ...intervalMarks(rows, "name", undefined, 0, "diamond2", (d) => `Median model, ${d.name}: ${f3(d.coef)} [${f3(d.ci_low)}, ${f3(d.ci_high)}]`),
    ],
  });
}

/** Warnings (e.g. from fitWarnings) as one warning box, or null when there are none. */
export function warningBox(messages: readonly string[]): HTMLElement | null {
  if (!messages.length) return null;
  const div = document.createElement("div");
  div.className = "warning fit-warning";
  div.setAttribute("role", "note");
  for (const m of messages) {
    const p = document.createElement("p");
    p.textContent = m;
    div.append(p);
  }
  return div;
}

/** Sentences as paragraphs, one each, in a div (class `analysis-summary`), or null when there are none. */
export function summaryParagraph(sentences: readonly string[], className = "analysis-summary"): HTMLElement | null {
  const shown = sentences.filter(Boolean);
  if (!shown.length) return null;
  const div = document.createElement("div");
  div.className = className;
  for (const s of shown) {
    const p = document.createElement("p");
    p.textContent = s;
    div.append(p);
  }
  return div;
}
