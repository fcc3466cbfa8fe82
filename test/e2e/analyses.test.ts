/**
 * The published and the recommended analysis side by side, in headless Chromium on the
 * built site (the paper source): Capability and US-centric bias compute both, say in
 * plain words where they disagree, show the recommended table (with no "Published"
 * column) when the URL asks for it, honour the robustness explorer's parameters, and
 * flag round counts where the published fit is unreliable.
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
}

async function open(path: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 }, colorScheme: "light" });
  const errors: string[] = [];
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(m.text());
  });
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(server.url + path);
  return { page, errors };
}

/** Waits until every computation on the page has reported its end. */
async function settled(page: Page): Promise<void> {
  await page.waitForLoadState("networkidle");
  await page.waitForFunction(
    () => {
      if (document.querySelector(".observablehq--loading")) return false;
      const statuses = [...document.querySelectorAll(".analysis-progress")];
      return statuses.length > 0 && statuses.every((e) => !e.querySelector("progress") && /Computed|failed/.test(e.textContent ?? ""));
    },
    null,
    { timeout: 150_000 },
  );
}

/** The text of a select's chosen option (Observable Inputs' option values are indices). */
const chosen = (page: Page, label: string) =>
  page.getByLabel(label, { exact: true }).evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent ?? "");

/** The header cells of the page's coefficient tables. */
const headers = (page: Page, table: string) => page.$$eval(`${table} thead th`, (ths) => ths.map((t) => t.textContent ?? ""));

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

describe("capability", () => {
  it("shows the published figure and the recommended slopes beside it, with a sentence on where they disagree", async () => {
    const { page, errors } = await open("/capability");
    await settled(page);
    const summary = (await page.textContent(".analysis-summary"))!;
    expect(summary).toMatch(/^As published, capability predicts alignment .* for gemma \(all four languages\)/);
    expect(summary).toContain("Under the recommended analysis,");
    expect(summary).toMatch(/The two analyses disagree on \d+ of the 12 slopes/);
    expect(await page.textContent("main")).toContain("As published: capability against alignment");
    const chart = (await page.getAttribute("svg[aria-label='Capability slopes as published and recommended']", "aria-description"))!;
    expect(chart).toMatch(/Intervals excluding zero: \d+ of 12 as published, \d+ of 12 recommended/);
    // The published analysis is the default: its table keeps the "Published" column; no flag at 100 rounds.
    expect(await headers(page, ".coef-table")).toContain("Published");
    expect(await page.$(".recommended-table")).toBeNull();
    expect(await page.$(".fit-warning")).toBeNull();
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "analyses-capability.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("?analysis=recommended shows the recommended table, with what differs and no Published column", async () => {
    const { page, errors } = await open("/capability?analysis=recommended");
    await settled(page);
    await page.waitForSelector(".recommended-table tbody tr");
    const ths = await headers(page, ".recommended-table");
    expect(ths).toEqual(["Term", "Coef.", "SE", "95% CI", "p", "Compared with the published analysis"]);
    expect(ths.filter((h) => /^Published/.test(h))).toEqual([]);
    // Four language intercepts, four consistency slopes and twelve capability slopes.
    expect(await page.$$eval(".recommended-table tbody tr", (rows) => rows.length)).toBe(20);
    const verdicts = await page.$$eval(".recommended-table td.verdict", (tds) => tds.map((t) => t.textContent ?? ""));
    expect(verdicts).toContain("not in the published analysis");
    expect(verdicts.some((v) => /no longer significant/.test(v))).toBe(true);
    expect(await page.getByLabel("Recommended", { exact: true }).isChecked()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("honours the robustness explorer's parameters: formula and resampling unit", async () => {
    const { page, errors } = await open("/capability?analysis=recommended&rq1formula=no_intercept&unit=responses&rounds=50");
    await settled(page);
    await page.waitForSelector(".recommended-table tbody tr");
    expect(await chosen(page, "Recommended regression")).toBe("no intercepts (the study's formula on one estimate per cell)");
    expect(await chosen(page, "Recommended: resample")).toBe("whole responses");
    // The study's formula on cells: no intercepts, so four consistency terms and twelve slopes.
    expect(await page.$$eval(".recommended-table tbody tr", (rows) => rows.length)).toBe(16);
    expect(await page.textContent("main")).toContain("resampling whole responses");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("flags a round count at which the published fit is unreliable", async () => {
    const { page, errors } = await open("/capability?rounds=20&seed=7");
    await settled(page);
    const flag = (await page.textContent(".fit-warning"))!;
    expect(flag).toContain("With 20 bootstrap rounds, the published fit is not comparable with the study's");
    expect(flag).toMatch(/\(here it is [\d.e-]+\)/);
    // At 20 rounds (seed 7) the REML likelihood has a second mode: the warning names both.
    expect(flag).toMatch(/two modes within 2 log-likelihood units: model variance [\d.e-]+ \(log-likelihood [\d.]+\) and model variance [\d.e-]+/);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("US-centric bias", () => {
  it("shows the published chart, the recommended medians, gaps and English countries, and says where they disagree", async () => {
    const { page, errors } = await open("/us-bias");
    await settled(page);
    const summary = (await page.textContent(".analysis-summary"))!;
    expect(summary).toContain("As published (β_BiasUS), models answer");
    expect(summary).toContain("Under the recommended analysis, the median model's gap");
    expect(summary).toMatch(/The analyses disagree on .*Portuguese/);
    expect(summary).toMatch(/English US bias comes from [A-Z]/);
    const notes = (await page.textContent(".analysis-summary-notes"))!;
    expect(notes).toMatch(/left out in every language because some compared country has no survey answer/);
    expect(notes).toMatch(/The study subtracted the gap of its uniform-random baseline, a single random draw: on these items it is −?\d\.\d\d in Danish/);
    expect(await page.$("svg[aria-label='US-centric bias coefficients by prompt language and model']")).not.toBeNull();
    expect(await page.$("svg[aria-label='Median model\\'s US gap per language, as published and recommended']")).not.toBeNull();
    expect(await page.$$eval("svg[aria-label='Recommended US gap by prompt language and model'] g[aria-label='bar'] rect", (r) => r.length)).toBe(36);
    const countries = (await page.getAttribute("svg[aria-label='US gap against each English-speaking country']", "aria-description"))!;
    for (const c of ["Nigeria", "Kenya", "Singapore", "Canada", "Northern Ireland"]) expect(countries).toContain(c);
    expect(await page.$(".recommended-table")).toBeNull();
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "analyses-us-bias.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("?analysis=recommended&items=all&baseline=study shows the recommended table and honours the choices", async () => {
    const { page, errors } = await open("/us-bias?analysis=recommended&items=all&baseline=study&rounds=50");
    await settled(page);
    await page.waitForSelector(".recommended-table tbody tr");
    const ths = await headers(page, ".recommended-table");
    expect(ths.filter((h) => /^Published/.test(h))).toEqual([]);
    expect(ths.at(-1)).toBe("Compared with the published analysis");
    expect(await page.$$eval(".recommended-table tbody tr", (rows) => rows.length)).toBe(36);
    expect(await chosen(page, "Recommended: US-bias items")).toBe("each country's own items (the study's)");
    expect(await chosen(page, "Recommended: baseline subtracted")).toBe("the study's draw");
    const notes = (await page.textContent(".analysis-summary-notes"))!;
    expect(notes).toContain("Each country is compared on all of its own items");
    expect(notes).toContain("This view subtracts the gap of the study's uniform-random baseline");
    expect(errors).toEqual([]);
    await page.close();
  });
});
