/** The overview's page loader: the template with the finding cards baked in as HTML, and its cache cleared when what it is written from changes. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FINDINGS_MARK, OVERVIEW_TEMPLATE, overviewPage } from "../../loaders/overviewPage.js";
import { syncPageCache } from "../../scripts/loader-cache.js";
import type { Finding } from "../../src/lib/findings.js";

const finding: Finding = {
  id: "capability",
  page: "./capability",
  question: "Does capability predict alignment?",
  headline: "No clear link.",
  published: "Yes.",
  recommended: "No.",
  robustness: "Rarely.",
  agree: false,
};

describe("the overview page", () => {
  it("writes the cards as an HTML block where the template marks them, and nothing else changes", () => {
    const template = `---\ntitle: T\n---\n\n# T\n\n${FINDINGS_MARK}\n\n\`\`\`js\nconst x = 1;\n\`\`\`\n`;
    const page = overviewPage([finding], template);
    const [before, after] = template.split(FINDINGS_MARK);
    expect(page.startsWith(before!)).toBe(true);
    expect(page.endsWith(after!)).toBe(true);
    const block = page.slice(before!.length, page.length - after!.length);
    expect(block).toMatch(/^\n<div class="grid grid-cols-3 findings"><article class="card finding disagree" data-finding="capability">.*<\/div>\n$/);
    expect(block).toContain("<h2>Does capability predict alignment?</h2>");
  });

  it("names the template and the mark when the mark is missing or doubled", () => {
    expect(() => overviewPage([finding], "# no mark\n")).toThrow(/index\.md\.template must hold the line "<!-- the finding cards/);
    expect(() => overviewPage([finding], `${FINDINGS_MARK}\n${FINDINGS_MARK}\n`)).toThrow(/exactly once/);
  });

  it("the site's template has the mark once", () => {
    expect(
      readFileSync(OVERVIEW_TEMPLATE, "utf8")
        .split("\n")
        .filter((l) => l.trim() === FINDINGS_MARK),
    ).toHaveLength(1);
  });

  it("a cached page is cleared when the source changes, and kept when nothing does", () => {
    const cache = mkdtempSync(join(tmpdir(), "mca-pages-"));
    mkdirSync(cache, { recursive: true });
    const cached = join(cache, "index.md");
    expect(syncPageCache({ MCA_PAPER_DATA: "/one" }, undefined, cache)).toBe(true);
    writeFileSync(cached, "built");
    expect(syncPageCache({ MCA_PAPER_DATA: "/one" }, undefined, cache)).toBe(false);
    expect(existsSync(cached)).toBe(true);
    expect(syncPageCache({ MCA_PAPER_DATA: "/two" }, undefined, cache)).toBe(true);
    expect(existsSync(cached)).toBe(false);
  });
});
