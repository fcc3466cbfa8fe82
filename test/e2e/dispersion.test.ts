/**
 * Dispersion in headless Chromium on the built site (the paper source): the default view shows
 * at first paint from the build, with its sentences, the ratio chart, the table, the item
 * scatter and the downloads; a permalink with the country level, one model, other replicates and
 * seed recomputes in the worker and keeps its settings.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { builtSite, settled, SHOTS } from "../helpers/browser.js";

const { open } = builtSite();
const RATIO_CHART = "svg[aria-label='Dispersion ratio (observed / expected within-item variance) by model, per prompt language and population']";
const SCATTER = "svg[aria-label='Observed against expected within-item variance of VPS, per item and prompt language']";

describe("dispersion", () => {
  it("shows the built default view: sentences, the ratio per model, the table, one model's items and the downloads", async () => {
    const { page, errors } = await open("/dispersion");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed when the site was built/);
    const summary = (await page.$$eval(".analysis-summary", (els) => els.map((e) => e.textContent ?? ""))).join("\n");
    expect(summary).toMatch(/^Of 36 model × language × population cells, 28 spread their answers more .*, 0 less/);
    expect(summary).toMatch(/The ratios run from 0\.89 \(GPT-4 Turbo in Portuguese\) to 4\.69 \(OLMo-2 7B in Danish\)/);
    expect(summary).toMatch(/n = 10 is an assumption here/);
    expect(await page.getAttribute(RATIO_CHART, "aria-description")).toMatch(/^Dot and interval chart of 36 ratios in 4 panels/);
    expect(await page.getAttribute(SCATTER, "aria-description")).toMatch(/^Scatter of \d+ items/);
    expect(await page.$$eval(".slice-download", (els) => els.length)).toBe(2);
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "dispersion.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a permalink with the country level, one model, 20 replicates and seed 5 recomputes in the page and keeps them", async () => {
    const { page, errors } = await open("/dispersion?level=country&model=gpt-4o&rounds=20&seed=5");
    await settled(page, { computes: true });
    expect(await page.textContent(".analysis-progress")).toMatch(/Computed in [\d.]+ s/);
    expect(await page.getByLabel("Model", { exact: true }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "")).toBe("GPT-4o");
    const summary = (await page.$$eval(".analysis-summary", (els) => els.map((e) => e.textContent ?? ""))).join("\n");
    expect(summary).toMatch(/^Of 117 model × language × population cells/);
    expect(await page.getAttribute(RATIO_CHART, "aria-description")).toMatch(/in 13 panels/);
    expect(await page.textContent("main")).toContain("over 20 item-bootstrap replicates (seed 5)");
    expect(errors).toEqual([]);
    await page.close();
  });
});
