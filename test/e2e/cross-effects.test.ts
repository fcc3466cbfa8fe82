/**
 * The Prompt language page and the Alignment page's raw/adjusted switch, in headless
 * Chromium on the built site (the paper source): the gap as published and recommended
 * with its sentence, the language × country matrix, controls from the URL, no errors.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser, openWatched, settled } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
let server: StaticServer;
let browser: Browser;

const open = (path: string) => openWatched(browser, server.url + path, { colorScheme: "dark" });

beforeAll(async () => {
  if (!existsSync(join(DIST, "cross-effects.html"))) throw new Error("dist/ has no cross-effects page: run `npm run build` before the browser tests");
  server = await serveDir(DIST);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("prompt language (cross-effects)", () => {
  it("shows the gap as published and recommended, says what removing self-pairs changes, and draws the matrix", async () => {
    const { page, errors } = await open("/cross-effects");
    await settled(page, { computes: true });
    const summary = (await page.textContent("p.analysis-summary"))!;
    expect(summary).toMatch(/^Without self-pairs the gap is smaller for 9 of 9 models; the median model keeps 0\.5\d\d of its gap/);
    expect(summary).toMatch(/Under the recommended analysis, 5 of 9 models have a 95% interval above zero/);
    const gap = (await page.getAttribute("svg[aria-label='Consistency within minus between prompt languages, per model']", "aria-description"))!;
    expect(gap).toContain("Recommended intervals above zero: 5 of 9");
    const matrix = (await page.getAttribute("svg[aria-label^='Alignment (Spearman']", "aria-description"))!;
    expect(matrix).toContain("4 prompt languages by 13 countries");
    expect(await page.textContent("main")).toContain("Home-language advantage of GPT-4o");
    expect(errors).toEqual([]);
  });

  it("takes its controls from the URL and recomputes in the worker", async () => {
    const { page, errors } = await open("/cross-effects?model=gemma-2-27b-it&rounds=20&seed=3");
    await settled(page, { computes: true });
    expect(await page.textContent("main")).toContain("Home-language advantage of Gemma-2 27B");
    expect(await page.textContent("main")).toContain("mean of 20 rounds");
    expect(errors).toEqual([]);
  });
});

describe("alignment: raw or adjusted", () => {
  it("says which one it shows", async () => {
    const { page, errors } = await open("/alignment?show=adjusted");
    await settled(page, { computes: true });
    const text = (await page.textContent("main"))!;
    expect(text).toContain("Shown: alignment adjusted for self-consistency");
    expect(await page.$('svg[aria-label^="Alignment (Spearman\'s ρ, adjusted)"]')).not.toBeNull();
    const raw = await open("/alignment");
    await settled(raw.page, { computes: true });
    expect(await raw.page.textContent("main")).toContain("Shown: the raw alignment");
    expect([...errors, ...raw.errors]).toEqual([]);
  });
});
