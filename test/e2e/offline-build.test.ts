/**
 * The build needs no network: `npm run build` with every fetch and host lookup
 * refused (in this process and in every data loader it starts) succeeds, and nothing
 * tried to reach the network. (On Linux, `unshare -n npm run build` shows the same
 * with the kernel's help; see docs/offline-build.md.)
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../../loaders/paths.js";
import { launchBrowser } from "../helpers/browser.js";
import { PAPER_DATA } from "../helpers/paths.js";
import { serveDir } from "../helpers/server.js";

/** Framework colours its log when the environment asks for colour (CI may set FORCE_COLOR); compare plain text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour escapes from the build's output
const plain = (text: string) => text.replace(/\u001b\[[0-9;]*m/g, "");

function build(env: NodeJS.ProcessEnv, log: string): string {
  rmSync(join(REPO_ROOT, "src", ".observablehq", "cache", "data"), { recursive: true, force: true });
  return plain(
    execFileSync("npm", ["run", "build"], {
      cwd: REPO_ROOT,
      env: { ...env, NO_NETWORK_LOG: log, NODE_OPTIONS: `--import ${join(REPO_ROOT, "test", "helpers", "no-network.mjs")}` },
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    }),
  );
}

it("with no network and no local release, builds the simulated demo and says so on every page", async () => {
  const log = join(mkdtempSync(join(tmpdir(), "mca-offline-")), "attempts.log");
  const env: NodeJS.ProcessEnv = { ...process.env, MCA_RELEASE_CACHE: mkdtempSync(join(tmpdir(), "mca-no-release-")) };
  delete env.MCA_PAPER_DATA;
  delete env.MCA_SOURCE;
  const { spawnSync } = await import("node:child_process");
  rmSync(join(REPO_ROOT, "src", ".observablehq", "cache", "data"), { recursive: true, force: true });
  const run = spawnSync("npm", ["run", "build"], {
    cwd: REPO_ROOT,
    env: { ...env, NO_NETWORK_LOG: log, NODE_OPTIONS: `--import ${join(REPO_ROOT, "test", "helpers", "no-network.mjs")}` },
    encoding: "utf8",
  });
  expect(run.status, run.stderr).toBe(0);
  expect(plain(run.stdout + run.stderr)).toContain("SIMULATED DEMO: simulated data, not research results");
  // The build tried the release's download (refused), and nothing else.
  const attempts = readFileSync(log, "utf8");
  expect(attempts).toMatch(/raw\.githubusercontent\.com/);
  const server = await serveDir(join(REPO_ROOT, "dist"));
  const browser = await launchBrowser();
  try {
    for (const path of ["/", "/explore"]) {
      const page = await browser.newPage();
      await page.goto(server.url + path);
      await page.waitForSelector(".source-banner.simulated");
      expect(await page.textContent(".source-banner")).toContain("Simulated data, not research results");
      expect(await page.textContent(".source-banner")).toContain("says nothing about the study's models or findings");
      // Every chart carries the mark, so that a screenshot cannot pass for a result.
      if (path === "/explore") {
        await page.waitForSelector("#observablehq-main svg[class^='plot-']");
        const marks = await page.$$eval("#observablehq-main svg[class^='plot-']", (svgs) => svgs.map((s) => getComputedStyle(s).backgroundImage));
        expect(marks.length).toBeGreaterThan(0);
        for (const m of marks) expect(decodeURIComponent(m)).toContain("SIMULATED");
      }
      await page.close();
    }
    // A simulated run with three judges: agreement, confusion matrices, and the swap.
    const judges = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const errors: string[] = [];
    const tables: string[] = [];
    judges.on("request", (r) => /\.(parquet|duckdb|wasm)$/.test(new URL(r.url()).pathname) && tables.push(r.url()));
    judges.on("pageerror", (e) => errors.push(e.message));
    judges.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await judges.goto(`${server.url}/judges`);
    await judges.waitForSelector("svg[aria-label^='Confusion matrices of sim-judge against sim-judge-2']");
    expect(await judges.textContent("main")).toMatch(/3 judges: sim-judge, sim-judge-2, sim-judge-3 \(sim-judge labels the analyses\)/);
    const kappas = await judges.$$eval("table tbody tr", (rows) => rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "")));
    const kappa = (pair: string) => Number(kappas.find((r) => r.includes(pair))!.at(-2));
    // Error rates 4.5%, 10% and 25%: the more accurate the pair, the higher its κ.
    expect(kappa("sim-judge × sim-judge-2")).toBeGreaterThan(kappa("sim-judge × sim-judge-3"));
    expect(kappa("sim-judge × sim-judge-3")).toBeGreaterThan(kappa("sim-judge-2 × sim-judge-3"));
    await judges.waitForSelector("svg[aria-label^='Capability slopes under sim-judge and under sim-judge-2']", { timeout: 90_000 });
    expect(await judges.$("svg[aria-label^='Alignment under sim-judge and under sim-judge-2']")).not.toBeNull();
    expect(await judges.getAttribute("a[href^='./alignment?judge=']", "href")).toBe("./alignment?judge=sim-judge-2");
    // Every judge's swap analyses were computed at build time: swapping starts no worker, and the page reads no table.
    await judges.selectOption("form:has(label:text-is('Use the labels of')) select", "sim-judge-3");
    await judges.waitForSelector("svg[aria-label^='Capability slopes under sim-judge and under sim-judge-3']", { timeout: 90_000 });
    expect(judges.url()).toContain("swap=sim-judge-3");
    expect(judges.workers()).toHaveLength(0);
    expect(tables).toEqual([]);
    expect(errors).toEqual([]);
    await judges.goto(`${server.url}/alignment?judge=sim-judge-3`);
    await judges.waitForSelector(".judge-swap");
    expect(await judges.textContent(".judge-swap")).toContain("Labels by judge sim-judge-3 instead of sim-judge");
    // Explore's SQL has every judge's labels, and its responses table is the swapped judge's.
    const sql = "SELECT judge, count(*) AS n FROM judgements JOIN responses USING (response_id) GROUP BY judge ORDER BY judge";
    await judges.goto(`${server.url}/explore?judge=sim-judge-3&sql=${encodeURIComponent(sql)}`);
    // A shared query only fills the box; it runs when the reader clicks.
    await judges.locator(".sql-box button").first().click();
    await judges.waitForFunction(() => [...document.querySelectorAll("table")].some((t) => t.textContent?.includes("sim-judge-3")), null, { timeout: 90_000 });
    expect(await judges.textContent("p:has-text('The workspace tables')")).toContain("responses here holds sim-judge-3's labels");
    const counts = await judges.$$eval("table", (tables) => tables.map((t) => t.textContent ?? "").find((t) => t.includes("sim-judge-3"))!);
    expect(counts.match(/sim-judge(-\d)?/g)).toEqual(["sim-judge", "sim-judge-2", "sim-judge-3"]);
    await judges.close();
    // The robustness page on the simulated run.
    const robustness = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    robustness.on("pageerror", (e) => errors.push(e.message));
    await robustness.goto(`${server.url}/robustness?rounds=20&seeds=2`);
    await robustness.waitForFunction(
      () => /\d+ specifications, computed in [\d.]+ s in a Web Worker/.test(document.querySelector(".analysis-progress")?.textContent ?? ""),
      null,
      {
        timeout: 120_000,
      },
    );
    expect(Number(/(\d+) specifications/.exec((await robustness.textContent(".analysis-progress"))!)![1])).toBeGreaterThanOrEqual(150);
    expect(await robustness.getAttribute("svg[aria-label='Share of distinct results in which each claim holds']", "aria-description")).toMatch(
      /alpha: capability predicts alignment.*: \d+ of \d+/,
    );
    await robustness.waitForSelector("svg[aria-label^='Self-consistency with and without self-pairs']", { timeout: 120_000 });
    // The demo's judge labelled every response: a perfect model's interviews have as many respondents as the response has pro and con labels.
    expect(await robustness.getAttribute("svg[aria-label^='Alignment as a share of a perfect model']", "aria-description")).toContain(
      "(as many as the response has pro and con labels)",
    );
    expect(await robustness.$$eval(".observablehq--error", (els) => els.length)).toBe(0);
    expect(errors).toEqual([]);
    await robustness.close();
  } finally {
    await browser.close();
    await server.close();
  }
}, 600_000);

it("builds the study's site with the network refused, from a local copy of the release", () => {
  const log = join(mkdtempSync(join(tmpdir(), "mca-offline-")), "attempts.log");
  // Start from an empty loader cache, so the data loaders run too.
  const output = build({ ...process.env, MCA_PAPER_DATA: PAPER_DATA }, log);
  expect(output).toContain("render /index");
  expect(existsSync(join(REPO_ROOT, "dist", "index.html"))).toBe(true);
  expect(existsSync(log) ? readFileSync(log, "utf8") : "").toBe("");
}, 600_000);
