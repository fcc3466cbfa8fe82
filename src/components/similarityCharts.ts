/**
 * Whose opinions (src/lib/analyses/similarity.ts): the language × country alignment
 * heatmap, the nearest countries per language, the gap-on-similarity scatter with its
 * fitted line and band, and the sentences the page states about them.
 */
import * as Plot from "npm:@observablehq/plot";
import type { GapRegression, SimilarityCell, SimilarityGap } from "../lib/analyses/similarity.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { COMPARISON_COLORS } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const interval = (e: { ci_low: number; ci_high: number }) => `[${f2(e.ci_low)}, ${f2(e.ci_high)}]`;
const places = (c: SimilarityCell) => (c.rank_low === c.rank_high ? `${c.rank_low}` : `${c.rank_low}–${c.rank_high}`);

export interface HeatmapOptions {
  /** Countries from left to right (default: by name). */
  countries?: readonly string[];
  width?: number;
}

/** ρ per prompt language (rows) and country (columns) for one model, with the value in each cell. */
export function similarityHeatmap(cells: readonly SimilarityCell[], options: HeatmapOptions = {}): HTMLElement {
  const rows = cells.filter((c) => Number.isFinite(c.coef)).map((c) => ({ ...c, languageName: languageName(c.language), countryName: countryName(c.country) }));
  const countries = (options.countries ?? [...new Set(cells.map((c) => c.country))].sort()).map(countryName);
  const values = rows.map((r) => r.coef);
  const lo = Math.min(0, ...values);
  const hi = Math.max(lo + 0.01, ...values);
  const best = [...rows].sort((a, b) => b.coef - a.coef)[0];
  // Each cell needs about 40px for its value: on a narrow screen the chart scrolls sideways.
  const scroller = document.createElement("div");
  scroller.style.overflowX = "auto";
  const chart = plot({
    width: Math.max(chartWidth(options.width), 40 * countries.length + 110),
    height: 70 + 34 * new Set(rows.map((r) => r.language)).size,
    marginLeft: 90,
    marginBottom: 80,
    ariaLabel: "Alignment by prompt language and country",
    ariaDescription:
      `Spearman's ρ of the answers with each country's survey, for ${new Set(rows.map((r) => r.language)).size} prompt languages and ${countries.length} countries.` +
      (best ? ` Highest: ${best.languageName} prompts with ${best.countryName}, ${f2(best.coef)}.` : ""),
    x: { domain: countries, label: null, tickRotate: -45 },
    y: { label: null },
    color: { type: "linear", scheme: "blues", domain: [lo, hi], legend: true, label: "Spearman's ρ" },
    marks: [
      Plot.cell(rows, {
        x: "countryName",
        y: "languageName",
        fill: "coef",
        inset: 0.5,
        title: (d: (typeof rows)[number]) => `${d.languageName} prompts, ${d.countryName}: ρ ${f2(d.coef)} ${interval(d)}, rank ${d.rank} (95% ${places(d)})`,
      }),
      Plot.text(rows, {
        x: "countryName",
        y: "languageName",
        text: (d: (typeof rows)[number]) => f2(d.coef),
        // White from 0.7 of the "blues" scale up, black below: each has at least 4.3:1 on its cell.
        fill: (d: (typeof rows)[number]) => ((d.coef - lo) / (hi - lo) > 0.7 ? "white" : "black"),
      }),
    ],
  });
  scroller.append(chart);
  return scroller;
}

/** One column per prompt language: the countries from nearest down, with ρ and the 95% interval of the rank. */
export function nearestTable(cells: readonly SimilarityCell[], options: { top?: number } = {}): HTMLElement {
  const languages = [...new Set(cells.map((c) => c.language))].sort();
  const ranked = languages.map((l) =>
    cells.filter((c) => c.language === l && Number.isFinite(c.rank)).sort((a, b) => a.rank - b.rank || a.country.localeCompare(b.country)),
  );
  const depth = Math.min(options.top ?? Number.POSITIVE_INFINITY, Math.max(0, ...ranked.map((r) => r.length)));
  const table = document.createElement("table");
  table.className = "nearest-countries";
  const head = table.createTHead().insertRow();
  for (const text of ["Place", ...languages.map((l) => `${languageName(l)} prompts`)])
    head.append(Object.assign(document.createElement("th"), { scope: "col", textContent: text }));
  const body = table.createTBody();
  for (let k = 0; k < depth; k++) {
    const row = body.insertRow();
    row.insertCell().textContent = String(k + 1);
    for (const list of ranked) {
      const c = list[k];
      row.insertCell().textContent = c ? `${countryName(c.country)} ${f2(c.coef)} (places ${places(c)})` : "";
    }
  }
  return table;
}

export interface GapScatterOptions {
  width?: number;
}

/** Each country's gap (US minus the country) against its survey similarity to the US, with the fitted line and its 95% band. */
export function gapScatter(gaps: readonly SimilarityGap[], regression: GapRegression, options: GapScatterOptions = {}): HTMLElement {
  const points = gaps.filter((g) => Number.isFinite(g.coef) && regression.countries.includes(g.country)).map((g) => ({ ...g, name: countryName(g.country) }));
  const line = COMPARISON_COLORS.recommended;
  return plot({
    width: chartWidth(options.width),
    height: 380,
    marginRight: 30,
    ariaLabel: "US gap against survey similarity to the US",
    ariaDescription:
      `For ${points.length} countries, alignment with the US minus alignment with the country, against the country's survey similarity to the US; ` +
      `fitted slope ${f2(regression.slope.coef)} with 95% bootstrap interval ${interval(regression.slope)}.`,
    caption: "Dots: each country's gap with its 95% interval. Line: least squares, with its 95% bootstrap band (the similarities held fixed).",
    x: { label: "Survey similarity to the US (Spearman's ρ) →", grid: true },
    y: { label: "↑ Alignment with the US minus with the country", grid: true },
    marks: [
      Plot.ruleY([0]),
      Plot.areaY(regression.band, { x: "x", y1: "ci_low", y2: "ci_high", fill: line, fillOpacity: 0.18 }),
      Plot.lineY(regression.band, { x: "x", y: "fit", stroke: line, strokeWidth: 2 }),
      Plot.ruleX(points, { x: "similarity", y1: "ci_low", y2: "ci_high", stroke: "currentColor", strokeOpacity: 0.5 }),
      Plot.dot(points, {
        x: "similarity",
        y: "coef",
        fill: "currentColor",
        r: 3.5,
        title: (d: (typeof points)[number]) =>
          `${d.name}, ${languageName(d.language)} prompts: gap ${f2(d.coef)} ${interval(d)}, similarity ${f2(d.similarity)}`,
      }),
      Plot.text(points, { x: "similarity", y: "coef", text: "country", dx: 6, textAnchor: "start", fontSize: 10 }),
    ],
  });
}

/** Per language: the nearest country, and where the language's own countries rank, with how sure each place is. */
export function nearestSentences(cells: readonly SimilarityCell[], own: ReadonlyMap<string, string>, who: string): string[] {
  const languages = [...new Set(cells.map((c) => c.language))].sort();
  return languages.flatMap((l) => {
    const ranked = cells.filter((c) => c.language === l && Number.isFinite(c.rank)).sort((a, b) => a.rank - b.rank);
    if (ranked.length === 0) return [];
    const top = ranked[0]!;
    const home = ranked.filter((c) => own.get(c.country) === l);
    const homes = home.length
      ? ` Its own ${home.length > 1 ? "countries rank" : "country ranks"} ${home.map((c) => `${countryName(c.country)} ${c.rank} (95% interval of places ${places(c)})`).join(", ")}.`
      : " No surveyed country has it as its language.";
    const sure =
      top.rank_high <= 1
        ? `first of ${ranked.length} in 95% of the bootstrap replicates`
        : `first of ${ranked.length} on the full data, but anywhere from place ${top.rank_low} to ${top.rank_high} in 95% of the bootstrap replicates`;
    return [`${languageName(l)} prompts (${who}): nearest is ${countryName(top.country)}, ρ ${f2(top.coef)} ${interval(top)}, ${sure}.${homes}`];
  });
}

/** The regression in words: slope, both intervals, and whether the bootstrap interval excludes zero. */
export function regressionSentence(r: GapRegression, who: string): string {
  const which = r.gaps === "own" ? "each country's gap in its own language" : `the gap of ${languageName(r.gaps)} prompts against each country`;
  if (r.n < 3 || !Number.isFinite(r.slope.coef)) return `Too few countries (${r.n}) to fit a line for ${which} (${who}).`;
  const verdict =
    r.slope.ci_high < 0
      ? "The bootstrap interval lies below zero: the less a country's survey answers resemble the US's, the more the answers lean to the US rather than to it."
      : r.slope.ci_low > 0
        ? "The bootstrap interval lies above zero: the more a country resembles the US, the larger its gap."
        : "The bootstrap interval includes zero: these data cannot tell the sign of the relation.";
  return (
    `Over ${r.n} countries, ${which} (${who}) changes by ${f2(r.slope.coef)} per unit of survey similarity to the US, ` +
    `95% bootstrap interval ${interval(r.slope)} (resampling items; the OLS interval, which treats the countries as the sample, is ${interval(r.ols)}, R² ${f2(r.ols.r2)}). ${verdict}`
  );
}
