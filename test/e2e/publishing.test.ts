/**
 * The built site as it is published and as every reader meets it: served under a sub-path
 * (GitHub Pages serves a project site at /<repository>/), every page of the navigation
 * loads with no console error, no failed request and no request outside that path; each
 * page declares its language, lets readers zoom, and offers a skip link as the first
 * keyboard stop, which moves the focus to the content.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import config from "../../observablehq.config.js";
import { STUDY_TEXT, SURVEY_TEXT } from "../../src/components/citation.js";
import { launchBrowser, settled } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

const DIST = join(REPO_ROOT, "dist");
const BASE = "/multicultural-alignment/";
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
const PAGES = config.pages.map((p: { path: string }) => p.path);

let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  server = await serveDir(DIST, 0, BASE);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe(`under the sub-path ${BASE}`, () => {
  it("every page of the navigation loads, computes and links within the sub-path", async () => {
    const origin = new URL(server.url).origin;
    for (const path of PAGES) {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      page.on("console", (m) => m.type() === "error" && problems.push(`console: ${m.text()}`));
      page.on("pageerror", (e) => problems.push(`error: ${e.message}`));
      page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
      page.on("request", (r) => {
        const url = r.url();
        if (!/^(blob|data):/.test(url) && !url.startsWith(`${origin}${BASE}`)) problems.push(`outside ${BASE}: ${url}`);
      });
      await page.goto(`${server.url}${path === "/" ? "/" : path}`);
      await settled(page);
      expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent)), path).toEqual([]);
      // Every link of the site (navigation, cards, downloads) resolves within the sub-path.
      const links = await page.$$eval("a[href]", (as) => as.map((a) => (a as HTMLAnchorElement).href));
      const stray = links.filter((href) => href.startsWith(origin) && !href.startsWith(`${origin}${BASE}`));
      expect(stray, path).toEqual([]);
      expect(problems, path).toEqual([]);
      await page.close();
    }
  }, 600_000);

  it("Explore queries its Parquet with DuckDB-WASM under the sub-path", async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    page.on("response", (r) => r.status() >= 400 && problems.push(`${r.status()}: ${r.url()}`));
    await page.goto(`${server.url}/explore`);
    await settled(page);
    await page.getByRole("button", { name: "List the responses of this slice" }).click();
    await page.waitForFunction(() => /\d+ responses/.test(document.querySelector(".responses-status")?.textContent ?? ""), null, { timeout: 120_000 });
    expect(await page.$$eval(".responses-list tbody tr", (trs) => trs.length)).toBeGreaterThan(0);
    expect(problems).toEqual([]);
    await page.close();
  }, 200_000);
});

describe("citing the site", () => {
  it("Data & methods cites the study, the survey with its DOI, the site with its version, and the licences", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}/data-methods`);
    await page.waitForSelector(".citation");
    const text = (await page.textContent(".citation"))!;
    expect(text).toContain(STUDY_TEXT);
    expect(text).toContain(SURVEY_TEXT);
    expect(text).toContain(`a reactive re-analysis workspace, version ${version}.`);
    expect(text).toMatch(/This site's code: MIT licence/);
    expect(await page.getAttribute("meta[name=citation_title]", "content")).toMatch(new RegExp(`\\(version ${version.replaceAll(".", "\\.")}\\)$`));
    await page.close();
  });
});

describe("every page, for every reader", () => {
  it("declares its language, lets readers zoom, and starts with a skip link to the content", async () => {
    for (const path of PAGES) {
      const page = await browser.newPage();
      await page.goto(`${server.url}${path === "/" ? "/" : path}`);
      expect(await page.getAttribute("html", "lang"), path).toBe("en");
      expect(await page.getAttribute("meta[name=viewport]", "content"), path).not.toMatch(/maximum-scale|user-scalable=no/);
      await page.keyboard.press("Tab");
      expect(await page.evaluate(() => document.activeElement?.textContent), path).toBe("Skip to content");
      expect(await page.evaluate(() => getComputedStyle(document.activeElement!).left), path).not.toBe("-10000px");
      await page.keyboard.press("Enter");
      expect(await page.evaluate(() => document.activeElement?.id), path).toBe("observablehq-main");
      await page.close();
    }
  }, 200_000);
});
