/**
 * The built site in headless Chromium: every page loads with no console error and no
 * request outside the site's own origin; the data page offers provenance, downloads and
 * SQL. The overview has its own file (overview.test.ts).
 * Screenshots are kept in test-results/screenshots/.
 */
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import config from "../../observablehq.config.js";
import { CHOICE_KEYS, CHOICES } from "../../src/lib/robustness/specs.js";
import { launchBrowser, settled } from "../helpers/browser.js";
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

// The robustness page runs a multiverse of some 200 specifications: it has its own tests below.
const PAGES = config.pages.map((p: { path: string }) => p.path).filter((path: string) => path !== "/robustness");

describe("every page", () => {
  for (const path of PAGES) {
    it(`${path} loads with no console error, no failed cell and no request outside the site`, async () => {
      const { page, errors, outside } = await open(path);
      await settled(page);
      expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
      expect(await page.textContent(".source-banner")).toContain("Data:");
      // Every chart carries an accessible name and description.
      const unlabeled = await page.$$eval(
        "svg[class*='plot']",
        (svgs) =>
          svgs.filter(
            (s) => s.closest("figure, div") && !s.getAttribute("aria-label") && s.getAttribute("aria-hidden") !== "true" && s.querySelector("g[aria-label]"),
          ).length,
      );
      expect(unlabeled).toBe(0);
      await page.screenshot({ path: join(SHOTS, `${path === "/" ? "overview" : path.slice(1)}.png`), fullPage: true });
      expect(errors).toEqual([]);
      expect(outside).toEqual([]);
      await page.close();
    });
  }
});

describe("phone width", () => {
  it("no page scrolls sideways at 390 px", async () => {
    for (const path of PAGES) {
      const { page, errors } = await open(path, { width: 390, height: 844 });
      await settled(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, path).toBeLessThanOrEqual(1);
      // No number of a coefficient table hides in a sideways scroll: each cell lies within the screen.
      const hidden = await page.$$eval(".coef-table td", (tds) =>
        tds.filter((td) => td.getBoundingClientRect().right > window.innerWidth + 1 || td.getBoundingClientRect().left < -1).map((td) => td.textContent),
      );
      expect(hidden, path).toEqual([]);
      expect(errors, path).toEqual([]);
      await page.close();
    }
  }, 300_000);
});

describe("data & methods", () => {
  it("shows provenance and checksums, and offers every table for download", async () => {
    const { page, errors, outside } = await open("/data-methods");
    await page.waitForSelector("text=f550348462acb84dbc26c05fbb6bd1bdb44ae24b");
    const tables = await page.$$eval("table a[download$='.parquet']", (as) => as.map((a) => a.getAttribute("download")));
    expect(tables).toEqual([
      "responses.parquet",
      "ground_truth.parquet",
      "benchmarks.parquet",
      "models.parquet",
      "items.parquet",
      "populations.parquet",
      "provenance.parquet",
      "personas.parquet",
    ]);
    // A CSV download produces the table's rows.
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[download='models.csv']")]);
    const path = await download.path();
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync(path!, "utf8").trim().split(/\r?\n/);
    expect(lines[0]).toBe("model,display_name,family,size");
    expect(lines).toHaveLength(12);
    // The responses' CSV is written by DuckDB from the workspace database, on the click: every response, once.
    const [responses] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), page.click("a[download='responses.csv']")]);
    const rows = readFileSync((await responses.path())!, "utf8")
      .trim()
      .split(/\r?\n/);
    expect(rows[0]).toContain("model,family,language,item");
    expect(rows).toHaveLength(11153);
    // How to cite: the study's BibTeX, and this data version by its source's commit and build date.
    const cite = (await page.textContent(".citation"))!;
    expect(cite).toContain("@misc{rystrom2025multilingual");
    expect(cite).toContain("eprint        = {2502.16534}");
    expect(cite).toMatch(/jhrystrom\/multicultural-alignment at commit f550348462acb84dbc26c05fbb6bd1bdb44ae24b; tables of \d{4}-\d\d-\d\d/);
    await page.screenshot({ path: join(SHOTS, "data-methods.png"), fullPage: true });
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});

describe("filters, permalinks and downloads", () => {
  it("changing the model filter changes the charts", async () => {
    const { page, errors } = await open("/alignment");
    await settled(page);
    const dots = () => page.$$eval("svg[aria-label^='Alignment'] g[aria-label='dot'] circle", (c) => c.length);
    const before = await dots();
    expect(before).toBeGreaterThan(0);
    await page.getByLabel("GPT-4o", { exact: true }).uncheck();
    await page.waitForFunction((n) => document.querySelectorAll("svg[aria-label^='Alignment'] g[aria-label='dot'] circle").length !== n, before);
    const after = await dots();
    expect(after).toBeLessThan(before);
    expect(page.url()).toContain("models=");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a permalink restores every control, and changing a control rewrites it", async () => {
    const link = "/alignment?lang=nl&level=language&metric=pearson&models=gpt-4o,gemma-2-27b-it&rounds=50";
    const { page, errors } = await open(link);
    await settled(page);
    expect(await page.$eval("select", (s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent)).toBe("Dutch");
    const checkedLevel = await page.$eval("input[type=radio]:checked", (r) => r.parentElement!.textContent);
    expect(checkedLevel).toContain("speakers vs English speakers");
    const checkedModels = await page.$$eval("input[type=checkbox]:checked", (cs) => cs.map((c) => c.parentElement!.textContent!.trim()));
    expect(checkedModels).toEqual(["Gemma-2 27B", "GPT-4o"]);
    // Only the two models are drawn, each against Dutch and English speakers.
    expect(await page.$$eval("svg[aria-label^='Alignment'] g[aria-label='dot'] circle", (c) => c.length)).toBe(4);
    expect(await page.getAttribute("svg[aria-label^='Alignment']", "aria-label")).toContain("Pearson");
    // Change one control: the URL follows, and opening that URL gives the same state.
    await page.getByLabel("OLMo-2 32B", { exact: true }).check();
    await page.waitForFunction(() => location.search.includes("OLMo-2-0325-32B-Instruct"));
    const next = new URL(page.url());
    const second = await open(next.pathname + next.search);
    await settled(second.page);
    expect(await second.page.$$eval("svg[aria-label^='Alignment'] g[aria-label='dot'] circle", (c) => c.length)).toBe(6);
    expect(errors).toEqual([]);
    expect(second.errors).toEqual([]);
    await page.close();
    await second.page.close();
  });

  it("an Explore slice lists its responses on demand, reads one on selection and downloads as Parquet", async () => {
    const { page, errors } = await open("/explore?langs=pt&models=gpt-4o");
    await settled(page);
    expect(await page.textContent("p.fit-stats")).toMatch(/^224 responses/);
    // The charts need no DuckDB: it starts only when the reader asks for the list.
    expect(page.workers()).toHaveLength(0);
    await page.getByRole("button", { name: "List the responses of this slice" }).click();
    await page.waitForFunction(() => /224 responses/.test(document.querySelector(".responses-status")?.textContent ?? ""), null, { timeout: 60_000 });
    expect(page.workers()).toHaveLength(1);
    const listed = await page.$$eval(".responses-list tbody tr", (trs) => trs.length);
    expect(listed).toBeGreaterThan(0);
    // Clicking a row loads that response by a second query.
    await page.locator(".responses-list tbody tr").nth(1).locator("td").nth(2).click();
    await page.waitForFunction(() => document.querySelector(".response-detail.card h3")?.textContent?.includes("Portuguese"), null, { timeout: 30_000 });
    // The list names languages, and the selected response is in the URL: the link opens it.
    expect(await page.$$eval(".responses-list tbody tr td", (tds) => tds.map((td) => td.textContent))).toContain("Portuguese");
    expect(page.url()).toMatch(/[?&]response=\d+/);
    // The keyboard selects too: each row's radio is named, Tab reaches it and Space selects it.
    const radio = page.locator(".responses-list tbody tr").nth(3).locator("input");
    expect(await radio.getAttribute("aria-label")).toMatch(/^Read this response: GPT-4o, Portuguese, /);
    const before = page.url();
    await radio.focus();
    await page.keyboard.press("Space");
    await page.waitForFunction((url) => location.href !== url, before);
    expect(page.url()).toMatch(/[?&]response=\d+/);
    const linked = await browser.newPage();
    await linked.goto(page.url());
    await linked.waitForFunction(() => document.querySelector(".response-detail.card h3")?.textContent?.includes("Portuguese"), null, { timeout: 60_000 });
    expect(await linked.$eval(".response-detail.card h3", (h) => h.textContent)).toBe(await page.$eval(".response-detail.card h3", (h) => h.textContent));
    await linked.close();
    // A slice's URL state still works: another slice lists itself (the reader asked once).
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("a[download='responses-slice.parquet']")]);
    const { readParquet } = await import("../../loaders/parquet.js");
    const { readFileSync } = await import("node:fs");
    const rows = readParquet(new Uint8Array(readFileSync((await download.path())!)));
    expect(rows).toHaveLength(224);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(["gpt-4o"]));
    expect(new Set(rows.map((r) => r.language))).toEqual(new Set(["pt"]));
    await page.getByRole("checkbox", { name: "Danish" }).check();
    await page.waitForFunction(() => location.search.includes("da") && /responses/.test(document.querySelector(".responses-status")?.textContent ?? ""), null, {
      timeout: 30_000,
    });
    expect(page.workers()).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the SQL box queries the workspace tables in DuckDB-WASM", async () => {
    const { page, errors } = await open("/explore");
    await settled(page);
    expect(page.workers()).toHaveLength(0);
    await page.getByRole("button", { name: "Load DuckDB and run this query" }).click();
    // While DuckDB loads and the query runs, the box says so.
    expect(await page.textContent(".sql-status")).toMatch(/Loading DuckDB|Running/);
    // The default query: mean VPS of Danish answers per item, beside Denmark's survey share.
    await page.waitForFunction(
      () => {
        const tables = [...document.querySelectorAll("table")];
        const last = tables[tables.length - 1];
        return !!last && last.querySelectorAll("tbody tr").length >= 10 && last.textContent!.includes("denmark");
      },
      null,
      { timeout: 60_000 },
    );
    await page.fill("textarea", "SELECT count(*) AS n FROM responses WHERE language = 'nl'");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await page.waitForFunction(() => [...document.querySelectorAll("table td")].some((td) => td.textContent === "3,071" || td.textContent === "3071"), null, {
      timeout: 30_000,
    });
    expect(page.url()).toContain("sql=");
    // Later queries run against the same database: one DuckDB worker, never a new one, and fast.
    const idle = () => page.waitForFunction(() => !document.querySelector(".sql-box")?.hasAttribute("aria-busy"), null, { timeout: 30_000 });
    for (const [sql, expected] of [
      // The page's tables are views in the page's own database, over the attached workspace file (ws).
      ["SELECT count(*) AS tables FROM information_schema.tables WHERE table_name IN ('provenance', 'responses') AND table_catalog = current_database()", "2"],
      ["SELECT value FROM provenance WHERE key = 'commit'", "f550348462acb84dbc26c05fbb6bd1bdb44ae24b"],
      ["SELECT count(DISTINCT model) AS models FROM responses", "11"],
    ] as const) {
      await page.fill(".sql-box textarea", sql);
      const started = Date.now();
      await page.getByRole("button", { name: "Run", exact: true }).click();
      await idle();
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(await page.$$eval(".sql-output td", (tds) => tds.map((td) => td.textContent))).toContain(expected);
      expect(page.workers()).toHaveLength(1);
    }
    expect(await page.textContent(".sql-status")).toMatch(/^1 row in/);
    expect(await page.textContent("main")).toContain("provenance");
    // A result downloads as DuckDB typed it (an empty text column stays text).
    await page.fill(".sql-box textarea", "SELECT 'two' AS second, NULL::VARCHAR AS empty");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await idle();
    const [csv] = await Promise.all([page.waitForEvent("download"), page.click(".sql-download a[download='query-result.csv']")]);
    expect(readFileSync((await csv.path())!, "utf8")).toBe("second,empty\r\ntwo,\r\n");
    const [parquet] = await Promise.all([page.waitForEvent("download"), page.click(".sql-download a[download='query-result.parquet']")]);
    const { readParquet } = await import("../../loaders/parquet.js");
    expect(readParquet(new Uint8Array(readFileSync((await parquet.path())!)))).toEqual([{ second: "two", empty: null }]);
    // Several statements: DuckDB returns the first one's result, and the box says so.
    await page.fill(".sql-box textarea", "SELECT 1 AS first; SELECT 2 AS second");
    await page.getByRole("button", { name: "Run", exact: true }).click();
    await idle();
    expect(await page.textContent(".sql-statements")).toMatch(/ran 2 statements; DuckDB returns the result of the first one only/);
    expect(await page.$$eval(".sql-output th", (ths) => ths.map((t) => t.textContent).filter(Boolean))).toEqual(["first"]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a link with a query fills the box, and runs it when the reader clicks", async () => {
    const { page, errors } = await open(`/explore?sql=${encodeURIComponent("SELECT count(*) AS n FROM provenance WHERE key = 'source'")}`);
    await settled(page);
    // Nothing ran: a shared link only fills the box (docs/security.md).
    expect(page.workers()).toHaveLength(0);
    await page.locator(".sql-box button").first().click();
    await page.waitForFunction(() => /^1 row in/.test(document.querySelector(".sql-status")?.textContent ?? ""), null, { timeout: 60_000 });
    expect(await page.$$eval(".sql-output td", (tds) => tds.map((td) => td.textContent))).toContain("1");
    expect(page.workers()).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("an Explore slice that leaves no response shows the empty state in every chart", async () => {
    const { page, errors } = await open("/explore?families=gemma&models=gpt-4o");
    await settled(page);
    expect(await page.textContent("p.fit-stats")).toMatch(/^0 responses/);
    // The scatter, the survey chart, the distribution and the table: no chart of every item.
    const empties = await page.$$eval(".empty-state", (els) => els.map((e) => e.textContent ?? ""));
    expect(empties).toHaveLength(4);
    for (const e of empties) expect(e).toContain("No responses match this slice");
    expect(await page.$$eval("main svg[aria-label]", (s) => s.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("Explore compares with the selected language's speakers unless the link says otherwise", async () => {
    const compared = async (path: string) => {
      const { page, errors } = await open(path);
      await settled(page);
      const label = await page.getByLabel("Compare with").evaluate((s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent);
      expect(errors).toEqual([]);
      await page.close();
      return label;
    };
    expect(await compared("/explore?langs=en")).toBe("English speakers");
    expect(await compared("/explore?langs=pt")).toBe("Portuguese speakers");
    expect(await compared("/explore?langs=en&ref=country%3ADK")).toBe("Denmark");
  });

  it("the capability download holds the rows of the table shown", async () => {
    const { page, errors } = await open("/capability?families=gemma&rounds=20");
    await settled(page);
    const shown = await page.$$eval(".coef-table tbody tr", (rows) => rows.length);
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(16);
    expect(await page.textContent(".slice-download")).toContain(`Download these ${shown} rows`);
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(".slice-download a[download$='.csv']")]);
    const { readFileSync } = await import("node:fs");
    const lines = readFileSync((await download.path())!, "utf8")
      .trim()
      .split(/\r?\n/);
    expect(lines).toHaveLength(shown + 1);
    expect(lines.slice(1).filter((l) => /family\[/.test(l) && !l.includes("family[gemma]"))).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("leaving out every language shows an empty state and starts no computation", async () => {
    for (const path of ["/capability", "/us-bias"]) {
      const { page, errors } = await open(`${path}?without_languages=da,en,nl,pt`);
      await settled(page);
      expect(await page.textContent(".empty-state")).toContain("No language selected: choose at least one");
      expect(await page.$$eval(".analysis-progress, .analysis-error", (els) => els.length)).toBe(0);
      expect(page.workers()).toHaveLength(0);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it("a filter that leaves nothing shows a clear empty state, not an error", async () => {
    const { page, errors } = await open("/consistency?langs=&models=");
    await settled(page);
    expect(await page.textContent(".empty-state")).toContain("tick at least one language");
    expect(await page.$$eval(".observablehq--error", (e) => e.length)).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a question's map is drawn from the shipped topology", async () => {
    const { page, errors, outside } = await open("/questions?item=f118");
    await settled(page);
    expect(await page.textContent(".card h2")).toBe("Justifiable: Homosexuality");
    // Surveyed countries are coloured by their score, path by path; the rest are one hatched (pattern-filled) group.
    const scored = await page.$$eval(
      "svg[aria-label^='World map'] g[aria-label='geo'] path[fill]",
      (ps) => ps.filter((p) => p.getAttribute("fill") !== "none").length,
    );
    expect(scored).toBeGreaterThanOrEqual(11);
    const hatched = await page.$$eval("svg[aria-label^='World map'] g[aria-label='geo'][fill^='url(']", (gs) =>
      gs.reduce((a, g) => a + g.querySelectorAll("path").length, 0),
    );
    expect(hatched).toBeGreaterThan(100);
    // Singapore has no shape at this scale: it is a dot, and the caption says so.
    expect(await page.$$eval("svg[aria-label^='World map'] circle title", (ts) => ts.map((t) => t.textContent ?? ""))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^Singapore: 0\.\d{3}$/)]),
    );
    expect(await page.textContent("main")).toMatch(/Singapore \(a dot on the map/);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });
});

describe("robustness", () => {
  it("judges the claims under every specification in a worker, counts distinct results, draws a claim's curve and the published analysis under seeds, and links a specification to its page", async () => {
    // Few replicates and seeds keep the test short; the page's defaults are 50 and 20.
    const { page, errors, outside } = await open("/robustness?rounds=20&seeds=2");
    // Results arrive as they are computed: a partial count shows before the end.
    await page.waitForFunction(() => /Specifications…\s+[1-9]\d* of \d+/.test(document.querySelector(".analysis-progress")?.textContent ?? ""), null, {
      timeout: 60_000,
    });
    await page.waitForFunction(
      () => /\d+ specifications, computed in [\d.]+ s in a Web Worker/.test(document.querySelector(".analysis-progress")?.textContent ?? ""),
      null,
      {
        timeout: 240_000,
      },
    );
    const status = (await page.textContent(".analysis-progress"))!;
    const [, total, replicates, distinct] = /(\d+) specifications, computed in [\d.]+ s in a Web Worker, (\d+) replicates each: (\d+) distinct results/
      .exec(status)!
      .map(Number);
    expect(total).toBeGreaterThanOrEqual(150);
    expect(replicates).toBe(20);
    expect(distinct).toBeGreaterThan(100);
    expect(distinct).toBeLessThanOrEqual(total!);
    // Every dimension of CHOICES is listed with its URL parameter.
    const choices = await page.$$eval(".choice-list li", (els) => els.map((e) => e.textContent ?? ""));
    expect(choices.map((c) => /URL “(\w+)”/.exec(c)?.[1])).toEqual(["metric", "rq1level", "unit", "rq1formula", "items", "baseline"]);
    // The share of distinct results in which each claim holds, for every claim, as "k of n".
    const shares = (await page.getAttribute("svg[aria-label='Share of distinct results in which each claim holds']", "aria-description"))!;
    for (const claim of [
      "gemma: capability predicts alignment in every language",
      "openai: capability predicts alignment in no language",
      "Self-consistency predicts alignment",
      "Danish prompts",
      "English prompts",
    ])
      expect(shares).toContain(claim);
    const counts = [...shares.matchAll(/: (\d+) of (\d+)/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(counts.length).toBeGreaterThanOrEqual(8);
    for (const [k, n] of counts) expect(k! <= n! && n! <= distinct!).toBe(true);
    expect(await page.textContent("main")).toContain(`The ${total} specifications give ${distinct} distinct results. In the recommended analysis itself,`);
    expect(await page.textContent("main")).toMatch(/In the recommended analysis itself, \d+ of the \d+ claims hold\./);
    // The specification curve of the first claim (RQ1): no RQ2 choice in its strip.
    const curve = (await page.$("svg[aria-label^='Specification curve: gemma']"))!;
    expect(await curve.getAttribute("aria-description")).toMatch(/^\d+ specifications sorted .* The recommended analysis \(ringed\) is at rank \d+ of \d+/);
    const strip = async () => (await page.getAttribute("svg[aria-label='Analysis choices of each specification']", "aria-description"))!;
    expect(await strip()).toContain("RQ1 regression");
    expect(await strip()).not.toContain("baseline subtracted");
    // Pointing at a specification names its choices and links to the capability page with them.
    await curve.scrollIntoViewIfNeeded();
    const box = (await curve.boundingBox())!;
    // Move along the curve until a specification that changes one of RQ1's choices is pointed.
    for (let x = 0.05; x < 1; x += 0.05) {
      await page.mouse.move(box.x + box.width * x, box.y + box.height / 2, { steps: 2 });
      const text = await page.textContent(".pointed-spec");
      if (text?.startsWith("Pointed") && /(metric|RQ1 reference|resampling|RQ1 regression): /.test(text)) break;
    }
    await page.waitForFunction(() => document.querySelector(".pointed-spec b")?.textContent?.startsWith("Pointed"), null, { timeout: 10_000 });
    const href = (await page.getAttribute(".pointed-spec a[href^='./capability?']", "href"))!;
    const query = new URLSearchParams(href.split("?")[1]);
    expect(query.get("analysis")).toBe("recommended");
    expect(query.get("rounds")).toBe("20");
    // Another claim, chosen in the select, goes to the URL; an RQ2 claim's strip has RQ2's choices and links to the US-bias page.
    const select = "form:has(label:text-is('Claim')) select";
    const danish = await page.$eval(select, (s) => [...(s as HTMLSelectElement).options].findIndex((o) => o.textContent?.startsWith("Danish prompts")));
    await page.selectOption(select, { index: danish });
    await page.waitForFunction(() => new URLSearchParams(location.search).get("claim") === "usbias:da");
    await page.waitForSelector("svg[aria-label^='Specification curve: Danish prompts']");
    expect(await strip()).toContain("baseline subtracted: the study's draw");
    expect(await strip()).not.toContain("RQ1 regression");
    expect(await page.getAttribute(".pointed-spec a", "href")).toMatch(/^\.\/us-bias\?analysis=recommended&rounds=20/);
    // The published analysis under 21 seeds at 100 rounds, with the count of slopes that keep sign and significance.
    await page.waitForSelector("svg[aria-label='Capability slopes of the published analysis across seeds']", { timeout: 240_000 });
    expect(await page.getAttribute("svg[aria-label='Capability slopes of the published analysis across seeds']", "aria-description")).toMatch(
      /one of 21 seeds at the study's 100 rounds.*Crosses mark the published table's values/,
    );
    expect(await page.textContent("main")).toMatch(/\d+ of 12 slopes keep their sign and significance \(p < 0\.05\) in every seed/);
    // The study's intervals shrink as rounds grow; the recommended analysis' do not.
    const widths = (await page.getAttribute("svg[aria-label^='Interval width']", "aria-description"))!;
    const width = (method: string, rounds: number) => Number(new RegExp(`${method}, ${rounds} rounds: ([\\d.]+)`).exec(widths)![1]);
    expect(width("study's method", 25) / width("study's method", 200)).toBeGreaterThan(2.2);
    const recommended = width("recommended analysis", 25) / width("recommended analysis", 200);
    // A 95% percentile interval from 25 replicates is itself noisy (its ends are the 1st and 24th of 25 values):
    // the ratio scatters around 1, far from the √8 ≈ 2.8 of an interval that shrinks with rounds.
    expect(recommended).toBeGreaterThan(0.6);
    expect(recommended).toBeLessThan(1.6);
    expect(await page.getAttribute("svg[aria-label^='Self-consistency with and without self-pairs']", "aria-description")).toMatch(
      /raises self-consistency by 0\.\d+ .*most for Gemma-2 2B in Danish/,
    );
    // The release has no labels: a perfect model's interviews are taken to have ten respondents, and the page says so.
    expect(await page.textContent("main")).toContain("those are taken to be interviews of ten respondents");
    expect(await page.getAttribute("svg[aria-label^='Alignment as a share of a perfect model']", "aria-description")).toContain(
      "(up to ten each: the source has no labels, so each response's count is the largest up to ten that its VPS fits)",
    );
    expect(await page.$$eval(".observablehq--error", (els) => els.map((e) => e.textContent))).toEqual([]);
    await page.screenshot({ path: join(SHOTS, "robustness.png"), fullPage: true });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(1);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();

    // The link opens the capability page with the pointed specification's choices in its controls.
    const cap = await open(`/capability?${query}`);
    await settled(cap.page);
    const shown = await cap.page.$$eval("form select", (els) => els.map((e) => ((e as HTMLSelectElement).selectedOptions[0]?.textContent ?? "").toLowerCase()));
    const changed = CHOICE_KEYS.filter((k) => CHOICES[k].scope !== "rq2" && query.has(CHOICES[k].param));
    expect(changed.length).toBeGreaterThan(0);
    for (const k of changed) {
      // Each page words a value as CHOICES does, perhaps with a remark in parentheses.
      const words = CHOICES[k].values[query.get(CHOICES[k].param)!]!.replace(/ \(.*\)$/, "").toLowerCase();
      expect(
        shown.some((t) => t.startsWith(words)),
        `${k}: ${words} in ${shown.join(" | ")}`,
      ).toBe(true);
    }
    expect(await cap.page.$eval("form:has(label:text-is('Analysis')) input:checked", (e) => e.parentElement?.textContent)).toBe("Recommended");
    expect(cap.errors).toEqual([]);
    await cap.page.close();
  }, 480_000);
});
