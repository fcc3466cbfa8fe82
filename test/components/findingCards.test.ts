/** The overview's finding cards: every finding's sentences as text (never HTML), its verdict and its link. */
import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/lib/findings.js";
import { installDom } from "../helpers/components.js";

await installDom();
const { findingCards, updateFindingCards } = await import("../../src/components/findingCards.js");

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
