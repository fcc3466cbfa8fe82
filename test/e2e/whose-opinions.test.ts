/**
 * "Whose opinions?" in headless Chromium on the built site (the paper source): the default
 * view shows at first paint from the build, with the heatmap, the ranked countries, the gap
 * scatter and its sentence; a permalink with one model, other gaps, rounds and seed
 * recomputes in the worker and keeps its settings.
 */
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { builtSite, settled, SHOTS } from "../helpers/browser.js";

const { open } = builtSite();

const chosen = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");

describe("whose opinions", () => {
  it("shows the built default view: heatmap, ranked countries, the gap scatter and sentences that say how sure they are", async () => {
    const { page, errors } = await open("/whose-opinions");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed when the site was built/);
    const summary = (await page.$$eval(".analysis-summary", (els) => els.map((e) => e.textContent ?? ""))).join("\n");
    expect(summary).toMatch(
      /Dutch prompts \(the median model\): nearest is United States, ρ 0\.56 .*first of 13 on the full data, but anywhere from place 1 to \d+/,
    );
    expect(summary).toMatch(/Over 12 countries, each country's gap in its own language \(the median model\) changes by -0\.81/);
    expect(await page.$("svg[aria-label='Alignment by prompt language and country']")).not.toBeNull();
    expect(await page.$$eval("table.nearest-countries tbody tr", (rows) => rows.length)).toBe(13);
    const scatter = (await page.getAttribute("svg[aria-label='US gap against survey similarity to the US']", "aria-description"))!;
    expect(scatter).toMatch(/^For 12 countries/);
    expect(await page.$$eval(".slice-download", (els) => els.length)).toBe(4);
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "whose-opinions.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a permalink with one model, English gaps, 20 rounds and seed 5 recomputes in the page and keeps them", async () => {
    const { page, errors } = await open("/whose-opinions?model=gpt-4o&gaps=en&rounds=20&seed=5");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed in [\d.]+ s/);
    expect(await chosen(page, "Model")).toBe("GPT-4o");
    expect(await chosen(page, "Gaps")).toBe("English prompts, every country");
    const summary = (await page.$$eval(".analysis-summary", (els) => els.map((e) => e.textContent ?? ""))).join("\n");
    expect(summary).toContain("(GPT-4o)");
    expect(summary).toMatch(/the gap of English prompts against each country \(GPT-4o\)/);
    expect(await page.textContent("main")).toContain("over 20 bootstrap replicates (seed 5)");
    expect(errors).toEqual([]);
    await page.close();
  });
});
