/**
 * A regression coefficient table, optionally beside a published one (matched by
 * term name), with the fit statistics underneath; and the recommended analysis'
 * table, which has no "Published" column but says, row by row, what differs from the
 * published analysis.
 */
import type { Rq1FitSummary, Rq1Term } from "../lib/analyses/reproduce.js";
import type { PublishedMixedLm } from "../lib/published.js";

export interface CoefficientTableOptions {
  published?: PublishedMixedLm | null;
  fit?: Rq1FitSummary;
  caption?: string;
}

const fmt = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const fmtP = (p: number) => (!Number.isFinite(p) ? "–" : p < 0.001 ? "<0.001" : p.toFixed(3));

function cell(tag: "td" | "th", text: string, className?: string): HTMLElement {
  const el = document.createElement(tag);
  el.textContent = text;
  if (className) el.className = className;
  return el;
}

/** Each body cell names its column (data-label), so that at phone width, where a row is laid out as a card, every number says what it is (style.css). */
function labelCells(table: HTMLTableElement): void {
  const headers = [...table.querySelectorAll("thead th")].map((th) => th.textContent ?? "");
  for (const tr of table.querySelectorAll("tbody tr")) {
    [...tr.children].forEach((td, i) => {
      (td as HTMLElement).dataset.label = headers[i] ?? "";
    });
  }
}

export function coefficientTable(terms: readonly Rq1Term[], options: CoefficientTableOptions = {}): HTMLElement {
  const published = new Map((options.published?.terms ?? []).map((t) => [t.term, t]));
  const hasPub = published.size > 0;
  const table = document.createElement("table");
  table.className = "coef-table";
  if (options.caption) {
    const caption = document.createElement("caption");
    caption.textContent = options.caption;
    table.append(caption);
  }
  const head = document.createElement("tr");
  for (const h of ["Term", "Coef.", "SE", "z", "p", "95% CI", ...(hasPub ? ["Published", "Published 95% CI"] : [])]) {
    head.append(cell("th", h));
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const t of terms) {
    const tr = document.createElement("tr");
    tr.append(
      cell("td", t.term, "term"),
      cell("td", fmt(t.coef), "num"),
      cell("td", fmt(t.se), "num"),
      cell("td", fmt(t.z, 2), "num"),
      cell("td", fmtP(t.p), "num"),
      cell("td", `[${fmt(t.ci_low)}, ${fmt(t.ci_high)}]`, "num"),
    );
    if (hasPub) {
      const p = published.get(t.term);
      tr.append(cell("td", p ? fmt(p.coef) : "–", "num"), cell("td", p ? `[${fmt(p.ci_low)}, ${fmt(p.ci_high)}]` : "–", "num"));
    }
    tbody.append(tr);
  }
  table.append(thead, tbody);
  labelCells(table);
  const wrap = document.createElement("div");
  wrap.className = "table-scroll";
  wrap.append(table);
  if (options.fit) {
    const f = options.fit;
    const p = document.createElement("p");
    p.className = "fit-stats";
    p.textContent =
      `n = ${f.n}, ${f.groups} models; model variance ${fmt(f.group_var)}, residual scale ${fmt(f.residual_scale, 4)}, ` +
      `REML log-likelihood ${fmt(f.log_likelihood, 1)}; marginal R² ${fmt(f.marginal_r2)}, conditional R² ${fmt(f.conditional_r2)}.` +
      (options.published?.llf != null
        ? ` Published: model variance ${fmt(options.published.groupVar ?? NaN)}, scale ${fmt(options.published.scale ?? NaN, 4)}, log-likelihood ${fmt(options.published.llf, 1)}.`
        : "");
    wrap.append(p);
  }
  return wrap;
}

/** A row of the recommended analysis' table: an estimate with its bootstrap interval and what differs from the published analysis. */
export interface ComparisonRow {
  label: string;
  coef: number;
  se: number;
  ci_low: number;
  ci_high: number;
  p: number;
  /** What differs from the published analysis ("same sign, no longer significant", ...). */
  verdict: string;
  /** false: the analyses disagree (the row's verdict is emphasised). */
  agree?: boolean;
}

export interface ComparisonTableOptions {
  /** Header of the label column (default "Term"). */
  labelHeader?: string;
  caption?: string;
  /** A line under the table (e.g. the formula and the number of replicates). */
  note?: string;
}

/** The recommended estimates with SE, 95% interval, p, and a column saying what differs from the published analysis. */
export function comparisonTable(rows: readonly ComparisonRow[], options: ComparisonTableOptions = {}): HTMLElement {
  const table = document.createElement("table");
  table.className = "coef-table recommended-table";
  if (options.caption) {
    const caption = document.createElement("caption");
    caption.textContent = options.caption;
    table.append(caption);
  }
  const head = document.createElement("tr");
  for (const h of [options.labelHeader ?? "Term", "Coef.", "SE", "95% CI", "p", "Compared with the published analysis"]) head.append(cell("th", h));
  const thead = document.createElement("thead");
  thead.append(head);
  const tbody = document.createElement("tbody");
  for (const r of rows) {
    const tr = document.createElement("tr");
    const verdict = cell("td", r.verdict, "verdict");
    if (r.agree === false) verdict.style.fontWeight = "600";
    const interval = cell("td", `[${fmt(r.ci_low)}, ${fmt(r.ci_high)}]`, "num");
    interval.style.whiteSpace = "nowrap";
    tr.append(cell("td", r.label, "term"), cell("td", fmt(r.coef), "num"), cell("td", fmt(r.se), "num"), interval, cell("td", fmtP(r.p), "num"), verdict);
    tbody.append(tr);
  }
  table.append(thead, tbody);
  labelCells(table);
  const wrap = document.createElement("div");
  wrap.className = "table-scroll";
  wrap.append(table);
  if (options.note) {
    const p = document.createElement("p");
    p.className = "fit-stats";
    p.textContent = options.note;
    wrap.append(p);
  }
  return wrap;
}
