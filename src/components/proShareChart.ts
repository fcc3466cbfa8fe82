/**
 * How often each model takes the pro side (the template page, docs/adding-a-page.md): one
 * row per model, a dot per prompt language at its mean pro share with its 95% interval, over
 * a band spanning the surveyed countries' shares (lowest to highest), and 50% marked.
 */
import * as Plot from "npm:@observablehq/plot";
import type { ProShareRow } from "../lib/analyses/proShare.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { rowLabelMargin, truncate, charsFor } from "./chartLabels.js";
import { languageColorScale } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

export interface ProShareChartOptions {
  /** Display names of the models, in the order to draw them. */
  names: Map<string, string>;
  width?: number;
}

export function proShareChart(rows: readonly ProShareRow[], options: ProShareChartOptions): HTMLElement {
  const models = rows
    .filter((r) => r.kind === "model")
    .map((r) => ({ ...r, label: options.names.get(r.name) ?? r.name, languageName: languageName(r.language ?? "") }));
  const countries = rows.filter((r) => r.kind === "country" && Number.isFinite(r.share));
  const labels = [...new Set(models.map((m) => m.label))];
  const languages = [...new Set(models.map((m) => m.languageName))].sort();
  const width = chartWidth(options.width);
  const marginLeft = rowLabelMargin(labels, width);
  const low = countries.reduce((a, c) => (c.share < a.share ? c : a), countries[0]!);
  const high = countries.reduce((a, c) => (c.share > a.share ? c : a), countries[0]!);
  const band = countries.length ? [{ x1: low.share, x2: high.share }] : [];
  const offset = (language: string) => (languages.indexOf(language) - (languages.length - 1) / 2) * 5;
  return plot({
    width,
    height: 40 + labels.length * 26,
    marginLeft,
    marginTop: 40,
    ariaLabel: "Mean pro share by model and prompt language",
    ariaDescription:
      `Dots with 95% intervals: each model's mean pro share in ${languages.join(", ")}, over a band from the lowest surveyed country ` +
      (countries.length
        ? `(${countryName(low.name)}, ${low.share.toFixed(2)}) to the highest (${countryName(high.name)}, ${high.share.toFixed(2)}).`
        : "(no country has data)."),
    x: { label: "Mean pro share (%) →", domain: [0, 100], grid: true, percent: true },
    y: { label: null, domain: labels, tickFormat: (l: string) => truncate(l, charsFor(marginLeft)) },
    color: { legend: true, label: "Prompt language", ...languageColorScale(languages) },
    marks: [
      Plot.rectX(band, { x1: "x1", x2: "x2", fill: "#8a8a8a", fillOpacity: 0.25 }),
      Plot.ruleX([0.5], { strokeDasharray: "4,3", strokeOpacity: 0.6 }),
      // One pair of marks per language, each nudged vertically so the languages sit side by side in a model's row.
      ...languages.flatMap((language) => {
        const data = models.filter((m) => m.languageName === language);
        const dy = offset(language);
        return [
          Plot.ruleY(data, { y: "label", x1: "ci_low", x2: "ci_high", stroke: "languageName", dy }),
          Plot.dot(data, {
            y: "label",
            x: "share",
            dy,
            fill: "languageName",
            r: 3.5,
            title: (d: (typeof models)[number]) =>
              `${d.label}, ${d.languageName}: ${(100 * d.share).toFixed(1)}% pro [${(100 * d.ci_low).toFixed(1)}, ${(100 * d.ci_high).toFixed(1)}], ${d.items} items`,
          }),
        ];
      }),
      Plot.text(band, {
        x: "x1",
        frameAnchor: "top",
        dx: 2,
        dy: -6,
        lineAnchor: "bottom",
        text: () => "surveyed countries",
        textAnchor: "start",
        fontSize: 11,
      }),
    ],
  });
}
