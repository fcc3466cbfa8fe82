/**
 * Issue 13's reader-facing fixes, in headless Chromium on the built site (the paper source):
 * no page changed here scrolls sideways on a phone; the Questions map's values are reachable
 * by keyboard; items without survey data are marked; the pager names the home page as the
 * navigation does; a one-judge source still shows what its judge decided; models are listed
 * by family, then size as a number.
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser, openWatched, settled } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
const PHONE = { width: 390, height: 844 };

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  server = await serveDir(DIST);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe("at phone width", () => {
  for (const [path, computes] of [
    ["/robustness", true],
    ["/capability", true],
    ["/consistency", true],
    ["/explore", false],
    ["/questions", false],
    ["/judges", false],
  ] as const) {
    it(`${path} does not scroll sideways at 390 px, in either theme`, async () => {
      for (const colorScheme of ["light", "dark"] as const) {
        const { page, errors } = await openWatched(browser, server.url + path, { viewport: PHONE, colorScheme });
        await settled(page, { computes });
        expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
        expect(errors).toEqual([]);
        await page.close();
      }
    });
  }
});

describe("Questions", () => {
  it("gives the map's values to the keyboard: Tab reaches the table's disclosure, Enter opens it, and its values are the map's", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/questions?item=f120`);
    await settled(page);
    let focused = "";
    for (let i = 0; i < 80 && !focused.startsWith("Every country's value on the map"); i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => (document.activeElement?.tagName === "SUMMARY" ? (document.activeElement.textContent ?? "") : ""));
    }
    expect(focused).toMatch(/^Every country's value on the map \(\d+\), as a table$/);
    await page.keyboard.press("Enter");
    const rows = await page.$$eval("details.world-map-values[open] tbody tr", (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent ?? "")));
    expect(rows.length).toBe(Number(focused.match(/\((\d+)\)/)![1]));
    expect(rows.length).toBeGreaterThan(5);
    // Denmark's value in the table is the one its shape's title gives, to three decimals.
    const denmark = rows.find((r) => r[0] === "Denmark")!;
    const title = await page.$eval("figure.world-map > svg", (svg) =>
      [...svg.querySelectorAll("title")].map((t) => t.textContent).find((t) => t?.startsWith("Denmark:")),
    );
    expect(title).toBe(`Denmark: ${denmark[1]}`);
    // Denmark and the Netherlands, hard to see on the map, are listed under it with their values.
    expect(await page.textContent("figure.world-map figcaption")).toMatch(/^Small on the map: .*Denmark \d\.\d{3}, .*Netherlands \d\.\d{3}/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("marks the five items without survey data in the picker, lists them, and explains on their page", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/questions?item=e028`);
    await settled(page);
    const marked = await page.$$eval("form:has(label:text-is('Item')) option", (os) =>
      os.map((o) => o.textContent ?? "").filter((t) => t.endsWith("· no survey data")),
    );
    expect(marked.map((t) => t.match(/\((\w+)\) · no survey data$/)?.[1])).toEqual(["e028", "e225", "e226", "e227", "e228"]);
    expect(await page.textContent(".unsurveyed-items")).toMatch(/^5 of the \d+ items have no survey data/);
    expect(await page.textContent(".card .no-survey-data")).toContain("No survey data.");
    // An item with survey data has no such note.
    await page.goto(`${server.url}/questions?item=f120`);
    await settled(page);
    expect(await page.$(".card .no-survey-data")).toBeNull();
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("navigation", () => {
  it("names the home page in the pager as the navigation does", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/survey`);
    const prev = await page.textContent("#observablehq-footer a[rel='prev']");
    expect(prev).toBe("Overview");
    const nav = await page.$$eval("#observablehq-sidebar a", (as) => as.map((a) => a.textContent?.trim()));
    expect(nav).toContain(prev);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("Judges with one judge", () => {
  it("shows what the judge decided and says agreement needs a second judge", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/judges`);
    await settled(page);
    expect(await page.textContent("main")).toContain("This workspace has one judge");
    const chart = page.locator("svg[aria-label='Distribution of value polarity scores by model and prompt language']");
    await chart.waitFor();
    // Models by family, then size: 7B before 13B before 32B.
    const names = await chart.locator("[aria-label='y-axis tick label'] text").allTextContents();
    const olmo = [...new Set(names.filter((n) => n.startsWith("OLMo")))];
    expect(olmo).toEqual(["OLMo-2 7B", "OLMo-2 13B", "OLMo-2 32B"]);
    expect(errors).toEqual([]);
    await page.close();
  });
});

describe("capability", () => {
  it("puts the model key before the four panels", async () => {
    const { page, errors } = await openWatched(browser, `${server.url}/capability`, { viewport: PHONE });
    await settled(page, { computes: true });
    const first = await page.$eval(".chart-grid", (g) => g.firstElementChild?.className);
    expect(first).toBe("model-legend");
    expect(errors).toEqual([]);
    await page.close();
  });
});
