/**
 * The overview page, as its page loader (src/index.md.ts) writes it: the Markdown of
 * src/index.md.template with the finding cards, computed at build time, written into it
 * as HTML where the template marks their place. The reader sees them at first paint,
 * before any script has run; the page's script replaces them only on a recomputation.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { findingGridMarkup } from "../src/components/findingCards.js";
import type { Finding } from "../src/lib/findings.js";
import { REPO_ROOT } from "./paths.js";

export const OVERVIEW_TEMPLATE = join(REPO_ROOT, "src", "index.md.template");

/** The line of the template that the cards replace. */
export const FINDINGS_MARK = "<!-- the finding cards, written here by src/index.md.ts -->";

/** The page's Markdown: the template with the cards in place of its mark. */
export function overviewPage(findings: readonly Finding[], template = readFileSync(OVERVIEW_TEMPLATE, "utf8")): string {
  const lines = template.split("\n");
  const at = lines.findIndex((line) => line.trim() === FINDINGS_MARK);
  if (at < 0 || lines.findIndex((line, i) => i > at && line.trim() === FINDINGS_MARK) >= 0) {
    throw new Error(`${OVERVIEW_TEMPLATE} must hold the line "${FINDINGS_MARK}" exactly once, where the finding cards go`);
  }
  // An HTML block of its own (blank lines around it), so that Markdown leaves it as it is.
  lines.splice(at, 1, "", findingGridMarkup(findings), "");
  return lines.join("\n");
}
