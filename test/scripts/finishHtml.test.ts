/** The finishing of built pages: language, a zoomable viewport, a skip link; and a loud failure when Framework's template changes. */
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { citationMeta, finishPage, finishSite, pagerHomeName } from "../../scripts/finishHtml.js";

const PAGE = `<!DOCTYPE html>
<html>
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, maximum-scale=1">
</head>
<body>
<input id="observablehq-sidebar-toggle" type="checkbox">
<div id="observablehq-center">
<main id="observablehq-main" class="observablehq">
<h1>T</h1>
</main>
</div>
</body>
</html>`;

describe("finishing a built page", () => {
  it("sets the language, lets readers zoom, and puts a skip link to the content first", () => {
    const out = finishPage(PAGE);
    expect(out).toContain('<html lang="en">');
    expect(out).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(out).not.toContain("maximum-scale");
    expect(out).toMatch(/<body>\n<a class="skip-link" href="#observablehq-main">Skip to content<\/a>\n<input id="observablehq-sidebar-toggle"/);
    expect(out).toContain('<main id="observablehq-main" tabindex="-1" class="observablehq">');
    // Nothing else changes.
    expect(out.replace(/ lang="en"| tabindex="-1"|, maximum-scale=1|<a class="skip-link"[^\n]*\n/g, "")).toBe(PAGE.replace(", maximum-scale=1", ""));
  });

  it("names the page and what it missed when Framework's template changes", () => {
    expect(() => finishPage(PAGE.replace("<html>", '<html lang="da">'), "x.html")).toThrow(/x\.html: found no <html> without a lang/);
    expect(() => finishPage(PAGE.replace(", maximum-scale=1", ""), "x.html")).toThrow(/maximum-scale=1/);
    expect(() => finishPage(PAGE.replace('<main id="observablehq-main"', "<main"), "x.html")).toThrow(/main element/);
  });

  it("adds the citation tags of CITATION.cff after the charset, escaped", () => {
    const meta = citationMeta('title: "A & B"\nversion: 1.2.3\nauthors:\n  - name: The "X" team\n  - family-names: Rystrøm\n    given-names: Jonathan H.\n');
    expect(meta.split("\n")).toEqual([
      '<meta name="citation_title" content="A &amp; B (version 1.2.3)">',
      '<meta name="citation_author" content="The &quot;X&quot; team">',
      '<meta name="citation_author" content="Rystrøm, Jonathan H.">',
    ]);
    expect(finishPage(PAGE, "p", meta)).toContain(`<meta charset="utf-8">\n${meta}\n<meta name="viewport"`);
    expect(() => citationMeta("title: T\n")).toThrow(/CITATION.cff needs a title, a version and at least one author/);
    // The repository's own.
    expect(citationMeta()).toMatch(/^<meta name="citation_title" content="Multilingual ≠ Multicultural: .* \(version \d+\.\d+\.\d+\)">/);
  });

  it("names the home page in the pager as the navigation does, and only the home page", () => {
    const footer = (prev: string, href = "./") =>
      `<footer id="observablehq-footer">\n<nav><a rel="prev" href="${href}"><span>${prev}</span></a><a rel="next" href="./alignment"><span>Alignment</span></a></nav>`;
    // The repository's own configuration: Framework's pager says the title, the navigation "Overview".
    expect(pagerHomeName(footer("Multilingual ≠ Multicultural"))).toBe(footer("Overview"));
    expect(finishPage(PAGE.replace("</main>", `</main>\n${footer("Multilingual ≠ Multicultural")}`))).toContain('<span>Overview</span></a><a rel="next"');
    // Escaped as Framework escapes it; another page's link is left alone.
    const home = { title: "A & B", name: "Home <1>" };
    expect(pagerHomeName(footer("A &amp; B", "../"), home)).toBe(footer("Home &lt;1&gt;", "../"));
    expect(pagerHomeName(footer("A &amp; B", "./survey"), home)).toBe(footer("A &amp; B", "./survey"));
    expect(pagerHomeName(footer("Survey"), home)).toBe(footer("Survey"));
  });

  it("finishes every page of a site, in subfolders too", () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-finish-"));
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "index.html"), PAGE);
    writeFileSync(join(dir, "sub", "page.html"), PAGE);
    writeFileSync(join(dir, "data.json"), "{}");
    expect(finishSite(dir)).toBe(2);
    expect(readFileSync(join(dir, "sub", "page.html"), "utf8")).toContain('<html lang="en">');
    expect(readFileSync(join(dir, "index.html"), "utf8")).toContain(
      '<meta name="citation_author" content="The Multicultural Alignment Workspace contributors">',
    );
    expect(readFileSync(join(dir, "data.json"), "utf8")).toBe("{}");
  });
});
