/**
 * The built site in headless Chromium: every page loads with no console error and no
 * request outside the site's own origin; the overview renders the three headline
 * findings, computed in the page; the data page offers provenance, downloads and SQL.
 * Screenshots are kept in test-results/screenshots/.
 */
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
const SHOTS = join(REPO_ROOT, "test-results", "screenshots");

let server: StaticServer;
let browser: Browser;

interface Watched {
  page: Page;
  errors: string[];
  outside: string[];
}

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Watched> {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const outside: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => {
    const url = r.url();
    if (!url.startsWith(server.url) && !url.startsWith("blob:") && !url.startsWith("data:")) outside.push(url);
  });
  await page.goto(server.url + path);
  return { page, errors, outside };
}

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  mkdirSync(SHOTS, { recursive: true });
  server = await serveDir(DIST);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("overview", () => {
  it("renders the three headline findings, computed in the page, with no console error or outside request", async () => {
    const { page, errors, outside } = await open("/");
    await page.waitForFunction(() => document.querySelector(".analysis-progress")?.textContent?.startsWith("Computed"), null, {
      timeout: 90_000,
    });
    await page.waitForSelector(".coef-table tbody tr");
    // RQ1: one capability panel per language, the coefficient table with its 16 terms.
    const panels = await page.$$eval(".chart-grid figure, .chart-grid svg[aria-label^='Capability']", (els) => els.length);
    expect(panels).toBeGreaterThanOrEqual(4);
    expect(await page.$$eval(".coef-table tbody tr", (rows) => rows.length)).toBe(16);
    const firstTerm = await page.textContent(".coef-table tbody tr td.term");
    expect(firstTerm).toBe("consistency:language[Danish]");
    // RQ2 and self-consistency charts, with accessible labels.
    expect(await page.$("svg[aria-label^='US-centric bias']")).not.toBeNull();
    expect(await page.$("svg[aria-label^='Self-consistency']")).not.toBeNull();
    const bars = await page.$$eval("svg[aria-label^='US-centric bias'] g[aria-label='bar'] rect", (r) => r.length);
    expect(bars).toBe(36);
    // The headline cards carry numbers, not placeholders.
    const cards = await page.$$eval(".card .big-number", (els) => els.map((e) => e.textContent ?? ""));
    expect(cards).toHaveLength(3);
    for (const c of cards) expect(c).toMatch(/^\d+ of [1-9]\d*$/);
    expect(await page.textContent(".source-banner")).toContain("published release");
    await page.screenshot({ path: join(SHOTS, "overview.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it("stays usable at phone width", async () => {
    const { page, errors } = await open("/", { width: 390, height: 844 });
    await page.waitForFunction(() => document.querySelector(".analysis-progress")?.textContent?.startsWith("Computed"), null, {
      timeout: 90_000,
    });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, "overview-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("data & methods", () => {
  it("shows provenance, offers every table for download and answers SQL", async () => {
    const { page, errors, outside } = await open("/data-methods");
    await page.waitForSelector("text=f550348462acb84dbc26c05fbb6bd1bdb44ae24b");
    const tables = await page.$$eval("a[download$='.parquet']", (as) => as.map((a) => a.getAttribute("download")));
    expect(tables).toEqual([
      "responses.parquet",
      "ground_truth.parquet",
      "benchmarks.parquet",
      "models.parquet",
      "items.parquet",
      "populations.parquet",
      "provenance.parquet",
    ]);
    // The default query counts responses per model and language through DuckDB-WASM.
    await page.waitForFunction(() => [...document.querySelectorAll("table td")].some((td) => td.textContent === "Baseline_fifty_percent"), null, {
      timeout: 60_000,
    });
    // A CSV download produces the table's rows.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[download='models.csv']")]);
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(path!, "utf8").trim().split(/\r?\n/);
    expect(lines[0]).toBe("model,display_name,family,size");
    expect(lines).toHaveLength(12);
    await page.screenshot({ path: join(SHOTS, "data-methods.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});
