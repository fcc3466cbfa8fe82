/**
 * The study's published US-bias table beside ours: per model and prompt language, β_BiasUS
 * as published, as reproduced here (same OLS, our seeded bootstrap) and the recommended gap,
 * with a paragraph, from the numbers, on how close the reproduction comes and where the
 * analyses disagree.
 */
import { usBiasAgreement, usBiasComparison, type IntervalEstimate, type UsBiasAgreement, type UsBiasComparisonRow } from "../lib/analyses/usBiasPublished.js";
import { languageName } from "../lib/languages.js";
import type { PublishedOls } from "../lib/publishedOls.js";
import { joinWords } from "./analysisComparison.js";
import { emptyState } from "./emptyState.js";
import { summaryParagraph } from "./recommendedCharts.js";

const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "–");
const withCi = (e: IntervalEstimate | null) => (e ? `${fmt(e.coef)} [${fmt(e.ci_low)}, ${fmt(e.ci_high)}]` : "–");
/** +1 above zero, -1 below, 0 across it. */
const side = (e: IntervalEstimate) => (e.ci_low > 0 ? 1 : e.ci_high < 0 ? -1 : 0);

function cell(tag: "td" | "th", text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** The three columns side by side; a row whose conclusions differ is emphasised. */
function usBiasPublishedTable(rows: readonly UsBiasComparisonRow[], names: Map<string, string>): HTMLElement {
  const table = document.createElement("table");
  table.className = "coef-table";
  const head = document.createElement("tr");
  for (const h of ["Model, language", "Published [95% CI]", "Reproduced as published", "Difference", "Recommended gap"]) head.append(cell("th", h));
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const r of rows) {
    const tr = document.createElement("tr");
    const differs = r.reproduced && side(r.reproduced) !== side(r.published);
    tr.append(
      cell("td", `${names.get(r.model) ?? r.model}, ${languageName(r.language)}`, "term"),
      cell("td", withCi(r.published), "num"),
      cell("td", withCi(r.reproduced), "num"),
      cell("td", fmt(r.difference), "num"),
      cell("td", withCi(r.recommended), "num"),
    );
    if (differs) tr.style.fontWeight = "600";
    tbody.append(tr);
  }
  table.append(thead, tbody);
  const wrap = document.createElement("div");
  wrap.className = "table-scroll";
  wrap.append(table);
  return wrap;
}

/** "GPT-4o in Danish, …": the cells named, at most `max`. */
function cellList(rows: readonly UsBiasComparisonRow[], names: Map<string, string>, max = 6): string {
  const words = rows.slice(0, max).map((r) => `${names.get(r.model) ?? r.model} in ${languageName(r.language)}`);
  return joinWords(rows.length > max ? [...words, `${rows.length - max} more`] : words);
}

/** How close the reproduction comes to the published table, and where the conclusions differ. */
function usBiasPublishedSentences(rows: readonly UsBiasComparisonRow[], a: UsBiasAgreement, names: Map<string, string>): string[] {
  if (a.matched === 0) return ["None of the published β_BiasUS cells is among the models and languages analysed here."];
  const largest = rows.filter((r) => Number.isFinite(r.difference)).sort((x, y) => Math.abs(y.difference) - Math.abs(x.difference))[0]!;
  const conclusion = rows.filter((r) => r.reproduced && side(r.reproduced) !== side(r.published));
  const out = [
    `Reproduced as published, β_BiasUS differs from the study's table by ${a.meanAbsDifference.toFixed(3)} on average over ${a.matched} of the ${a.published} published cells shown ` +
      `(at most ${Math.abs(largest.difference).toFixed(3)}, ${cellList([largest], names)}); the published value lies inside our 95% interval in ${a.insideReproducedCi} of them. ` +
      (conclusion.length
        ? `The two reach different conclusions (interval above, below or across zero) for ${cellList(conclusion, names)}.`
        : "Every cell reaches the same conclusion (interval above, below or across zero) in both."),
  ];
  if (a.recommendedMatched > 0) {
    const rec = rows.filter((r) => r.recommended && Number.isFinite(r.recommended.ci_low) && side(r.recommended) !== side(r.published));
    out.push(
      rec.length
        ? `The recommended gap reaches a different conclusion from the published coefficient in ${rec.length} of ${a.recommendedMatched} cells: ${cellList(rec, names)}.`
        : `The recommended gap reaches the published coefficient's conclusion in all ${a.recommendedMatched} cells.`,
    );
  }
  return out;
}

/** Why the published table cannot be matched digit for digit, and whether the page's settings are the study's. */
function publishedCaveat(atStudySettings: boolean): string {
  return (
    "The study drew its 100 bootstrap rounds without a seed, so its table is one random draw and cannot be reproduced exactly " +
    "(the uniform-random baseline it subtracted is its own draw, shipped in its release and used here too). " +
    (atStudySettings
      ? "These settings are the study's (Spearman's ρ, its bootstrap, 100 rounds, all data), so the differences are Monte Carlo noise of the bootstrap."
      : "These settings are not the study's (Spearman's ρ, its bootstrap, 100 rounds, all data): the reproduced column follows them, the published one cannot, so the differences also reflect the changed analysis.")
  );
}

type Cell = IntervalEstimate & { model: string; language: string };

export interface PublishedSectionOptions {
  names: Map<string, string>;
  /** The cells the page shows (its model and language ticks). */
  keep: (row: { model: string; language: string }) => boolean;
  atStudySettings: boolean;
  /** The source's label, said when it has no published table. */
  sourceLabel: string;
}

/** The comparison's paragraph and table, or why there is none. */
export function publishedUsBiasSection(
  table: PublishedOls | null,
  reproduced: readonly Cell[],
  recommended: readonly Cell[],
  o: PublishedSectionOptions,
): HTMLElement {
  if (!table) return emptyState(`This source (${o.sourceLabel}) is not the study's release, so there is no published table to compare with.`);
  const rows = usBiasComparison(table, reproduced, recommended).filter(o.keep);
  if (rows.length === 0) return emptyState("Nothing to compare: tick at least one language and one model.");
  const div = document.createElement("div");
  div.append(
    summaryParagraph([...usBiasPublishedSentences(rows, usBiasAgreement(rows), o.names), publishedCaveat(o.atStudySettings)])!,
    usBiasPublishedTable(rows, o.names),
  );
  return div;
}
