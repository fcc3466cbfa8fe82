/**
 * The template page (How often pro?) in headless Chromium on the built site (the paper
 * source): its chart and sentence at first paint, its controls from the URL (one language,
 * the baselines, other replicates and seed), and its empty state.
 */
import { describe, expect, it } from "vitest";
import { builtSite, settled } from "../helpers/browser.js";

const { open } = builtSite();
const CHART = "svg[aria-label='Mean pro share by model and prompt language']";

describe("how often pro?", () => {
  it("shows the models' pro shares beside the countries' at first paint", async () => {
    const { page, errors } = await open("/pro-share");
    await settled(page, { computes: true });
    const text = (await page.textContent("main"))!;
    expect(text).toContain("On 32 items, the surveyed countries' pro shares run from 38% (Northern Ireland) to 46% (Kenya).");
    expect(text).toContain("22 of the 36 model × language points shown lie above the highest country; for 2 of them the whole interval does.");
    expect(await page.$$eval(`${CHART} circle`, (cs) => cs.length)).toBe(36);
    // The countries' band, from Northern Ireland to Kenya, is drawn and named in the description.
    expect(await page.$$eval(`${CHART} g[aria-label='rect'] rect`, (rs) => rs.length)).toBe(1);
    expect(await page.getAttribute(CHART, "aria-description")).toContain("(Northern Ireland, 0.38) to the highest (Kenya, 0.46)");
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("honours the URL: Dutch only, with the baselines, other replicates and seed; and no language", async () => {
    const { page, errors } = await open("/pro-share?langs=nl&baselines=1&rounds=20&seed=3");
    await settled(page, { computes: true });
    const text = (await page.textContent("main"))!;
    // Nine models in Dutch; the two baselines are drawn but not counted.
    expect(text).toMatch(/ of the 9 model × language points shown \(the baselines not counted\) lie above the highest country/);
    expect(await page.$$eval(`${CHART} circle`, (cs) => cs.length)).toBe(11);
    expect(errors).toEqual([]);
    await page.close();
    const empty = await open("/pro-share?langs=");
    await settled(empty.page, { computes: true });
    expect(await empty.page.textContent(".empty-state")).toContain("tick at least one prompt language");
    expect(empty.errors).toEqual([]);
    await empty.page.close();
  });
});
