/**
 * The Personas page in headless Chromium on the built site (the paper source): the default view
 * shows at first paint from the build, with the effects chart, the per-country chart for Danish
 * and sentences that carry their intervals; a permalink with another language, replicates and
 * seed recomputes in the worker and keeps its settings.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { builtSite, settled, SHOTS } from "../helpers/browser.js";

const { open } = builtSite();
const chosen = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");
const summaries = async (page: Page) => (await page.$$eval(".analysis-summary", (els) => els.map((e) => e.textContent ?? ""))).join("\n");

describe("personas", () => {
  it("shows the built default view: both charts, and sentences with their intervals", async () => {
    const { page, errors } = await open("/personas");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed when the site was built/);
    expect(await chosen(page, "Model")).toBe("Gemma-2 27B");
    expect(await chosen(page, "Prompt language")).toBe("Danish");
    const text = await summaries(page);
    expect(text).toMatch(/Over every prompt language, Gemma-2 27B's answers with a congruent persona align with that country at ρ 0\.37 \[/);
    expect(text).toMatch(/changes alignment with it by -0\.34 \[-0\.\d\d, -0\.\d\d\] .*\(farther from it\)/);
    expect(text).toMatch(/In Danish prompts, Gemma-2 27B's answers with a congruent persona align with that country at ρ 0\.15/);
    expect(await page.$("svg[aria-label='Persona effect and language effect']")).not.toBeNull();
    expect(await page.getAttribute("svg[aria-label='Alignment per persona country']", "aria-description")).toMatch(/for 10 countries/);
    expect(await page.$$eval(".slice-download", (els) => els.length)).toBe(2);
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "personas.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a permalink with Portuguese, 20 replicates and seed 5 recomputes in the page and keeps them", async () => {
    const { page, errors } = await open("/personas?language=pt&rounds=20&seed=5");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed in [\d.]+ s/);
    expect(await chosen(page, "Prompt language")).toBe("Portuguese");
    expect(await summaries(page)).toMatch(/In Portuguese prompts, Gemma-2 27B's answers with a congruent persona align with that country at ρ 0\.35/);
    expect(await page.textContent("main")).toContain("20 item-bootstrap replicates (seed 5)");
    expect(await page.getAttribute("svg[aria-label='Alignment per persona country']", "aria-description")).toMatch(/for 10 countries/);
    expect(errors).toEqual([]);
    await page.close();
  });
});
