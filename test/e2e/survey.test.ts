/**
 * The survey page in headless Chromium on the built site (the paper source): its three charts
 * and its sentences at first paint, the Inglehart–Welzel note, and its controls from the URL
 * (all items, one language, other rounds and seed, no clouds, no model).
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtSite, settled, SHOTS } from "../helpers/browser.js";

const { open } = builtSite();

describe("the survey and the value map", () => {
  it("shows the shares, the correlation matrix and the map at first paint, with the Inglehart–Welzel note", async () => {
    const { page, errors } = await open("/survey");
    await settled(page, { computes: true });
    const text = (await page.textContent("main"))!;
    expect(text).toContain("Pairs of countries correlate from ρ = 0.24 (Nigeria–Netherlands) to 0.98 (Australia–United Kingdom)");
    expect(text).toMatch(/on 32 items \(the items the models answered\)/);
    expect(text).toContain("On 30 items, the first component carries 49% of the countries' variance and the second 18%.");
    expect(text).toContain("only F118, F120 of those ten are among them");
    expect(text).toContain("The workspace's survey has 5 of the ten (E018, E025, F063, F118, F120)");
    expect(await page.$("svg[aria-label='Share of respondents on each item\\'s pro side, per country']")).not.toBeNull();
    expect(await page.$("svg[aria-label='Spearman correlation of pro shares between countries']")).not.toBeNull();
    const map = (await page.getAttribute("svg[aria-label^='Value map']", "aria-description"))!;
    expect(map).toContain("13 countries and 36 model × language points");
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "survey.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("honours the URL: every survey item, one language, other rounds and seed, no clouds; and an empty model choice", async () => {
    const { page, errors } = await open("/survey?survey-items=all&langs=da&rounds=20&seed=3&clouds=off");
    await settled(page, { computes: true });
    const text = (await page.textContent("main"))!;
    expect(text).toMatch(/on 83 items \(every item of the survey's ground truth\)/);
    expect(text).toContain("The clouds are 20 bootstrap replicates");
    const map = (await page.getAttribute("svg[aria-label^='Value map']", "aria-description"))!;
    expect(map).toContain("13 countries and 9 model × language points");
    expect(errors).toEqual([]);
    await page.close();
    const empty = await open("/survey?models=");
    await settled(empty.page, { computes: true });
    expect(await empty.page.textContent(".empty-state")).toContain("No model point to show");
    expect(empty.errors).toEqual([]);
    await empty.page.close();
  });
});
