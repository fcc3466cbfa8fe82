/**
 * The overview's findings as cards: the question, the answer in one sentence, then what
 * the published analysis, the recommended analysis and the multiverse each say, and
 * whether the two analyses agree. The cards are written as markup once, here: the
 * overview's page loader bakes them into the page's HTML at build time (so they show at
 * first paint), and the page replaces them with the same markup when a reader recomputes.
 * Every sentence and link is escaped: text is shown as text, never rendered as HTML.
 */
import type { Finding } from "../lib/findings.js";
import { escapeHtml } from "../lib/html.js";

export interface FindingCardsOptions {
  /** The link of a finding's page (e.g. carrying the overview's rounds and seed). */
  href?: (finding: Finding) => string;
}

/** The class of the cards' grid; the page finds the baked grid by it. */
export const FINDINGS_GRID_CLASS = "grid grid-cols-3 findings";

const VERDICT = {
  agree: "The two analyses agree.",
  disagree: "The two analyses disagree: the published conclusion does not hold under the recommended analysis.",
} as const;

function cardMarkup(f: Finding, options: FindingCardsOptions): string {
  const rows = [
    ["As published", f.published],
    ["Recommended", f.recommended],
    ["Across the multiverse", f.robustness],
  ]
    .map(([label, text]) => `<dt>${escapeHtml(label!)}</dt><dd>${escapeHtml(text!)}</dd>`)
    .join("");
  const agreement = f.agree ? "agree" : "disagree";
  return (
    `<article class="card finding ${agreement}" data-finding="${escapeHtml(f.id)}">` +
    `<h2>${escapeHtml(f.question)}</h2><p class="finding-headline">${escapeHtml(f.headline)}</p>` +
    `<dl>${rows}</dl><p class="finding-verdict">${VERDICT[agreement]}</p>` +
    `<a href="${escapeHtml(options.href?.(f) ?? f.page)}">Details →</a></article>`
  );
}

/** The cards' markup, without their grid. */
export function findingCardsMarkup(findings: readonly Finding[], options: FindingCardsOptions = {}): string {
  return findings.map((f) => cardMarkup(f, options)).join("");
}

/** The grid with its cards, as markup (what the page loader writes into the page). */
export function findingGridMarkup(findings: readonly Finding[], options: FindingCardsOptions = {}): string {
  return `<div class="${FINDINGS_GRID_CLASS}">${findingCardsMarkup(findings, options)}</div>`;
}

/** One card per finding, in a grid. */
export function findingCards(findings: readonly Finding[], options: FindingCardsOptions = {}): HTMLElement {
  const grid = document.createElement("div");
  grid.className = FINDINGS_GRID_CLASS;
  updateFindingCards(grid, findings, options);
  return grid;
}

/** Replaces the cards of a grid (baked by the page loader, or made by findingCards) in place: other findings, or links carrying other settings. */
export function updateFindingCards(grid: HTMLElement, findings: readonly Finding[], options: FindingCardsOptions = {}): void {
  grid.innerHTML = findingCardsMarkup(findings, options);
}
