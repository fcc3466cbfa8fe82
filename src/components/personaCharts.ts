/**
 * Personas (src/lib/analyses/personas.ts): alignment per persona country in one prompt
 * language, with and without the persona; the persona effect beside the language effect per
 * language; and the sentences the page states about them, each from its interval.
 */
import * as Plot from "npm:@observablehq/plot";
import { ALL_LANGUAGES, type PersonaCell, type PersonaSummary } from "../lib/analyses/personas.js";
import { countryName } from "../lib/countries.js";
import { languageName } from "../lib/languages.js";
import { intervalSign, type Estimate } from "../lib/recommended/estimate.js";
import { COMPARISON_COLORS } from "./palette.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "–");
const shown = (e: Estimate) => `${f2(e.coef)} [${f2(e.ci_low)}, ${f2(e.ci_high)}]`;
const languageLabel = (l: string) => (l === ALL_LANGUAGES ? "All languages" : languageName(l));

/** The three alignments of a cell, as the chart's series. */
const SERIES = [
  { key: "persona", label: "With the persona", color: COMPARISON_COLORS.recommended, dy: -7 },
  { key: "baseline", label: "No persona, same language", color: COMPARISON_COLORS.published, dy: 0 },
  { key: "own", label: "No persona, the country's language", color: COMPARISON_COLORS.alternative, dy: 7 },
] as const;

export interface PersonaChartOptions {
  width?: number;
}

/** For one prompt language's cells: per persona country, ρ with and without the persona, and in the country's own language. */
export function personaChart(cells: readonly PersonaCell[], options: PersonaChartOptions = {}): HTMLElement {
  const label = (c: PersonaCell) => `${countryName(c.country)}${c.congruent ? " (congruent)" : ""}`;
  const rows = SERIES.flatMap((s) =>
    cells
      .filter((c) => Number.isFinite(c[s.key].coef) && !(s.key === "own" && c.congruent))
      .map((c) => ({ ...c[s.key], country: label(c), series: s.label, dy: s.dy, n: c.responses })),
  );
  const marks = SERIES.flatMap((s) => {
    const data = rows.filter((r) => r.series === s.label);
    return [
      Plot.ruleY(data, { y: "country", x1: "ci_low", x2: "ci_high", stroke: "series", dy: s.dy, strokeOpacity: 0.7 }),
      Plot.dot(data, {
        y: "country",
        x: "coef",
        fill: "series",
        dy: s.dy,
        r: 4,
        title: (d: (typeof rows)[number]) => `${d.country}, ${d.series}: ρ ${shown(d)} (${d.n} persona answers)`,
      }),
    ];
  });
  return plot({
    width: chartWidth(options.width),
    height: 60 + 36 * cells.length,
    marginLeft: 170,
    ariaLabel: "Alignment per persona country",
    ariaDescription: `Spearman's ρ with each persona country's survey, with the persona, without it, and without it in the country's language, for ${cells.length} countries.`,
    x: { label: "Spearman's ρ with the persona country →", domain: [-1, 1], grid: true },
    y: { label: null, domain: cells.map(label) },
    color: { domain: SERIES.map((s) => s.label), range: SERIES.map((s) => s.color), legend: true },
    marks: [Plot.ruleX([0]), ...marks],
  });
}

const EFFECTS = [
  { key: "persona_effect", label: "Persona effect (name the country)", color: COMPARISON_COLORS.recommended, dy: -6 },
  { key: "language_effect", label: "Language effect (ask in its language)", color: COMPARISON_COLORS.alternative, dy: 6 },
] as const;

/** Per prompt language (and all together): the persona effect and the language effect on alignment with incongruent persona countries. */
export function effectsChart(summaries: readonly PersonaSummary[], options: PersonaChartOptions = {}): HTMLElement {
  const rows = EFFECTS.flatMap((e) =>
    summaries.filter((s) => Number.isFinite(s[e.key].coef)).map((s) => ({ ...s[e.key], language: languageLabel(s.language), series: e.label })),
  );
  const marks = EFFECTS.flatMap((e) => {
    const data = rows.filter((r) => r.series === e.label);
    return [
      Plot.ruleY(data, { y: "language", x1: "ci_low", x2: "ci_high", stroke: "series", dy: e.dy, strokeOpacity: 0.7 }),
      Plot.dot(data, {
        y: "language",
        x: "coef",
        fill: "series",
        dy: e.dy,
        r: 4,
        title: (d: (typeof rows)[number]) => `${d.language}, ${d.series}: ${shown(d)}`,
      }),
    ];
  });
  return plot({
    width: chartWidth(options.width),
    height: 60 + 40 * summaries.length,
    marginLeft: 110,
    ariaLabel: "Persona effect and language effect",
    ariaDescription:
      "Change in Spearman's ρ with a persona country that does not speak the prompt's language: from naming it, and from asking in its language.",
    x: { label: "Change in ρ with the persona country →", grid: true },
    y: { label: null, domain: summaries.map((s) => languageLabel(s.language)) },
    color: { domain: EFFECTS.map((e) => e.label), range: EFFECTS.map((e) => e.color), legend: true },
    marks: [Plot.ruleX([0]), ...marks],
  });
}

/** "higher", "lower" or "not distinguishable", from an interval. */
function verdict(e: Estimate, above: string, below: string): string {
  const sign = intervalSign(e);
  if (!Number.isFinite(e.ci_low)) return "cannot be told (too few answers for an interval)";
  return sign > 0 ? above : sign < 0 ? below : "not distinguishable from zero at 95%";
}

/** What the page states about one summary (a language, or all languages), each claim with its interval. */
export function personaSentences(s: PersonaSummary, who: string): string[] {
  const where = s.language === ALL_LANGUAGES ? "Over every prompt language" : `In ${languageName(s.language)} prompts`;
  const out: string[] = [];
  if (s.congruent_countries.length && s.incongruent_countries.length) {
    out.push(
      `${where}, ${who}'s answers with a congruent persona align with that country at ρ ${shown(s.congruent)}, with an incongruent one at ${shown(s.incongruent)}: ` +
        `the difference, ${shown(s.difference)}, is ${verdict(s.difference, "in favour of congruent personas", "in favour of incongruent personas")}.`,
    );
  }
  if (Number.isFinite(s.persona_effect.coef) || Number.isFinite(s.language_effect.coef)) {
    out.push(
      `Naming a country that does not speak the prompt's language changes alignment with it by ${shown(s.persona_effect)} against the same prompts with no persona ` +
        `(${verdict(s.persona_effect, "closer to the country", "farther from it")}); asking in that country's language instead changes it by ${shown(s.language_effect)} ` +
        `(${verdict(s.language_effect, "closer", "farther")}). Persona minus language: ${shown(s.persona_minus_language)}, ` +
        `${verdict(s.persona_minus_language, "the persona moves the model more", "the language moves it more")}.`,
    );
  }
  return out;
}
