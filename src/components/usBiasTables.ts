/**
 * The US-bias page's table, as published or recommended, with its download and a line on
 * what its numbers rest on: β_BiasUS per model and language from the study's regression, or
 * the recommended gap beside it with what differs.
 */
import type { UsBiasCoefficient } from "../lib/analyses/usbias.js";
import { languageName } from "../lib/languages.js";
import type { GapEstimate } from "../lib/recommended/usbias.js";
import { compared } from "./analysisComparison.js";
import { comparisonTable } from "./coefficientTable.js";
import { dataTable } from "./dataTable.js";
import { sliceDownload } from "./sliceDownload.js";

type Published = Pick<UsBiasCoefficient, "model" | "language" | "coef" | "se" | "ci_low" | "ci_high" | "p">;

export interface UsBiasTableOptions {
  names: ReadonlyMap<string, string>;
  /** The published regression's fit and its bootstrap rounds, for the line under the table. */
  fit: { n: number; r2: number };
  rounds: number;
  /** Every published coefficient (the recommended table's comparison looks each one up). */
  published: readonly Published[];
  replicates: number;
}

const f = (x: number) => x.toFixed(4);

function note(text: string): HTMLElement {
  const p = document.createElement("p");
  p.className = "fit-stats";
  p.textContent = text;
  return p;
}

/** β_BiasUS as published, per model and language, with the fit and the study's treatment of rounds. */
export function publishedUsBiasTable(rows: readonly Published[], o: UsBiasTableOptions): HTMLElement {
  const out = rows.map((b) => ({
    model: o.names.get(b.model) ?? b.model,
    language: languageName(b.language),
    beta_bias_us: b.coef,
    se: b.se,
    ci_low: b.ci_low,
    ci_high: b.ci_high,
    p: b.p,
  }));
  const div = document.createElement("div");
  div.append(
    dataTable(out, { format: { beta_bias_us: f, se: f, ci_low: f, ci_high: f, p: (x: number) => (x < 0.001 ? "<0.001" : x.toFixed(3)) }, rows: 12 }),
    sliceDownload(out, "us-bias"),
    note(
      `The regression has ${o.fit.n.toLocaleString("en")} observations (bootstrap round × model × language × country, native countries and the US) and R² = ${o.fit.r2.toFixed(3)}. Its standard errors treat the ${o.rounds} bootstrap rounds as independent observations, as the study did.`,
    ),
  );
  return div;
}

/** The recommended gap per model and language, compared with β_BiasUS as published. */
export function recommendedUsBiasTable(gaps: readonly GapEstimate[], o: UsBiasTableOptions): HTMLElement {
  const byKey = new Map(o.published.map((b) => [`${b.model}|${b.language}`, b]));
  const label = (b: GapEstimate) => `${o.names.get(b.model) ?? b.model}, ${languageName(b.language)}`;
  const out = compared(gaps, (g) => byKey.get(`${g.model}|${g.language}`), label);
  const div = document.createElement("div");
  div.append(
    comparisonTable(out, {
      labelHeader: "Model, language",
      note: `Gap: US minus own countries; 95% percentile intervals and p-values from ${o.replicates} bootstrap replicates. The last column compares with β_BiasUS as published: “significant” means the 95% interval excludes zero.`,
    }),
    sliceDownload(
      out.map(({ label, agree: _, ...r }) => ({ model_language: label, ...r })),
      "us-bias-recommended",
    ),
  );
  return div;
}
