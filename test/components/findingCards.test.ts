/** The overview's finding cards: every finding's sentences as text (never HTML), its verdict and its link. */
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/lib/findings.js";
import { installDom } from "../helpers/components.js";

await installDom();
const { findingCards, findingGridMarkup, updateFindingCards } = await import("../../src/components/findingCards.js");
const { escapeHtml } = await import("../../src/lib/html.js");

const finding = (over: Partial<Finding>): Finding => ({
  id: "capability",
  page: "./capability",
  question: "Q?",
  headline: "H.",
  published: "P.",
  recommended: "R.",
  robustness: "M.",
  agree: true,
  ...over,
});

describe("finding cards", () => {
  it("show the question, the answer, the three analyses in order, the verdict and a link", () => {
    const node = findingCards([finding({}), finding({ id: "us-bias", page: "./us-bias", agree: false, headline: "<b>not html</b>" })], {
      href: (f) => `${f.page}?rounds=30`,
    });
    const cards = [...node.querySelectorAll("article")];
    expect(cards.map((c) => c.dataset.finding)).toEqual(["capability", "us-bias"]);
    expect([...cards[0]!.querySelectorAll("dt")].map((d) => d.textContent)).toEqual(["As published", "Recommended", "Across the multiverse"]);
    expect([...cards[0]!.querySelectorAll("dd")].map((d) => d.textContent)).toEqual(["P.", "R.", "M."]);
    expect(cards[0]!.querySelector(".finding-verdict")!.textContent).toBe("The two analyses agree.");
    expect(cards[1]!.querySelector(".finding-verdict")!.textContent).toMatch(/^The two analyses disagree/);
    expect(cards[1]!.className).toContain("disagree");
    // Text is text: markup in a sentence is shown, not rendered.
    expect(cards[1]!.querySelector(".finding-headline")!.textContent).toBe("<b>not html</b>");
    expect(cards[1]!.querySelector("b")).toBeNull();
    expect(cards.map((c) => c.querySelector("a")!.getAttribute("href"))).toEqual(["./capability?rounds=30", "./us-bias?rounds=30"]);
  });

  it("escape every sentence and link, and the '${' that would start an expression in a page's Markdown", () => {
    expect(escapeHtml(`<a href="x">'&'</a> \${1}`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; &#36;{1}");
    const expression = ["$", "{alert(1)}"].join("");
    const markup = findingGridMarkup([finding({ question: expression, published: "a < b & c", page: './x" onclick="y' })]);
    expect(markup).not.toContain("${");
    expect(markup).not.toContain('" onclick');
    const grid = document.createElement("div");
    grid.innerHTML = markup;
    const card = grid.querySelector("article")!;
    expect(card.querySelector("h2")!.textContent).toBe(expression);
    expect(card.querySelector("dd")!.textContent).toBe("a < b & c");
    expect(card.querySelector("a")!.getAttribute("href")).toBe('./x" onclick="y');
    expect(card.querySelector("a")!.getAttribute("onclick")).toBeNull();
  });

  it("are the same as markup (baked into the page at build time) and as DOM", () => {
    const findings = [finding({}), finding({ id: "us-bias", agree: false })];
    expect(findingCards(findings).outerHTML).toBe(findingGridMarkup(findings));
  });

  it("link to the finding's page when no link is given", () => {
    expect(
      findingCards([finding({})])
        .querySelector("a")!
        .getAttribute("href"),
    ).toBe("./capability");
  });

  it("are replaced in place by other findings and links", () => {
    const grid = findingCards([finding({})]);
    updateFindingCards(grid, [finding({ headline: "Recomputed." }), finding({ id: "us-bias", page: "./us-bias" })], { href: (f) => `${f.page}?seed=7` });
    expect([...grid.querySelectorAll(".finding-headline")].map((h) => h.textContent)).toEqual(["Recomputed.", "H."]);
    expect([...grid.querySelectorAll("a")].map((a) => a.getAttribute("href"))).toEqual(["./capability?seed=7", "./us-bias?seed=7"]);
  });
});
