/**
 * A researcher's own run, published: the API key it ran with and its respondents'
 * rows reach neither the run folder, the response cache, the loader cache nor the
 * built site. The run talks to a local OpenAI-compatible server through the real SDK,
 * with the key in its environment (not --simulate, which never reads a key), and the
 * site is built from it with MCA_SOURCE, as the README says.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { expect, it } from "vitest";
import { readParquet } from "../../loaders/parquet.js";
import { REPO_ROOT } from "../../loaders/paths.js";
import { loadCatalogue } from "../../loaders/run/catalogue.js";
import { validateConfig } from "../../loaders/run/config.js";
import { runPipeline } from "../../loaders/run/pipeline.js";
import { startSimulatedServer } from "../../loaders/simulate/server.js";
import { writeSyntheticSurvey } from "../../loaders/survey/synthetic.js";
import { launchBrowser } from "../helpers/browser.js";
import { serveDir } from "../helpers/server.js";

const KEY = "sk-e2e-NEVER-PUBLISH-9f8e7d6c5b4a3210";
/** A weight no aggregate can produce by chance: if it appears, a respondent's row did. */
const CANARY_WEIGHT = "3.14159265";

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

it("a run's API key and respondents' rows reach no output, cache or built page", async () => {
  const root = mkdtempSync(join(tmpdir(), "mca-run-site-"));
  // Synthetic microdata, with one respondent's design weight set to the canary.
  const plain = join(root, "survey.csv");
  await writeSyntheticSurvey(plain, {
    seed: 11,
    countries: [
      { code: "US", language: "en", respondents: 120 },
      { code: "DK", language: "da", respondents: 120 },
    ],
  });
  const lines = readFileSync(plain, "utf8").split("\n");
  const cells = lines[1]!.split(",");
  cells[2] = CANARY_WEIGHT;
  lines[1] = cells.join(",");
  const wvs = join(root, "survey.csv.gz");
  writeFileSync(wvs, gzipSync(lines.join("\n")));
  const respondentLines = gunzipSync(readFileSync(wvs)).toString("utf8").split("\n").slice(1).filter(Boolean);

  const topics = new Map<string, [string, string]>();
  for (const item of loadCatalogue().items) for (const t of item.topics) topics.set(t, [item.item, "en"]);
  const server = await startSimulatedServer({ world: { truths: {}, topics, profiles: {} } });
  let outDir: string;
  try {
    const baseURL = server.url;
    const config = validateConfig({
      name: "e2e-secrets",
      languages: ["en", "da"],
      items: ["f120", "f121", "e035", "d059"],
      promptsPerLanguage: 8,
      seed: 2,
      wvs,
      models: [
        { id: "model-a", family: "fa", baseURL, apiKeyEnv: "E2E_LLM_KEY" },
        { id: "model-b", family: "fb", baseURL, apiKeyEnv: "E2E_LLM_KEY" },
      ],
      translator: { model: "translator", baseURL, apiKeyEnv: "E2E_LLM_KEY" },
      judge: { model: "judge", baseURL, apiKeyEnv: "E2E_LLM_KEY" },
      budgetUSD: 1,
      prices: { "model-a": { input: 0, output: 0 }, "model-b": { input: 0, output: 0 }, translator: { input: 0, output: 0 }, judge: { input: 0, output: 0 } },
      out: join(root, "run"),
      cacheDir: join(root, "cache"),
    });
    const result = await runPipeline(
      { config, baseDir: root, path: join(root, "e2e.json"), hash: "e2e" },
      { env: { ...process.env, E2E_LLM_KEY: KEY }, log: () => {}, progress: null },
    );
    outDir = result.outDir;
    expect(server.stats.chat).toBeGreaterThan(30);
  } finally {
    await server.close();
  }

  const site = join(root, "site");
  const env: NodeJS.ProcessEnv = { ...process.env, MCA_SOURCE: outDir!, MCA_OUTPUT: site, E2E_LLM_KEY: KEY };
  delete env.MCA_PAPER_DATA;
  const log = execFileSync("npm", ["run", "build"], { cwd: REPO_ROOT, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
  expect(log).not.toContain(KEY);

  const scanned = [outDir!, join(root, "cache"), site, join(REPO_ROOT, "src", ".observablehq", "cache", "data")].flatMap(files);
  expect(scanned.filter((f) => f.startsWith(site) && f.endsWith(".html")).length).toBeGreaterThanOrEqual(10);
  expect(scanned.some((f) => f.startsWith(site) && f.endsWith(".parquet"))).toBe(true);
  for (const path of scanned) {
    const bytes = readFileSync(path);
    expect(bytes.includes(KEY), `${path} holds the API key`).toBe(false);
    const text = bytes.toString("utf8");
    expect(text.includes(CANARY_WEIGHT), `${path} holds a respondent's weight`).toBe(false);
    if (/\.(json|jsonl|csv|txt|html|js|md)$/.test(path)) {
      for (const line of respondentLines) expect(text.includes(line), `${path} holds a respondent's row`).toBe(false);
    }
    if (path.endsWith(".parquet")) {
      const rows = readParquet(new Uint8Array(bytes));
      const json = JSON.stringify(rows);
      expect(json.includes(KEY), path).toBe(false);
      expect(json.includes(CANARY_WEIGHT), `${path} holds a respondent's weight`).toBe(false);
      // No table has respondent-level columns.
      const columns = Object.keys(rows[0] ?? {});
      expect(
        columns.filter((c) => /^(cntry_AN|lnge_iso|gwght|pwght|[BCDEFH]\d{3}[A-Z]?)$/.test(c)),
        path,
      ).toEqual([]);
    }
  }
  await pagesWithoutBenchmarks(site);
}, 600_000);

/** This run has no benchmark scores: the overview states only US bias, and Capability says why it has nothing, once. */
async function pagesWithoutBenchmarks(site: string): Promise<void> {
  const server = await serveDir(site);
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${server.url}/`);
    await page.waitForSelector("article.finding");
    expect(await page.$$eval("article.finding", (els) => els.map((e) => (e as HTMLElement).dataset.finding))).toEqual(["us-bias"]);
    await page.goto(`${server.url}/capability`);
    await page.waitForSelector(".empty-state");
    await page.waitForTimeout(1500);
    const text = (await page.textContent("main")) ?? "";
    expect(text).toContain("This workspace has no benchmark scores");
    expect(text).not.toContain("The analysis failed");
    expect(text).not.toContain("The figure appears when the computation finishes");
    expect(errors).toEqual([]);
  } finally {
    await browser.close();
    await server.close();
  }
}
