/**
 * Charts of the judges page: agreement per language, confusion matrices, what the judge
 * decided about response languages, and how the findings move when another judge's
 * labels are used.
 */
import * as Plot from "npm:@observablehq/plot";
import type { ReproduceResult } from "../lib/analyses/reproduce.js";
import type { AgreementReport } from "../lib/judges.js";
import type { LanguageDecision } from "../lib/judgesPage.js";
import { languageName } from "../lib/languages.js";
import { isBaseline, type ModelRow } from "../lib/workspace.js";
import { categoryColorScale, COMPARISON_COLORS, displayNames, modelNameDomain } from "./palette.js";
import { slopeLabel } from "./robustnessCharts.js";
import { withRows } from "./figureDownloads.js";
import { plot } from "./plot.js";
import { chartWidth } from "./width.js";

/** Cohen's κ of every pair of judges, and Krippendorff's α of all, per prompt language. */
export function kappaByLanguage(report: AgreementReport, options: { width?: number } = {}): HTMLElement {
  const rows = report.byLanguage.flatMap((l) => [
    ...l.pairs.map((p) => ({ language: languageName(l.language), what: `κ ${p.a} × ${p.b}`, value: p.kappa, n: p.n })),
    { language: languageName(l.language), what: "α, all judges", value: l.alpha.alpha, n: l.alpha.pairable },
  ]);
  const chart = plot({
    width: chartWidth(options.width),
    height: new Set(rows.map((r) => r.language)).size * 36 + 70,
    marginLeft: 90,
    ariaLabel: "Agreement between judges per prompt language",
    ariaDescription: report.byLanguage.map((l) => `${languageName(l.language)}: α ${l.alpha.alpha.toFixed(2)}`).join("; "),
    x: { domain: [Math.min(0, ...rows.map((r) => r.value).filter(Number.isFinite)), 1], label: "Agreement beyond chance (κ, α) →", grid: true },
    y: { label: null },
    color: { ...categoryColorScale([...new Set(rows.map((r) => r.what))]), legend: true },
    symbol: { legend: false },
    marks: [
      Plot.ruleX([0]),
      Plot.dot(rows, {
        x: "value",
        y: "language",
        stroke: "what",
        symbol: (r: { what: string }) => (r.what.startsWith("α") ? "diamond" : "circle"),
        r: 5,
        strokeWidth: 2,
        title: (r: { what: string; value: number; n: number }) => `${r.what}: ${r.value.toFixed(3)} (${r.n} summaries)`,
      }),
    ],
  });
  return withRows(chart, rows);
}

/** One pair's confusion matrix per prompt language: rows the first judge's label, columns the second's. */
export function confusionMatrices(report: AgreementReport, pair: readonly [string, string], options: { width?: number } = {}): HTMLElement {
  const cells = report.byLanguage.flatMap((l) => {
    const p = l.pairs.find((x) => x.a === pair[0] && x.b === pair[1]);
    if (!p) return [];
    return p.categories.flatMap((a, i) => {
      const row = p.table[i]!.reduce((s, v) => s + v, 0);
      return p.categories.map((b, j) => ({ language: languageName(l.language), a, b, count: p.table[i]![j]!, share: row ? p.table[i]![j]! / row : NaN }));
    });
  });
  const chart = plot({
    width: Math.min(chartWidth(options.width), 220 * Math.max(1, report.byLanguage.length) + 80),
    height: 230,
    marginLeft: 70,
    marginBottom: 50,
    padding: 0.05,
    ariaLabel: `Confusion matrices of ${pair[0]} against ${pair[1]}, per prompt language`,
    ariaDescription:
      "Each cell counts the interview summaries the first judge labelled as the row and the second as the column; colour is the share of the row.",
    fx: { label: null },
    x: { label: `${pair[1]} →`, domain: ["pro", "con", "NULL"] },
    y: { label: `↑ ${pair[0]}`, domain: ["pro", "con", "NULL"] },
    color: { scheme: "blues", domain: [0, 1], legend: true, label: "Share of the row" },
    marks: [
      Plot.cell(cells, { fx: "language", x: "b", y: "a", fill: "share", inset: 0.5 }),
      Plot.text(cells, {
        fx: "language",
        x: "b",
        y: "a",
        text: (d: { count: number }) => String(d.count),
        fill: (d: { share: number }) => (d.share > 0.5 ? "white" : "black"),
      }),
    ],
  });
  return withRows(chart, cells);
}

/** The share of each model's responses the judge found in another language than the prompt's (the study drops them), from the counts per model and language. */
export function languageDecisions(decisions: readonly LanguageDecision[], options: { models: readonly ModelRow[]; width?: number }): HTMLElement {
  const names = displayNames(options.models);
  const rows = decisions
    .filter((g) => g.n > 0)
    .map((g) => ({ ...g, name: names.get(g.model) ?? g.model, languageName: languageName(g.language), share: g.other / g.n }));
  const order = modelNameDomain(options.models, new Set(rows.map((r) => r.model)));
  const top = Math.max(0.1, ...rows.map((r) => r.share));
  const chart = plot({
    width: Math.min(chartWidth(options.width), 520),
    height: order.length * 26 + 60,
    marginLeft: 130,
    ariaLabel: "Responses the judge found in another language than the prompt's",
    ariaDescription: `Highest: ${[...rows]
      .sort((a, b) => b.share - a.share)
      .slice(0, 3)
      .map((r) => `${r.name} in ${r.languageName} ${(100 * r.share).toFixed(0)}%`)
      .join(", ")}.`,
    x: { label: null, axis: "top" },
    y: { label: null, domain: order },
    color: { scheme: "oranges", domain: [0, 100 * top], legend: true, label: "Share in another language (%)", percent: true },
    marks: [
      Plot.cell(rows, { x: "languageName", y: "name", fill: "share", inset: 0.5, title: (r: { other: number; n: number }) => `${r.other} of ${r.n}` }),
      Plot.text(rows, {
        x: "languageName",
        y: "name",
        text: (r: { share: number }) => `${(100 * r.share).toFixed(0)}%`,
        fill: (r: { share: number }) => (r.share > 0.6 * top ? "white" : "black"),
      }),
    ],
  });
  return withRows(chart, rows);
}

type Result = Pick<ReproduceResult, "alignment" | "rq1">;

/** Alignment with the prompt language's speakers, under the primary judge and under another. */
export function swapAlignment(
  primary: Result,
  other: Result,
  judges: readonly [string, string],
  options: { models: readonly ModelRow[]; width?: number },
): HTMLElement {
  const names = displayNames(options.models);
  const own = (r: Result, judge: string) =>
    (r.alignment ?? [])
      .filter((a) => a.level === "language" && a.population === a.language && !isBaseline(a.model))
      .map((a) => ({ judge, name: names.get(a.model) ?? a.model, languageName: languageName(a.language), key: `${a.model}\u0000${a.language}`, rho: a.rho }));
  const a = own(primary, judges[0]);
  const b = own(other, judges[1]);
  const bByKey = new Map(b.map((x) => [x.key, x.rho]));
  const links = a.filter((x) => bByKey.has(x.key)).map((x) => ({ ...x, to: bByKey.get(x.key)! }));
  const shift = links.map((l) => l.to - l.rho).filter(Number.isFinite);
  const chart = plot({
    width: chartWidth(options.width),
    height: new Set(a.map((x) => x.key)).size * 15 + 90,
    marginLeft: 130,
    marginRight: 80,
    ariaLabel: `Alignment under ${judges[0]} and under ${judges[1]}`,
    ariaDescription: `Mean change in alignment with the language's speakers: ${(shift.reduce((s, x) => s + x, 0) / Math.max(1, shift.length)).toFixed(3)}.`,
    fy: { label: null },
    y: { label: null, domain: modelNameDomain(options.models, new Set(a.map((x) => x.key.split("\u0000")[0]!))) },
    x: { label: "Alignment with the language's speakers (ρ) →", grid: true },
    color: { legend: true, domain: [...judges], range: ["currentColor", COMPARISON_COLORS.otherJudge] },
    marks: [
      Plot.ruleY(links, { y: "name", fy: "languageName", x1: "rho", x2: "to", strokeOpacity: 0.4 }),
      Plot.dot([...a, ...b], {
        y: "name",
        fy: "languageName",
        x: "rho",
        fill: "judge",
        r: 3.5,
        title: (d: { judge: string; rho: number }) => `${d.judge}: ${d.rho.toFixed(3)}`,
      }),
    ],
  });
  return withRows(chart, [...a, ...b]);
}

/** RQ1's capability slopes under the primary judge and under another. */
export function swapSlopes(primary: Result, other: Result, judges: readonly [string, string], options: { width?: number } = {}): HTMLElement {
  const rows = [...(primary.rq1 ?? []).map((t) => ({ ...t, judge: judges[0] })), ...(other.rq1 ?? []).map((t) => ({ ...t, judge: judges[1] }))]
    .map((t) => ({ ...t, row: slopeLabel(t.term) }))
    .filter((t): t is typeof t & { row: string } => t.row !== null && t.term.startsWith("multilingual"));
  const chart = plot({
    width: chartWidth(options.width),
    height: new Set(rows.map((r) => r.row)).size * 30 + 70,
    marginLeft: 170,
    ariaLabel: `Capability slopes under ${judges[0]} and under ${judges[1]}`,
    ariaDescription: "Each row: RQ1's capability slope with its 95% interval, under each judge's labels.",
    y: { label: null, domain: [...new Set(rows.map((r) => r.row))] },
    x: { label: "β capability →", grid: true },
    color: { legend: true, domain: [...judges], range: ["currentColor", COMPARISON_COLORS.otherJudge] },
    marks: [
      Plot.ruleX([0]),
      ...judges.flatMap((judge, i) => {
        const own = rows.filter((r) => r.judge === judge);
        const dy = i === 0 ? -4 : 4;
        return [
          Plot.ruleY(own, { y: "row", x1: "ci_low", x2: "ci_high", stroke: "judge", dy, strokeWidth: 2 }),
          Plot.dot(own, { y: "row", x: "coef", fill: "judge", dy, r: 3 }),
        ];
      }),
    ],
  });
  return withRows(chart, rows);
}
