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
import type { LoadedConfig, RunConfig } from "../../loaders/run/config.js";
import { runPipeline, type RunOptions } from "../../loaders/run/pipeline.js";
import { loadCatalogue } from "../../loaders/run/catalogue.js";
import { startSimulatedServer, type Fault, type FaultContext, type SimulatedServer } from "../../loaders/simulate/server.js";
import { writeSyntheticSurvey } from "../../loaders/survey/synthetic.js";
import { reproduce } from "../../src/lib/analyses/reproduce.js";
import { TABLES } from "../../src/lib/workspace.js";
import { simulatedWorld, testRunConfig, testRunOptions } from "../helpers/run.js";

const KEY = "sk-test-DO-NOT-LEAK-0123456789abcdefghij";
const env = { ...process.env, TEST_LLM_KEY: KEY };
const root = mkdtempSync(join(tmpdir(), "mca-pipeline-"));
const wvs = join(root, "survey.csv.gz");

const world = simulatedWorld;
const config = (name: string, baseURL: string, extra: Partial<RunConfig> = {}): LoadedConfig =>
  testRunConfig(root, name, baseURL, { wvs, concurrency: 4, timeoutSeconds: 2, retries: 2, ...extra });
const opts = (extra: RunOptions = {}): RunOptions => testRunOptions(env, extra);

function readTables(dir: string): Record<string, Array<Record<string, unknown>>> {
  return Object.fromEntries(TABLES.map((t) => [t, readParquet(readFileSync(join(dir, `${t}.parquet`)))]));
}

beforeAll(async () => {
  await writeSyntheticSurvey(wvs, {
    seed: 5,
    countries: [
      { code: "US", language: "en", respondents: 150 },
      { code: "GB", language: "en", respondents: 150 },
      { code: "DK", language: "da", respondents: 150 },
    ],
  });
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
    const seen = { rateLimited: 0, serverError: 0, timedOut: 0, badJson: 0 };
    let limitedText: string | null = null;
    const limitedAt: number[] = [];
    const fault = (ctx: FaultContext): Fault | undefined => {
      const body = ctx.body as { messages: Array<{ content: string }>; tools?: unknown; model: string };
      const text = body.messages.map((m) => m.content).join("\n");
      if (!body.tools && `${body.model}:${text}` === limitedText) limitedAt.push(Date.now());
      if (!body.tools && limitedText === null && ctx.attempt === 0) {
        limitedText = `${body.model}:${text}`;
        limitedAt.push(Date.now());
        seen.rateLimited++;
        return { status: 429, headers: { "retry-after": "2" } };
      }
      if (!body.tools && body.model === "model-b" && ctx.attempt === 0 && seen.serverError === 0) {
        seen.serverError++;
        return { status: 500 };
      }
      if (body.tools && ctx.attempt === 0 && seen.timedOut === 0) {
        seen.timedOut++;
        return { delayMs: 3000 };
      }
      // One judge answer is invalid JSON the first time it is asked: retried, then fine.
      if (body.tools && ctx.attempt === 0 && seen.timedOut === 1 && seen.badJson === 0) {
        seen.badJson++;
        return { toolArguments: "{not json" };
      }
      // One prompt of model-a never gets a numbered list.
      if (!body.tools && body.model === "model-a" && text.includes("abortion")) return { content: "Sorry, I would rather not answer that." };
      return undefined;
    };
    const server = await startSimulatedServer({ world: world(), fault });
    try {
      const result = await runPipeline(config("faults", server.url), opts());
      expect(seen).toEqual({ rateLimited: 1, serverError: 1, timedOut: 1, badJson: 1 });
      // The rate-limited request was asked again no sooner than Retry-After: 2 said (the
      // backoff alone would have waited at most 0.5 s).
      expect(limitedAt).toHaveLength(2);
      expect(limitedAt[1]! - limitedAt[0]!).toBeGreaterThanOrEqual(1950);
      const failed = result.failures.filter((f) => f.stage === "generate");
      expect(failed.length).toBeGreaterThan(0);
      expect(failed.every((f) => f.model === "model-a" && /numbered list/.test(f.error))).toBe(true);
      // The timeout and the invalid JSON were retried: no judging failure is left.
      expect(result.failures.filter((f) => f.stage === "judge")).toEqual([]);
      const written = readFileSync(join(result.outDir, "failures.jsonl"), "utf8").trim().split("\n");
      expect(written).toHaveLength(result.failures.length);
      // Everything else went through.
      const judged = result.workspace!.responses.filter((r) => !r.model.startsWith("Baseline")).length;
      expect(judged).toBe(12 - failed.length);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("asks again for an answer that is not a numbered list, and keeps the valid second answer", async () => {
    const refused = new Set<string>();
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) => {
        const body = ctx.body as { tools?: unknown; model: string };
        if (body.tools || body.model !== "model-b" || ctx.attempt > 0) return undefined;
        refused.add(JSON.stringify(ctx.body));
        return { content: "I prefer not to list interviews." };
      },
    });
    try {
      const result = await runPipeline(config("retry-invalid", server.url), opts());
      expect(refused.size).toBe(6); // every first answer of model-b was unusable…
      expect(result.failures).toEqual([]); // …and every second one was kept
      expect(result.workspace!.responses.filter((r) => r.model === "model-b")).toHaveLength(6);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("records a judge answer that is never valid JSON", async () => {
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) => ((ctx.body as { tools?: unknown; model: string }).tools && ctx.count % 3 === 0 ? { toolArguments: "{not json" } : undefined),
    });
    try {
      const result = await runPipeline(config("badjson", server.url, { retries: 0 }), opts());
      const judged = result.failures.filter((f) => f.stage === "judge");
      expect(judged.length).toBeGreaterThan(0);
      expect(judged.every((f) => f.error.includes("not valid JSON"))).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("refuses a judge answer that breaks the schema it was given (an extra field, a label that is not one of the three)", async () => {
    let n = 0;
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) => {
        const body = ctx.body as { tools?: unknown; messages: Array<{ content: string }> };
        if (!body.tools) return undefined;
        // As many labels as the response has summaries, so only the schema is broken.
        const count = Number(/has (\d+) numbered summaries/.exec(body.messages[1]!.content)![1]);
        const labels = Array.from({ length: count }, () => "pro");
        if (n++ % 2) return { toolArguments: JSON.stringify({ language: "en", labels, confidence: 0.9 }) };
        labels[1] = "maybe";
        return { toolArguments: JSON.stringify({ language: "en", labels }) };
      },
    });
    try {
      const result = await runPipeline(config("schema", server.url, { retries: 0, items: ["f120"], promptsPerLanguage: 2 }), opts()).catch((e: Error) => e);
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(/No response was both generated and judged/);
      const written = readFileSync(join(root, "runs", "schema", "failures.jsonl"), "utf8")
        .trim()
        .split("\n")
        .map((l) => JSON.parse(l) as { error: string });
      expect(written).toHaveLength(4);
      expect(written.some((f) => /confidence/.test(f.error))).toBe(true);
      expect(written.some((f) => /\/labels\/1 must be one of pro, con, NULL/.test(f.error))).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);

  const logged: string[] = [];
  it("stops asking an endpoint whose first requests all failed, and says why with the failures written", async () => {
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) => ((ctx.body as { model: string }).model === "model-a" ? { status: 401, body: { error: { message: "bad key" } } } : undefined),
    });
    try {
      const result = await runPipeline(config("dead-first", server.url, { concurrency: 1, promptsPerLanguage: 8 }), opts({ log: (l) => logged.push(l) }));
      const a = result.failures.filter((f) => f.model === "model-a" && f.stage === "generate");
      expect(a).toHaveLength(8);
      expect(a.filter((f) => f.error === "HTTP 401")).toHaveLength(5);
      expect(a.filter((f) => f.error.startsWith("not sent:"))).toHaveLength(3);
      expect(server.stats.chat).toBe(5 + 8 + 8); // 5 to model-a, then model-b's generation and judging
      // The baselines are drawn on the first model that has responses, and say so.
      expect(new Map(result.workspace!.provenance.map((p) => [p.key, p.value])).get("baselines_drawn_on")).toBe("model-b");
      expect(logged.join("\n")).toMatch(/HTTP 401 ×5/);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("when nothing gets through, names the reasons and leaves failures.jsonl to read", async () => {
    const server = await startSimulatedServer({ world: world(), fault: () => ({ status: 404, body: { error: { message: "model not found" } } }) });
    try {
      const error = (await runPipeline(config("all-dead", server.url, { concurrency: 1 }), opts()).catch((e: Error) => e)) as Error;
      expect(error.message).toMatch(/No response was both generated and judged/);
      expect(error.message).toMatch(/generate model-a: HTTP 404 ×5/);
      expect(
        readFileSync(join(root, "runs", "all-dead", "failures.jsonl"), "utf8")
          .trim()
          .split("\n"),
      ).toHaveLength(12);
      expect(server.stats.chat).toBe(10); // five per model, then the breaker
    } finally {
      await server.close();
    }
  }, 60_000);
});

describe("resume after SIGKILL", () => {
  // Provenance rows that differ between any two runs by design: times, the run's name and
  // config, and what this invocation itself sent.
  const perInvocation = /^(started_at|finished_at|config|config_hash|source|source_label|requests_sent|tokens)$/;
  let straight: string | null = null;

  /** An uninterrupted run's folder, with its own cache and a fresh server (made once). */
  async function uninterrupted(): Promise<string> {
    if (straight) return straight;
    const fresh = await startSimulatedServer({ world: world(), latencyMs: 0 });
    try {
      straight = (await runPipeline(config("straight", fresh.url, { promptsPerLanguage: 20, concurrency: 2 }), opts())).outDir;
      return straight;
    } finally {
      await fresh.close();
    }
  }

  // 2 models × 20 prompts: requests 1–40 generate, 41–80 judge.
  for (const [stage, killAt] of [
    ["generation", 25],
    ["judging", 55],
  ] as const) {
    it(`killed during ${stage}: asks nothing the killed run had finished, and ends with the same workspace as an uninterrupted run`, async () => {
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
        const name = `killed-${stage}`;
        const loaded = config(name, server.url, { promptsPerLanguage: 20, concurrency: 2 });
        const configFile = join(root, `${name}.json`);
        writeFileSync(configFile, JSON.stringify(loaded.config));
        const child = spawn(process.execPath, [join(REPO_ROOT, "bin", "mca.js"), "run", "--config", configFile], { env, stdio: "ignore" });
        await new Promise<void>((resolve) => {
          const timer = setInterval(() => {
            if (server.stats.chat >= killAt) {
              clearInterval(timer);
              child.kill("SIGKILL");
              resolve();
            }
          }, 5);
        });
        await new Promise((r) => child.once("exit", r));
        const cacheDir = loaded.config.cacheDir!;
        const cachedKeys = () =>
          new Set(
            readdirSync(cacheDir).flatMap((d) =>
              readdirSync(join(cacheDir, d))
                .filter((f) => f.endsWith(".json"))
                .map((f) => f.slice(0, -5)),
            ),
          );
        const finished = cachedKeys();
        expect(finished.size).toBeGreaterThan(killAt - 10);
        expect(finished.size).toBeLessThan(80);
        const before = requestsSeen.length;
        const resumed = await runPipeline(loaded, opts());
        const asked = requestsSeen.slice(before);
        expect(asked.length).toBe(80 - finished.size); // the 40 prompts are distinct: nothing is asked twice
        expect(asked.filter((k) => finished.has(k))).toEqual([]);
        // The keys this test computes are the cache's own: every request asked is now cached under it.
        const after = cachedKeys();
        expect(requestsSeen.filter((k) => !after.has(k))).toEqual([]);
        const a = readTables(resumed.outDir);
        const b = readTables(await uninterrupted());
        for (const t of TABLES) {
          if (t === "provenance") continue;
          expect(a[t], t).toEqual(b[t]);
        }
        const keep = (rows: Array<Record<string, unknown>>) => rows.filter((p) => !perInvocation.test(String(p.key)));
        expect(keep(a.provenance!)).toEqual(keep(b.provenance!));
        expect(keep(a.provenance!).length).toBeGreaterThan(10);
      } finally {
        await server.close();
      }
    }, 120_000);
  }
});

describe("translation and the Batch API", () => {
  const firstTemplate = () => loadCatalogue().english.templates[0];
  const isTranslation = (ctx: FaultContext) => (ctx.body as { messages: Array<{ content: string }> }).messages[0]?.content.startsWith("You translate") ?? false;
  const messages = (ctx: FaultContext) => (ctx.body as { messages: Array<{ role: string; content: string }> }).messages;
  const translationsDir = mkdtempSync(join(tmpdir(), "mca-translations-"));

  it("translates a language with no committed translation, keeping {topic}, and reports a template that loses it", async () => {
    let reminded = 0;
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) => {
        if (!isTranslation(ctx) || messages(ctx)[1]?.content !== firstTemplate()) return undefined;
        if (/previous translation/.test(messages(ctx)[0]!.content)) reminded++;
        // The translator always drops {topic} from the first template, even when reminded.
        return { content: "Ein Satz ohne Platzhalter." };
      },
    });
    try {
      const result = await runPipeline(config("translate", server.url, { languages: ["de"], retries: 1 }), opts({ catalogueDir: translationsDir }));
      const saved = JSON.parse(readFileSync(join(translationsDir, "prompts", "translations", "de.json"), "utf8"));
      expect(saved.templates[0]).toBe("");
      expect(saved.templates.slice(1).every((t: string) => t.includes("{topic}"))).toBe(true);
      expect(saved.note).toMatch(/1 text\(s\) could not be translated/);
      expect(reminded).toBe(2); // the second try said what went wrong (and was itself retried once)
      expect(result.failures.filter((f) => f.stage === "translate")).toHaveLength(1);
      expect(result.workspace!.responses.every((r) => r.template_id !== "t01")).toBe(true);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("the next run translates only the gap, keeping what was corrected by hand", async () => {
    const path = join(translationsDir, "prompts", "translations", "de.json");
    const saved = JSON.parse(readFileSync(path, "utf8"));
    saved.templates[1] = "Von Hand: {topic}";
    writeFileSync(path, JSON.stringify(saved));
    const server = await startSimulatedServer({ world: world() });
    try {
      const result = await runPipeline(config("translate", server.url, { languages: ["de"], retries: 1 }), opts({ catalogueDir: translationsDir }));
      expect(result.requests.translate).toBe(1);
      const again = JSON.parse(readFileSync(path, "utf8"));
      expect(again.templates[0]).toContain("{topic}");
      expect(again.templates[1]).toBe("Von Hand: {topic}");
      expect(result.failures).toEqual([]);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("a reminder rescues a template whose first translation lost {topic}", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-translations-"));
    const server = await startSimulatedServer({
      world: world(),
      fault: (ctx) =>
        isTranslation(ctx) && messages(ctx)[1]?.content === firstTemplate() && !/previous translation/.test(messages(ctx)[0]!.content)
          ? { content: "Ohne Platzhalter." }
          : undefined,
    });
    try {
      const result = await runPipeline(config("translate-remind", server.url, { languages: ["nb"], retries: 0 }), opts({ catalogueDir: dir }));
      expect(result.failures).toEqual([]);
      expect(JSON.parse(readFileSync(join(dir, "prompts", "translations", "nb.json"), "utf8")).templates[0]).toContain("{topic}");
    } finally {
      await server.close();
    }
  }, 60_000);

  it("plans a new language's translation, generation and judging, and checks the budget before translating", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-translations-"));
    const server = await startSimulatedServer({ world: world() });
    try {
      const dry = await runPipeline(config("plan-fr", server.url, { languages: ["fr"] }), opts({ dryRun: true, catalogueDir: dir }));
      const rows = (stage: string) => dry.plan.filter((p) => p.stage === stage && p.language === "fr");
      expect(rows("translate")[0]!.requests).toBe(loadCatalogue().english.templates.length + loadCatalogue().items.reduce((a, i) => a + i.topics.length, 0));
      expect(rows("generate").map((r) => r.requests)).toEqual([6, 6]);
      expect(rows("judge").map((r) => r.requests)).toEqual([6, 6]);
      expect(existsSync(join(root, "runs", "plan-fr"))).toBe(false); // a dry run writes nothing
      const poor = config("poor-fr", server.url, {
        languages: ["fr"],
        budgetUSD: 0.0001,
        prices: {
          "model-a": { input: 1, output: 2 },
          "model-b": { input: 1, output: 2 },
          translator: { input: 50, output: 50 },
          judge: { input: 1, output: 1 },
        },
      });
      await expect(runPipeline(poor, opts({ catalogueDir: dir }))).rejects.toThrow(/exceeds the budget.*nothing was sent/);
      expect(server.stats.chat).toBe(0);
      expect(existsSync(join(dir, "prompts", "translations", "fr.json"))).toBe(false);
    } finally {
      await server.close();
    }
  }, 60_000);

  it("a simulated run keeps its made-up translations in its own folder, never with the committed ones", async () => {
    const dir = mkdtempSync(join(tmpdir(), "mca-translations-"));
    const result = await runPipeline(config("sim-sv", "http://127.0.0.1:9/v1", { languages: ["sv"] }), opts({ simulate: true, catalogueDir: dir }));
    expect(existsSync(join(dir, "prompts", "translations", "sv.json"))).toBe(false);
    const own = JSON.parse(readFileSync(join(result.outDir, "simulated-translations", "prompts", "translations", "sv.json"), "utf8"));
    expect(own.note).toMatch(/^SIMULATED translation/);
    expect(result.workspace!.responses.filter((r) => r.language === "sv").length).toBeGreaterThan(0);
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
      expect(result.requests).toMatchObject({ generate: 12, judge: 12 });
      expect(new Map(result.workspace!.provenance.map((p) => [p.key, p.value])).get("tokens")).not.toMatch(/^0 in, 0 out/);
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
        expect(
          rows.some((r) => "gwght" in r || "pwght" in r || "cntry_AN" in r),
          path,
        ).toBe(false);
      }
    }
    expect(microLines.length).toBeGreaterThan(10);
  });
});
