/**
 * The overview's findings as cards: the question, the answer in one sentence, then what
 * the published analysis, the recommended analysis and the multiverse each say, and
 * whether the two analyses agree. Plain DOM: text is set as text, never as HTML.
 */
import type { Finding } from "../lib/findings.js";

export interface FindingCardsOptions {
  /** The link of a finding's page (e.g. carrying the overview's rounds and seed). */
  href?: (finding: Finding) => string;
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, className?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (className) e.className = className;
  return e;
}

function card(f: Finding, options: FindingCardsOptions): HTMLElement {
  const article = el("article", undefined, `card finding ${f.agree ? "agree" : "disagree"}`);
  article.dataset.finding = f.id;
  article.append(el("h2", f.question), el("p", f.headline, "finding-headline"));
  const dl = el("dl");
  for (const [label, text] of [
    ["As published", f.published],
    ["Recommended", f.recommended],
    ["Across the multiverse", f.robustness],
  ] as const) {
    dl.append(el("dt", label), el("dd", text));
  }
  const verdict = el(
    "p",
    f.agree ? "The two analyses agree." : "The two analyses disagree: the published conclusion does not hold under the recommended analysis.",
    "finding-verdict",
  );
  const link = el("a", "Details →");
  link.href = options.href?.(f) ?? f.page;
  article.append(dl, verdict, link);
  return article;
}

/** One card per finding, in a grid. */
export function findingCards(findings: readonly Finding[], options: FindingCardsOptions = {}): HTMLElement {
  const grid = el("div", undefined, "grid grid-cols-3 findings");
  updateFindingCards(grid, findings, options);
  return grid;
}

/** Replaces the cards of a grid made by findingCards, in place (other findings, or links carrying other settings). */
export function updateFindingCards(grid: HTMLElement, findings: readonly Finding[], options: FindingCardsOptions = {}): void {
  grid.replaceChildren(...findings.map((f) => card(f, options)));
}
