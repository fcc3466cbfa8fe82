/**
 * Residual diagnostics and the published US-bias table, in headless Chromium on the built
 * site (the paper source): both pages draw the three residual panels at first paint and
 * under other settings, and the US-bias page sets the published table beside ours.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser, openWatched } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
const PANELS = ["Residuals against fitted values", "Normal QQ plot of the standardized residuals", "Residuals by model"];

let server: StaticServer;
let browser: Browser;

const open = (path: string) => openWatched(browser, server.url + path);

/** The residual panels' accessible names, once drawn (the computation may run in the worker first). */
async function panels(page: Page): Promise<string[]> {
  await page.waitForSelector(".residual-panels svg[aria-label='Residuals by model']", { timeout: 150_000 });
  return page.$$eval(".residual-panels svg[aria-label]", (svgs) => svgs.map((s) => s.getAttribute("aria-label") ?? ""));
}

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  server = await serveDir(DIST);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("us-bias", () => {
  it("shows the published table beside ours and the residual panels at first paint", async () => {
    const { page, errors } = await open("/us-bias");
    expect((await panels(page)).map((l) => l.replace(/, US-bias regression$/, ""))).toEqual(PANELS);
    const text = (await page.textContent("main"))!;
    expect(text).toMatch(/Reproduced as published, β_BiasUS differs from the study's table by 0\.0\d\d on average over 36 of the 36 published cells shown/);
    expect(text).toContain("These settings are the study's");
    expect(text).toMatch(/The 16,000 residuals are skewed/);
    expect(await page.$$eval(".coef-table tbody tr", (rows) => rows.length)).toBe(36);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("follows the page's settings: other rounds recompute both, and the caveat says the settings are not the study's", async () => {
    const { page, errors } = await open("/us-bias?rounds=20&seed=5&langs=da");
    await panels(page);
    await page.waitForFunction(() => /The 3,200 residuals/.test(document.querySelector("main")?.textContent ?? ""), null, { timeout: 150_000 });
    const text = (await page.textContent("main"))!;
    expect(text).toMatch(/over 9 of the 9 published cells shown/);
    expect(text).toContain("These settings are not the study's");
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("capability", () => {
  it("draws the mixed model's residuals for the chosen variant", async () => {
    const { page, errors } = await open("/capability");
    expect((await panels(page)).map((l) => l.replace(/, RQ1 mixed model$/, ""))).toEqual(PANELS);
    expect(await page.textContent("main")).toMatch(/The 3,600 residuals are nearly symmetric, with heavier tails/);
    await page.close();
    const other = await open("/capability?variant=normal&rounds=20");
    await panels(other.page);
    await other.page.waitForFunction(() => /The 720 residuals/.test(document.querySelector("main")?.textContent ?? ""), null, { timeout: 150_000 });
    expect(await other.page.textContent("main")).toContain("alignment ~ 0 + consistency + multilingual:family:language");
    expect([...errors, ...other.errors]).toEqual([]);
    await other.page.close();
  });
});
