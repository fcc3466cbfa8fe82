/**
 * What Framework's page template leaves out, added to every built page (`npm run build`'s
 * last step, scripts/build.ts): the document's language (`<html lang="en">`), a viewport
 * that lets readers zoom (Framework's sets `maximum-scale=1`, which blocks pinch-zoom on
 * phones), a "Skip to content" link before the sidebar's thirteen stops, and citation meta
 * tags (Highwire Press `citation_*`, read by Google Scholar and reference managers) from
 * CITATION.cff, the one home of the site's citation; and the pager's link home under the
 * navigation's name for it. Each rewrite
 * checks that it found what it rewrites, so a new Framework version fails the build loudly
 * instead of shipping pages without them.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import yaml from "js-yaml";
import { escapeHtml } from "../src/lib/html.js";
import { REPO_ROOT } from "../loaders/paths.js";
import config from "../observablehq.config.js";

/** The site's language; every page is written in English. */
export const SITE_LANG = "en";

const SKIP_LINK = '<a class="skip-link" href="#observablehq-main">Skip to content</a>';

function replaceOnce(html: string, pattern: RegExp, replacement: string, what: string, file: string): string {
  if (!pattern.test(html)) throw new Error(`${file}: found no ${what} to rewrite (Framework's page template changed?); see scripts/finishHtml.ts`);
  return html.replace(pattern, replacement);
}

/** The citation meta tags of CITATION.cff: the title with its version, and each author. */
export function citationMeta(cffText = readFileSync(join(REPO_ROOT, "CITATION.cff"), "utf8")): string {
  const cff = yaml.load(cffText) as { title?: string; version?: string; authors?: Array<{ name?: string; "given-names"?: string; "family-names"?: string }> };
  if (!cff.title || !cff.version || !cff.authors?.length) throw new Error("CITATION.cff needs a title, a version and at least one author");
  const authors = cff.authors.map((a) => a.name ?? [a["family-names"], a["given-names"]].filter(Boolean).join(", "));
  return [
    `<meta name="citation_title" content="${escapeHtml(`${cff.title} (version ${cff.version})`)}">`,
    ...authors.map((a) => `<meta name="citation_author" content="${escapeHtml(a)}">`),
  ].join("\n");
}

/** The navigation's name of the home page ("Overview"), and the site's title, which Framework's pager shows for it instead. */
const HOME = { title: config.title, name: config.pages.find((p) => p.path === "/")?.name ?? config.title };

/**
 * The pager's link back to the home page with the navigation's name for it: Framework's
 * pager names the home page by the site's title ("Previous page: Multilingual ≠
 * Multicultural") where the navigation says "Overview". Only the survey page has such a
 * link, so a page without one is left as it is.
 */
export function pagerHomeName(html: string, home = HOME): string {
  const title = escapeHtml(home.title).replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return html.replace(new RegExp(`(<a rel="prev" href="(?:\\./|\\.\\./)*(?:index)?"><span>)${title}(</span></a>)`), `$1${escapeHtml(home.name)}$2`);
}

/** One page, finished: lang, a zoomable viewport, the citation tags, the skip link (the main element gets tabindex -1, so the link moves the focus there), the pager's name for home. */
export function finishPage(html: string, file = "page", meta = ""): string {
  html = pagerHomeName(html);
  let out = replaceOnce(html, /<html(?![^>]*\blang=)>/, `<html lang="${SITE_LANG}">`, "<html> without a lang", file);
  if (meta) out = replaceOnce(out, /(<meta charset="utf-8">\n?)/, `$1${meta}\n`, "<meta charset>", file);
  out = replaceOnce(out, /(<meta name="viewport" content="[^"]*?),\s*maximum-scale=1([^"]*")/, "$1$2", "maximum-scale=1 in the viewport", file);
  out = replaceOnce(out, /<body>\n?/, `<body>\n${SKIP_LINK}\n`, "<body>", file);
  return replaceOnce(out, /<main id="observablehq-main"(?![^>]*tabindex)/, '<main id="observablehq-main" tabindex="-1"', "main element", file);
}

/** Finishes every HTML page of a built site in place; returns how many. */
export function finishSite(dir: string, meta = citationMeta()): number {
  const pages = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".html"));
  for (const page of pages) {
    const file = join(dir, page);
    writeFileSync(file, finishPage(readFileSync(file, "utf8"), page, meta));
  }
  return pages.length;
}
