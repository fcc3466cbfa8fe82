/**
 * "Unpublished analyses" in headless Chromium on the built site (the paper source): the
 * default view shows at first paint from the build, with the four sections' charts and
 * sentences; a permalink with one model, another baseline and threshold, rounds and seed
 * recomputes in the worker and keeps its settings.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { builtSite, settled } from "../helpers/browser.js";

const { open } = builtSite();
const summaries = async (page: Page) => (await page.$$eval(".analysis-summary", (els) => els.map((e) => e.textContent ?? ""))).join("\n");

describe("unpublished analyses", () => {
  it("shows the built default view: four sections with their charts, sentences and downloads", async () => {
    const { page, errors } = await open("/unpublished");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed when the site was built/);
    const text = await summaries(page);
    expect(text).toContain("For the median model, 0 of 4 countries have a 95% interval above zero, 0 below zero and 4 include zero.");
    expect(text).toMatch(/0 of 12 countries have a 95% interval above zero, 3 below zero \(Kenya \(English\), Nigeria \(English\), Singapore \(English\)\)/);
    expect(text).toMatch(/For the median model, 11 of 13 countries have a 95% interval above zero/);
    expect(text).toMatch(/Danish prompts \(the median model\): 22 of 32 items, ρ 0\.57/);
    for (const label of [
      "Monocultural alignment difference per country",
      "Cultural transfer difference per country",
      "Alignment above the baseline per country",
    ]) {
      expect(await page.$(`svg[aria-label='${label}']`)).not.toBeNull();
    }
    expect(await page.$("svg[aria-label='Alignment with each language\\'s speakers on ever more extreme items']")).not.toBeNull();
    expect(await page.textContent("main")).toContain("these are the source's own draws");
    expect(await page.$$eval(".slice-download", (els) => els.length)).toBe(4);
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a permalink with one model, the fifty-percent baseline, t = 0.1, 20 rounds and seed 5 recomputes in the page and keeps them", async () => {
    const { page, errors } = await open("/unpublished?model=gpt-4o&random-baseline=Baseline_fifty_percent&t=0.1&rounds=20&seed=5");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed in [\d.]+ s/);
    expect(await page.getByLabel("Model", { exact: true }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent)).toBe("GPT-4o");
    expect(await page.getByLabel("fifty percent", { exact: true }).isChecked()).toBe(true);
    const text = await summaries(page);
    expect(text).toContain("For GPT-4o,");
    expect(text).toMatch(/English prompts \(GPT-4o\): 3 of 32 items/);
    expect(await page.textContent("main")).toContain("the fifty percent baseline");
    expect(await page.textContent("main")).toContain("at 20 bootstrap replicates with seed 5");
    expect(errors).toEqual([]);
    await page.close();
  });
});
