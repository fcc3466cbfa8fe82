/**
 * The findings-first overview in headless Chromium, on the study's release: the three
 * findings are there at first paint, from the build, with no analysis worker; other
 * rounds or seeds recompute the published and recommended analyses in the page, flag
 * round counts where the published fit is unreliable, and carry the settings in links.
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

async function open(path: string, viewport = { width: 1200, height: 900 }) {
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(server.url + path);
  return { page, errors, requests };
}

const texts = (page: Page, selector: string) => page.$$eval(selector, (els) => els.map((e) => e.textContent ?? ""));

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
  it("shows the three findings at first paint, from the build, without loading the tables or a worker", async () => {
    // In the HTML itself, before any script: the page loader baked them in.
    const served = await (await fetch(server.url)).text();
    expect(served.match(/<article class="card finding (?:agree|disagree)" data-finding="[\w-]+">/g)).toHaveLength(3);
    const { page, errors, requests } = await open("/");
    await page.waitForSelector("article.finding", { timeout: 20_000 });
    expect(await texts(page, "article.finding h2")).toHaveLength(3);
    const [capability, consistency, usBias] = await texts(page, "article.finding .finding-headline");
    // On the study's release the recommended analysis finds no clear capability slope, and English US bias from three countries.
    expect(capability).toMatch(/^No clear link/);
    expect(consistency).toMatch(/Dutch and English only/);
    expect(usBias).toBe("Closer to the US in English only, and in English because of Nigeria, Kenya and Singapore.");
    const published = await texts(page, "article.finding dd:nth-of-type(1)");
    expect(published[0]).toMatch(
      /^Capability predicts alignment \(positive, p < 0\.05\) for gemma in every language.*\(seed 1, 100 rounds\)\. Across 21 seeds at the study's 100 rounds, \d+ of 12 slopes keep their sign and significance/,
    );
    const multiverse = await texts(page, "article.finding dd:nth-of-type(3)");
    for (const m of multiverse) expect(m).toMatch(/holds in \d+ of \d+ distinct results/);
    expect(await texts(page, ".finding-verdict")).toEqual(
      Array(3).fill("The two analyses disagree: the published conclusion does not hold under the recommended analysis."),
    );
    expect(await page.textContent(".findings-status")).toMatch(
      /^Computed when the site was built: seed 1, 100 rounds .* \d+ specifications with \d+ distinct results, 50 replicates each/,
    );
    await page.waitForLoadState("networkidle");
    expect(requests.filter((u) => /analysis-worker|responses\.[0-9a-f]+\.parquet/.test(u))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "overview.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("recomputes under other rounds and seeds, flags fewer than 50 rounds, and carries them in links", async () => {
    const { page, errors } = await open("/?rounds=30&seed=7");
    await page.waitForFunction(
      () => document.querySelector(".findings-status")?.textContent?.startsWith("Published and recommended analyses recomputed"),
      null,
      { timeout: 150_000 },
    );
    expect(await page.textContent(".findings-status")).toContain("seed 7, 30 rounds");
    expect(await page.textContent("main")).toContain("Below 50 rounds the published analysis is unreliable");
    expect(await texts(page, "article.finding dd:nth-of-type(1)").then((t) => t[0])).toContain("(seed 7, 30 rounds)");
    expect(await page.$$eval("article.finding a", (as) => as.map((a) => a.getAttribute("href")))).toEqual([
      "./capability?rounds=30&seed=7",
      "./capability?rounds=30&seed=7",
      "./us-bias?rounds=30&seed=7",
    ]);
    expect(await page.getByLabel("Seed").inputValue()).toBe("7");
    expect(await page.textContent("main")).toContain("npx mca reproduce --seed 7 --rounds 30");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("stays usable at phone width", async () => {
    const { page, errors } = await open("/", { width: 390, height: 844 });
    await page.waitForSelector("article.finding");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await page.screenshot({ path: join(SHOTS, "overview-phone.png"), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });
});
