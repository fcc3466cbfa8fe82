/**
 * The pipeline against a local fake OpenAI-compatible server (the simulated provider),
 * with the real openai SDK in between: a simulated run end to end, the cache (a rerun
 * asks nothing), faults (429 with Retry-After, 500, a timeout, an answer that is not a
 * numbered list, invalid judge JSON), a run killed with SIGKILL and resumed, the
 * budget, translation, the Batch API, and that no output holds the API key or a
 * microdata row.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheKey } from "../../loaders/llm/cache.js";
import { readParquet } from "../../loaders/parquet.js";
import { REPO_ROOT } from "../../loaders/paths.js";
import { validateConfig, type LoadedConfig, type RunConfig } from "../../loaders/run/config.js";
import { runPipeline, type RunOptions } from "../../loaders/run/pipeline.js";
import { loadCatalogue } from "../../loaders/run/catalogue.js";
import type { SimulationWorld } from "../../loaders/simulate/behaviour.js";
import { startSimulatedServer, type Fault, type FaultContext, type SimulatedServer } from "../../loaders/simulate/server.js";
import { writeSyntheticSurvey } from "../../loaders/survey/synthetic.js";
import { reproduce } from "../../src/lib/analyses/reproduce.js";
import { TABLES } from "../../src/lib/workspace.js";

const KEY = "sk-test-DO-NOT-LEAK-0123456789abcdefghij";
const env = { ...process.env, TEST_LLM_KEY: KEY };
const root = mkdtempSync(join(tmpdir(), "mca-pipeline-"));
const wvs = join(root, "survey.csv.gz");
const quiet = () => {};

function world(): SimulationWorld {
  const catalogue = loadCatalogue();
  const topics = new Map<string, [string, string]>();
  for (const item of catalogue.items) for (const t of item.topics) topics.set(t, [item.item, "en"]);
  return { truths: {}, topics, profiles: {}, refusal: 0, englishDrift: 0 };
}

function config(name: string, baseURL: string, extra: Partial<RunConfig> = {}): LoadedConfig {
  const c = validateConfig({
    name,
    languages: ["en"],
    items: ["f120", "f121", "e035", "d059"],
    promptsPerLanguage: 6,
    seed: 3,
    wvs,
    models: [
      { id: "model-a", family: "fa", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
      { id: "model-b", family: "fb", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
    ],
    translator: { model: "translator", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
    judge: { model: "judge", baseURL, apiKeyEnv: "TEST_LLM_KEY" },
    budgetUSD: 5,
    prices: { "model-a": { input: 1, output: 2 }, "model-b": { input: 1, output: 2 }, translator: { input: 0, output: 0 }, judge: { input: 1, output: 1 } },
    out: join(root, "runs", name),
    cacheDir: join(root, "cache", name),
    concurrency: 4,
    timeoutSeconds: 2,
    retries: 2,
    ...extra,
  });
  return { config: c, baseDir: root, path: join(root, `${name}.json`), hash: `hash-${name}` };
}

const opts = (extra: RunOptions = {}): RunOptions => ({ env, log: quiet, progress: null, now: () => new Date("2026-01-01T00:00:00Z"), ...extra });

function readTables(dir: string): Record<string, Array<Record<string, unknown>>> {
  return Object.fromEntries(TABLES.map((t) => [t, readParquet(readFileSync(join(dir, `${t}.parquet`)))]));
}

/** Tables without the provenance rows that record times. */
function comparable(dir: string): Record<string, Array<Record<string, unknown>>> {
  const t = readTables(dir);
  return { ...t, provenance: t.provenance!.filter((p) => !/_at$|^config/.test(String(p.key))) };
}

beforeAll(async () => {
  await writeSyntheticSurvey(wvs, { seed: 5, countries: [{ code: "US", language: "en", respondents: 150 }, { code: "GB", language: "en", respondents: 150 }, { code: "DK", language: "da", respondents: 150 }] });
});

describe("a simulated run", () => {
  let server: SimulatedServer;
  beforeAll(async () => {
    server = await startSimulatedServer({ world: world() });
  });
  afterAll(() => server.close());

  it("produces a valid workspace the analyses can read", async () => {
    const loaded = config("plain", server.url);
    const result = await runPipeline(loaded, opts());
    const ws = result.workspace!;
    expect(ws.responses.filter((r) => !r.model.startsWith("Baseline"))).toHaveLength(12);
    const r = ws.responses.find((x) => x.model === "model-a")!;
    expect(r.prompt).toMatch(/Person A/);
    expect(r.response_text).toMatch(/^1\. /m);
    expect(r.labels!.split(";").length).toBeGreaterThanOrEqual(3);
    expect(r.template_id).toMatch(/^t\d\d$/);
    // The uniform-random baseline copies the first model's rows.
    expect(ws.responses.filter((x) => x.model === "Baseline_uniform_random")).toHaveLength(ws.responses.filter((x) => x.model === "model-a").length);
    expect(ws.ground_truth.some((g) => g.level === "country" && g.population === "US")).toBe(true);
    const prov = new Map(ws.provenance.map((p) => [p.key, p.value]));
    expect(prov.get("config_hash")).toBe("hash-plain");
    expect(prov.get("models")).toBe("model-a, model-b");
    const out = reproduce(ws, { rounds: 5, seed: 1, parts: ["alignment", "consistency"] });
    expect(out.alignment!.length).toBeGreaterThan(0);
  });

  it("a cached rerun makes no request", async () => {
    const loaded = config("plain", server.url);
    const before = server.stats.chat;
    const result = await runPipeline(loaded, opts());
    expect(server.stats.chat - before).toBe(0);
    expect(result.requests).toEqual({ translate: 0, generate: 0, judge: 0 });
  });

  it("prints a plan on a dry run, and refuses to start over budget", async () => {
    const dry = await runPipeline(config("dry", server.url), opts({ dryRun: true }));
    expect(dry.plan.filter((p) => p.stage === "generate").map((p) => [p.model, p.language, p.requests])).toEqual([
      ["model-a", "en", 6],
      ["model-b", "en", 6],
    ]);
    expect(dry.estimateUSD).toBeGreaterThan(0);
    const before = server.stats.chat;
    await expect(runPipeline(config("poor", server.url, { budgetUSD: 0.0001 }), opts())).rejects.toThrow(/exceeds the budget of \$0\.00/);
    expect(server.stats.chat).toBe(before);
  });

  it("caches a rehearsal apart from real endpoints, and writes it to its own folder", async () => {
    const loaded = config("rehearsal", server.url, { out: undefined });
    const sim = await runPipeline(loaded, opts({ simulate: true }));
    expect(sim.outDir).toMatch(/rehearsal-simulated$/);
    const before = server.stats.chat;
    const real = await runPipeline(loaded, opts());
    expect(server.stats.chat - before).toBeGreaterThan(0);
    expect(real.requests.generate).toBeGreaterThan(0);
    rmSync(sim.outDir, { recursive: true, force: true });
    rmSync(real.outDir, { recursive: true, force: true });
  });

  it("names the missing API key variable", async () => {
    await expect(runPipeline(config("nokey", server.url), opts({ env: { ...process.env, TEST_LLM_KEY: "" } }))).rejects.toThrow(/TEST_LLM_KEY is not set/);
  });
});

describe("faults are retried or recorded, and the run finishes", () => {
  it("429 with Retry-After, 500, a timeout, a non-list answer and invalid judge JSON", async () => {
    const seen = { rateLimited: 0, serverError: 0, timedOut: 0 };
    let firstGeneration = true;
    const fault = (ctx: FaultContext): Fault | undefined => {
      const body = ctx.body as { messages: Array<{ content: string }>; tools?: unknown; model: string };
      const text = body.messages.map((m) => m.content).join("\n");
      if (!body.tools && firstGeneration && ctx.attempt === 0) {
        firstGeneration = false;
        seen.rateLimited++;
        return { status: 429, headers: { "retry-after": "1" } };
      }
      if (!body.tools && body.model === "model-b" && ctx.attempt === 0 && seen.serverError === 0) {
        seen.serverError++;
        return { status: 500 };
      }
      if (body.tools && ctx.attempt === 0 && seen.timedOut === 0) {
        seen.timedOut++;
        return { delayMs: 3000 };
      }
      // One prompt of model-a never gets a numbered list; one judgement is never valid JSON.
      if (!body.tools && body.model === "model-a" && text.includes("abortion")) return { content: "Sorry, I would rather not answer that." };
      return undefined;
    };
    const server = await startSimulatedServer({ world: world(), fault });
    try {
      const started = Date.now();
      const result = await runPipeline(config("faults", server.url), opts());
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // Retry-After: 1 was honoured
      expect(seen).toEqual({ rateLimited: 1, serverError: 1, timedOut: 1 });
      const failed = result.failures.filter((f) => f.stage === "generate");
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((f) => f.model === "model-a" && /numbered list/.test(f.error))).toBe(true);
      const written = readFileSync(join(result.outDir, "failures.jsonl"), "utf8").trim().split("\n");
      expect(written).toHaveLength(result.failures.length);
      // Everything else went through.
      const judged = result.workspace!.responses.filter((r) => !r.model.startsWith("Baseline")).length;
      expect(judged).toBe(12 - failed.length);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("records a judge answer that is never valid JSON", async () => {
    const server = await startSimulatedServer({ world: world(), fault: (ctx) => ((ctx.body as { tools?: unknown; model: string }).tools && ctx.count % 3 === 0 ? { toolArguments: "{not json" } : undefined) });
    try {
      const result = await runPipeline(config("badjson", server.url, { retries: 0 }), opts());
      const judged = result.failures.filter((f) => f.stage === "judge");
      expect(judged.length).toBeGreaterThan(0);
      expect(judged.every((f) => f.error.includes("not valid JSON"))).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("resume after SIGKILL", () => {
  it("asks nothing the killed run had finished, and ends with the same workspace as an uninterrupted run", async () => {
    const requestsSeen: string[] = [];
    const server = await startSimulatedServer({
      world: world(),
      latencyMs: 40,
      fault: (ctx) => {
        const { model, stream: _s, ...body } = ctx.body as Record<string, unknown>;
        requestsSeen.push(cacheKey({ model, baseURL: serverUrl, body }));
        return undefined;
      },
    });
    const serverUrl = server.url;
    try {
      const loaded = config("killed", server.url, { promptsPerLanguage: 20, concurrency: 2 });
      const configFile = join(root, "killed.json");
      writeFileSync(configFile, JSON.stringify(loaded.config));
      const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "mca.js"), "run", "--config", configFile], { env, stdio: "ignore" });
      // Kill it hard partway through generation.
      await new Promise<void>((resolve) => {
        const timer = setInterval(() => {
          if (server.stats.chat >= 25) {
            clearInterval(timer);
            child.kill("SIGKILL");
            resolve();
          }
        }, 5);
      });
      await new Promise((r) => child.once("exit", r));
      const cacheDir = loaded.config.cacheDir!;
      const finished = new Set(readdirSync(cacheDir).flatMap((d) => readdirSync(join(cacheDir, d)).filter((f) => f.endsWith(".json")).map((f) => f.slice(0, -5))));
      expect(finished.size).toBeGreaterThan(5);
      const before = requestsSeen.length;
      const resumed = await runPipeline(loaded, opts());
      const asked = requestsSeen.slice(before);
      expect(asked.length).toBeGreaterThan(0);
      expect(asked.filter((k) => finished.has(k))).toEqual([]);
      // An uninterrupted run, with its own cache and a fresh server, ends with the same tables.
      const fresh = await startSimulatedServer({ world: world(), latencyMs: 0 });
      try {
        const straight = config("straight", fresh.url, { promptsPerLanguage: 20, concurrency: 2 });
        const whole = await runPipeline(straight, opts());
        const a = comparable(resumed.outDir);
        const b = comparable(whole.outDir);
        expect(a.responses).toEqual(b.responses);
        expect(a.ground_truth).toEqual(b.ground_truth);
        expect(a.items).toEqual(b.items);
      } finally {
        await fresh.close();
      }
    } finally {
      await server.close();
    }
  }, 120_000);
});

describe("translation and the Batch API", () => {
  it("translates a language with no committed translation, keeping {topic}, and reports a template that loses it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-translations-"));
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) => {
        const m = (ctx.body as { messages: Array<{ role: string; content: string }> }).messages;
        // The translator always drops {topic} from the first template.
        return m[0]?.content.startsWith("You translate") && m[1]?.content === loadCatalogue().english.templates[0] ? { content: "Ein Satz ohne Platzhalter." } : undefined;
      },
    });
    try {
      const result = await runPipeline(config("translate", server.url, { languages: ["de"], retries: 1 }), opts({ catalogueDir: dir }));
      const saved = JSON.parse(readFileSync(join(dir, "prompts", "translations", "de.json"), "utf8"));
      expect(saved.templates[0]).toBe("");
      expect(saved.templates.slice(1).every((t: string) => t.includes("{topic}"))).toBe(true);
      expect(saved.note).toMatch(/lost \{topic\}/);
      expect(result.failures.filter((f) => f.stage === "translate")).toHaveLength(1);
      expect(result.workspace!.responses.every((r) => r.template_id !== "t01")).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("sends generation and judging as batches, keeps the batch id in the run folder, and reruns from the cache", async () => {
    const server = await startSimulatedServer({ world: world() });
    try {
      const loaded = config("batch", server.url);
      const result = await runPipeline(loaded, opts({ batch: true, batchPollMs: 1 }));
      expect(existsSync(join(result.outDir, "batches", "generate-model-a.json"))).toBe(true);
      expect(JSON.parse(readFileSync(join(result.outDir, "batches", "judge.json"), "utf8")).batchId).toMatch(/^batch_/);
      expect(server.stats.chat).toBe(0); // every answer came through a batch
      expect(result.workspace!.responses.filter((r) => !r.model.startsWith("Baseline")).length).toBe(12);
      const again = await runPipeline(loaded, opts({ batch: true, batchPollMs: 1 }));
      expect(again.requests).toEqual({ translate: 0, generate: 0, judge: 0 });
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("no secret or microdata in any output", () => {
  it("the API key's value and respondents' rows appear nowhere", () => {
    // Respondent rows of the microdata the runs read.
    const microLines = gunzipSync(readFileSync(wvs)).toString("utf8").split("\n").slice(1, 40).filter(Boolean);
    const files: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else files.push(path);
      }
    };
    for (const dir of [join(root, "runs"), join(root, "cache"), join(REPO_ROOT, "dist")]) if (existsSync(dir)) walk(dir);
    expect(files.length).toBeGreaterThan(20);
    for (const path of files) {
      const bytes = readFileSync(path);
      expect(bytes.includes(KEY), path).toBe(false);
      if (/\.(json|jsonl|csv|txt|html|js)$/.test(path)) {
        const text = bytes.toString("utf8");
        for (const line of microLines) expect(text.includes(line), `${path} holds a microdata row`).toBe(false);
      }
      if (path.endsWith(".parquet")) {
        const rows = readParquet(new Uint8Array(bytes));
        expect(JSON.stringify(rows).includes(KEY), path).toBe(false);
        // No table carries respondent-level columns.
        expect(rows.some((r) => "gwght" in r || "pwght" in r || "cntry_AN" in r), path).toBe(false);
      }
    }
    expect(microLines.length).toBeGreaterThan(10);
  });
});
