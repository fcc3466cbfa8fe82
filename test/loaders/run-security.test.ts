/**
 * What `mca run` protects, each against the way it used to fail: keys pasted into a
 * baseURL, the budget, tables of an earlier run, answers already paid for when the cache
 * cannot be written, the run folder (a lock), and the terminal (control characters). The
 * runs go through the real openai SDK to the simulated provider on 127.0.0.1.
 * See docs/security.md ("Keys, budget and paid-for answers").
 */
import { spawn } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import * as format from "../../loaders/cli/format.js";
import { runCommand } from "../../loaders/cli/run.js";
import { importLabels } from "../../loaders/judges/labelling.js";
import { runBatch } from "../../loaders/llm/batch.js";
import { ResponseCache } from "../../loaders/llm/cache.js";
import { describeError, makeClient, requestKey } from "../../loaders/llm/chat.js";
import { readParquet } from "../../loaders/parquet.js";
import { loadConfig, validateConfig, type LoadedConfig, type RunConfig } from "../../loaders/run/config.js";
import { formatPlan } from "../../loaders/run/plan.js";
import { runPipeline, type RunOptions } from "../../loaders/run/pipeline.js";
import { responseId } from "../../loaders/run/tables.js";
import { startSimulatedServer, type SimulatedServer } from "../../loaders/simulate/server.js";
import type { GroundTruthRow, PopulationRow, Workspace } from "../../src/lib/workspace.js";
import { tableParquet } from "../../loaders/workspaceFiles.js";
import { simulatedWorld, TEST_ITEMS, testRunConfig, testRunOptions } from "../helpers/run.js";

const KEY = "sk-test-security-0123456789";
const env = { ...process.env, TEST_LLM_KEY: KEY };
const root = mkdtempSync(join(tmpdir(), "mca-security-"));
const quiet = () => {};
const ITEMS = TEST_ITEMS;

const world = simulatedWorld;

/** A reused ground truth (a workspace folder with ground_truth and populations), so no run reads microdata. */
function groundTruthDir(name: string, proScore = 0.4): string {
  const dir = join(root, "gt", name);
  mkdirSync(dir, { recursive: true });
  const ground_truth: GroundTruthRow[] = ITEMS.flatMap((item, i) => [
    { level: "language", population: "en", item, pro_score: i === 0 ? proScore : 0.5, n: 300 },
    { level: "country", population: "US", item, pro_score: 0.45, n: 300 },
  ]);
  const populations: PopulationRow[] = [
    { level: "language", population: "en", language: "en" },
    { level: "country", population: "US", language: "en" },
  ];
  const ws = { ground_truth, populations } as unknown as Workspace;
  writeFileSync(join(dir, "ground_truth.parquet"), tableParquet(ws, "ground_truth"));
  writeFileSync(join(dir, "populations.parquet"), tableParquet(ws, "populations"));
  return dir;
}

const PRICES = {
  "model-a": { input: 1, output: 2 },
  "model-b": { input: 1, output: 2 },
  translator: { input: 0, output: 0 },
  judge: { input: 1, output: 1 },
  "judge-2": { input: 1, output: 1 },
};

const config = (name: string, baseURL: string, extra: Partial<RunConfig> = {}): LoadedConfig =>
  testRunConfig(root, name, baseURL, { groundTruth: gt, prices: PRICES, concurrency: 2, timeoutSeconds: 5, retries: 0, ...extra });
const opts = (extra: RunOptions = {}): RunOptions => testRunOptions(env, extra);

function filesUnder(...dirs: string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else out.push(path);
    }
  };
  for (const dir of dirs) if (existsSync(dir)) walk(dir);
  return out;
}

let gt: string;
let server: SimulatedServer;
beforeAll(async () => {
  gt = groundTruthDir("good");
  server = await startSimulatedServer({ world: world() });
});
afterAll(() => server.close());

describe("a key in baseURL never leaks", () => {
  const secretURL = (url: string) => `${url.replace("http://", "http://user:PASSWORD-42@")}?api-key=SECRET-42`;

  it("a failing endpoint's messages, failures.jsonl, log, progress and cache show only the public URL", async () => {
    const logged: string[] = [];
    const progress = { isTTY: false, write: (s: string) => logged.push(s) } as unknown as NodeJS.WriteStream;
    const loaded = config("secret-url", server.url, { concurrency: 1, promptsPerLanguage: 8 });
    loaded.config.models[0]!.baseURL = secretURL(server.url);
    const result = await runPipeline(loaded, opts({ log: (l) => logged.push(l), progress }));
    const refused = result.failures.filter((f) => f.error.startsWith("not sent:"));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]!.error).toContain(`not sent: ${server.url}`);
    const texts = [...logged, ...filesUnder(result.outDir, loaded.config.cacheDir!).map((p) => readFileSync(p).toString("latin1"))];
    expect(JSON.stringify(result.failures)).not.toMatch(/PASSWORD-42|SECRET-42/);
    for (const text of texts) expect(text).not.toMatch(/PASSWORD-42|SECRET-42/);
  }, 60_000);

  it("the error of a run where nothing gets through shows only the public URL", async () => {
    const url = secretURL(server.url);
    const loaded = config("secret-all", url, { concurrency: 1 });
    const error = (await runPipeline(loaded, opts()).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/No response was both generated and judged/);
    expect(error.message).toContain(server.url);
    expect(error.message).not.toMatch(/PASSWORD-42|SECRET-42/);
  }, 60_000);

  it("the validation error does not echo a key pasted into a bad baseURL", () => {
    for (const bad of ["localhost:8000/v1?api-key=SECRET-42", "user:PASSWORD-42@localhost:8000/v1", "http://user:PASSWORD-42@host name/v1?key=SECRET-42"]) {
      const message = (() => {
        try {
          validateConfig({ ...config("v", server.url).config, translator: { model: "translator", baseURL: bad, apiKeyEnv: "TEST_LLM_KEY" } });
          return "";
        } catch (error) {
          return (error as Error).message;
        }
      })();
      expect(message).toMatch(/translator\.baseURL: must be a URL/);
      expect(message).not.toMatch(/PASSWORD-42|SECRET-42/);
    }
  });

  it("an SDK or network error that quotes the URL is reported with the public URL", () => {
    const described = describeError(new Error(`request to http://user:PASSWORD-42@10.0.0.1/v1/chat?api-key=SECRET-42 failed`));
    expect(described).toContain("http://10.0.0.1/v1/chat");
    expect(described).not.toMatch(/PASSWORD-42|SECRET-42/);
  });

  it("the SDK's own log (OPENAI_LOG=debug) shows only the public URL", async () => {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map((a) => (typeof a === "string" ? a : JSON.stringify(a))).join(" "));
    const spies = [
      vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
        capture(String(s));
        return true;
      }),
      ...(["debug", "info", "warn", "error", "log"] as const).map((m) => vi.spyOn(console, m).mockImplementation(capture)),
    ];
    const level = process.env.OPENAI_LOG;
    process.env.OPENAI_LOG = "debug";
    try {
      const endpoint = { model: "model-a", baseURL: secretURL(server.url), apiKeyEnv: "TEST_LLM_KEY" };
      const client = makeClient(endpoint, { timeoutMs: 2000, env });
      await client.chat.completions.create({ model: "model-a", messages: [{ role: "user", content: "hi" }] }).catch(() => undefined);
    } finally {
      if (level === undefined) delete process.env.OPENAI_LOG;
      else process.env.OPENAI_LOG = level;
      for (const spy of spies) spy.mockRestore();
    }
    expect(printed.join("\n")).toContain("127.0.0.1");
    expect(printed.join("\n")).not.toMatch(/PASSWORD-42|SECRET-42/);
    expect(printed.join("\n")).not.toContain(KEY);
  });

  it("secrets in a URL feed neither the cache key nor the config hash: rotating them keeps the cache", () => {
    const body = { messages: [{ role: "user" as const, content: "hi" }] };
    const at = (baseURL: string) => requestKey({ model: "m", baseURL, apiKeyEnv: "K" }, body);
    expect(at("http://h:1/v1?api-key=A")).toBe(at("http://h:1/v1?api-key=B"));
    expect(at("http://u:p@h:1/v1")).toBe(at("http://h:1/v1"));
    expect(at("http://h:1/v1")).not.toBe(at("http://h:2/v1"));
    const hashOf = (url: string) => {
      const path = join(root, `hash-${url.length}.json`);
      writeFileSync(path, JSON.stringify({ ...config("h", url).config, groundTruth: "paper" }));
      return loadConfig(path).hash;
    };
    expect(hashOf("http://h:1/v1?api-key=SECRET-1")).toBe(hashOf("http://h:1/v1?api-key=SECRET-22"));
  });
});

describe("the budget cannot be bypassed", () => {
  it("a model id that names a property of every object (constructor, toString) still needs a price", () => {
    for (const id of ["constructor", "toString", "__proto__"]) {
      const c = { ...config("p", server.url).config, models: [{ id, family: "f", baseURL: server.url, apiKeyEnv: "TEST_LLM_KEY" }] };
      expect(() => validateConfig(JSON.parse(JSON.stringify(c)))).toThrow(new RegExp(`prices\\.${id}: missing`));
    }
  });

  it('keys read from files are looked up as own properties: a label "constructor", an item "__proto__"', async () => {
    const out = join(root, "runs", "own-keys");
    const first = await runPipeline(config("own-keys", server.url, { out }), opts());
    const r = first.workspace!.responses.find((x) => x.response_id)!;
    const line = JSON.stringify({ id: r.response_id, labels: r.labels!.split(";").map(() => "constructor") });
    expect(() => importLabels(out, `${line}\n`, "human:bob")).toThrow(/label 1 is "constructor"; use pro, con or NULL/);
    // A ground truth whose item is "__proto__" must not reach Object.prototype (the simulated world is keyed by item).
    const dir = groundTruthDir("proto");
    const rows = readParquet(readFileSync(join(dir, "ground_truth.parquet"))) as unknown as GroundTruthRow[];
    rows.push({ level: "language", population: "polluted", item: "__proto__", pro_score: 0.5, n: 300 });
    writeFileSync(join(dir, "ground_truth.parquet"), tableParquet({ ground_truth: rows } as unknown as Workspace, "ground_truth"));
    await runPipeline(config("proto", "http://127.0.0.1:9/v1", { groundTruth: dir }), opts({ simulate: true }));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  }, 60_000);

  it("an estimate that is not a number is over budget: the run sends nothing, and the plan says so without $NaN", async () => {
    const loaded = config("nan-budget", server.url, { budgetUSD: 0.01 });
    loaded.config.models = [{ id: "constructor", family: "f", baseURL: server.url, apiKeyEnv: "TEST_LLM_KEY" }]; // as if validation were bypassed
    const before = server.stats.chat;
    const logged: string[] = [];
    await expect(runPipeline(loaded, opts({ log: (l) => logged.push(l) }))).rejects.toThrow(/budget.*constructor|constructor.*budget/s);
    expect(server.stats.chat).toBe(before);
    expect(logged.join("\n")).not.toMatch(/NaN/);
    expect(
      formatPlan([{ stage: "generate", model: "m", language: "en", requests: 1, cached: 0, inputTokens: 1, outputTokens: 1, costUSD: NaN }], 0.01),
    ).toMatch(/OVER BUDGET/);
  }, 30_000);
});

describe("every run rewrites or removes every table it owns", () => {
  it("a run with one judge after a run with two leaves no judgements of the old run", async () => {
    const out = join(root, "runs", "stale-judges");
    const two = config("stale-judges", server.url, { judges: [{ model: "judge-2", baseURL: server.url, apiKeyEnv: "TEST_LLM_KEY" }], out });
    await runPipeline(two, opts());
    expect(existsSync(join(out, "judgements.parquet"))).toBe(true);
    const one = config("stale-judges", server.url, { seed: 4, out });
    const result = await runPipeline(one, opts());
    expect(result.workspace!.judgements).toBeUndefined();
    expect(existsSync(join(out, "judgements.parquet"))).toBe(false);
  }, 60_000);

  it("a response's id pins its model, prompt and answer, so labels never attach to another answer", () => {
    const a = responseId("m", "en-00001", "prompt one", "1. an answer");
    expect(responseId("m", "en-00001", "prompt two", "1. an answer")).not.toBe(a);
    expect(responseId("m", "en-00001", "prompt one", "1. another answer")).not.toBe(a);
    expect(responseId("m", "en-00001", "prompt one", "1. an answer")).toBe(a);
  });

  it("keeps imported human labels on a rerun while they label the same answers, and drops them when the answers change", async () => {
    const out = join(root, "runs", "human");
    const loaded = config("human", server.url, { out });
    const first = await runPipeline(loaded, opts());
    const ids = first.workspace!.responses.filter((r) => r.response_id).slice(0, 3);
    const lines = ids.map((r) => JSON.stringify({ id: r.response_id, labels: r.labels!.split(";").map(() => "pro") }));
    importLabels(out, `${lines.join("\n")}\n`, "human:alice");
    const again = await runPipeline(loaded, opts());
    expect(again.workspace!.judgements!.filter((j) => j.judge === "human:alice")).toHaveLength(3);
    const other = await runPipeline(config("human", server.url, { out, seed: 99 }), opts());
    const kept = (other.workspace!.judgements ?? []).filter((j) => j.judge === "human:alice");
    const valid = new Set(other.workspace!.responses.map((r) => r.response_id));
    expect(kept.every((j) => valid.has(j.response_id))).toBe(true);
    expect(kept.length).toBeLessThan(3); // other prompts, other answers: their labels are gone
  }, 60_000);

  it("a run on a reused ground truth removes the survey folder of an earlier microdata run", async () => {
    const out = join(root, "runs", "stale-survey");
    mkdirSync(join(out, "survey"), { recursive: true });
    writeFileSync(join(out, "survey", "survey.json"), "{}");
    await runPipeline(config("stale-survey", server.url, { out }), opts());
    expect(existsSync(join(out, "survey"))).toBe(false);
  }, 60_000);
});

describe("answers already paid for survive a cache that cannot be written", () => {
  it("a cache folder that cannot be created stops the run before the first request", async () => {
    writeFileSync(join(root, "a-file"), "");
    const before = server.stats.chat;
    const error = (await runPipeline(config("cache-under-file", server.url, { cacheDir: join(root, "a-file", "cache") }), opts()).catch(
      (e: Error) => e,
    )) as Error;
    expect(error.message).toMatch(/cacheDir/);
    expect(error.message).toContain(join(root, "a-file"));
    expect(server.stats.chat).toBe(before);
  });

  it("stops sending at the first failed write, counts the tokens of every answer, and names the cause and the fix", async () => {
    const fresh = await startSimulatedServer({ world: world(), latencyMs: 20 });
    let writes = 0;
    let sentAtFailure = -1;
    const writeCacheFile = (path: string, data: string) => {
      if (++writes > 3) {
        if (sentAtFailure < 0) sentAtFailure = fresh.stats.chat;
        throw Object.assign(new Error(`ENOSPC: no space left on device, write '${path}'`), { code: "ENOSPC" });
      }
      writeFileSync(path, data);
    };
    try {
      const loaded = config("cache-full", fresh.url, { promptsPerLanguage: 10 });
      const error = (await runPipeline(loaded, opts({ writeCacheFile })).catch((e: Error) => e)) as Error;
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toMatch(/ENOSPC/);
      expect(error.message).toContain(loaded.config.cacheDir!);
      expect(error.message).toMatch(/[1-9]\d* in \/ [1-9]\d* out tokens/);
      expect(fresh.stats.chat - sentAtFailure).toBeLessThanOrEqual(loaded.config.concurrency!);
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it("a batch whose results cannot be cached stays resumable, and says so", async () => {
    const fresh = await startSimulatedServer({ world: world() });
    try {
      const statePath = join(root, "batch-full", "batches", "generate.json");
      const cache = new ResponseCache(join(root, "batch-full", "cache"), {
        writeFile: () => {
          throw Object.assign(new Error("ENOSPC: no space left on device"), { code: "ENOSPC" });
        },
      });
      const { default: OpenAI } = await import("openai");
      const client = new OpenAI({ apiKey: "k", baseURL: fresh.url, maxRetries: 0 });
      const body = { model: "model-a", messages: [{ role: "user", content: "Name three interviews about f120." }] };
      const error = (await runBatch([{ key: "k1", body }], { client, cache, statePath, validate: () => true, pollMs: 1 }).catch((e: Error) => e)) as Error;
      expect(error.message).toMatch(/ENOSPC/);
      expect(error.message).toMatch(/run again/);
      expect(JSON.parse(readFileSync(statePath, "utf8")).status).toBeUndefined();
    } finally {
      await fresh.close();
    }
  });
});

describe("inputs are checked before the plan, and the run folder is locked", () => {
  it("a reused ground truth with a pro_score of 1.7 fails the dry run", async () => {
    const bad = groundTruthDir("bad", 1.7);
    await expect(runPipeline(config("bad-gt", server.url, { groundTruth: bad }), opts({ dryRun: true }))).rejects.toThrow(
      /ground_truth.*pro_score 1\.7 must be in \[0, 1\]/s,
    );
  });

  it("a second run on a folder in use fails at once, naming who holds it; requests are not duplicated", async () => {
    const fresh = await startSimulatedServer({ world: world(), latencyMs: 10 });
    try {
      const loaded = () => config("locked", fresh.url);
      const results = await Promise.allSettled([runPipeline(loaded(), opts()), runPipeline(loaded(), opts())]);
      const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
      expect(refused).toHaveLength(1);
      expect(String(refused[0]!.reason.message)).toMatch(new RegExp(`pid ${process.pid} on ${hostname()}`));
      expect(String(refused[0]!.reason.message)).toMatch(/\.lock/);
      expect(fresh.stats.chat).toBe(12 + 12);
      expect(existsSync(join(root, "runs", "locked", ".lock"))).toBe(false); // released
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it("takes over the lock of a run that died, with a warning", async () => {
    const out = join(root, "runs", "stale-lock");
    mkdirSync(out, { recursive: true });
    const dead = spawn(process.execPath, ["-e", ""]);
    await new Promise((r) => dead.once("exit", r));
    writeFileSync(join(out, ".lock"), JSON.stringify({ pid: dead.pid, host: hostname(), startedAt: "2026-01-01T00:00:00Z" }));
    const logged: string[] = [];
    await runPipeline(config("stale-lock", server.url, { out }), opts({ log: (l) => logged.push(l) }));
    expect(logged.join("\n")).toMatch(new RegExp(`lock.*pid ${dead.pid}.*no longer running`, "s"));
    expect(existsSync(join(out, ".lock"))).toBe(false);
  }, 60_000);

  // root writes anywhere, so a read-only folder can only be tried as another user.
  it.skipIf(process.getuid?.() === 0)("a read-only out is named with the fix before the plan's run", async () => {
    const dir = join(root, "read-only");
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o555);
    try {
      await expect(runPipeline(config("read-only", server.url, { out: join(dir, "run") }), opts({ dryRun: true }))).rejects.toThrow(
        /out: cannot write in .*read-only.*make it writable/,
      );
    } finally {
      chmodSync(dir, 0o755);
    }
  });

  it("refuses unknown language codes and says the nearest valid one", () => {
    const message = (() => {
      try {
        validateConfig({ ...config("l", server.url).config, languages: ["dk", "xx", "en"] });
        return "";
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(message).toMatch(/languages\[0\]: "dk" is not an ISO 639-1 language code; did you mean "da" \(Danish\)\?/);
    expect(message).toMatch(/languages\[1\]: "xx" is not an ISO 639-1 language code/);
  });

  it("a missing benchmarks file, an out that is a file, and a batch state of {} are named with the fix", async () => {
    await expect(runPipeline(config("no-bench", server.url, { benchmarks: "nope/bench.csv" }), opts({ dryRun: true }))).rejects.toThrow(
      new RegExp(`benchmarks: ${join(root, "nope", "bench.csv")} does not exist.*config`),
    );
    const file = join(root, "out-file");
    writeFileSync(file, "");
    await expect(runPipeline(config("out-file", server.url, { out: file }), opts({ dryRun: true }))).rejects.toThrow(/out: .*out-file is a file, not a folder/);
    await expect(runPipeline(config("out-under-file", server.url, { out: join(file, "run") }), opts({ dryRun: true }))).rejects.toThrow(
      /out: .*out-file is a file, not a folder/,
    );
    const statePath = join(root, "empty-state", "batches", "generate.json");
    mkdirSync(join(root, "empty-state", "batches"), { recursive: true });
    writeFileSync(statePath, "{}");
    const cache = new ResponseCache(join(root, "empty-state", "cache"));
    const { default: OpenAI } = await import("openai");
    const client = new OpenAI({ apiKey: "k", baseURL: server.url, maxRetries: 0 });
    await expect(runBatch([{ key: "k", body: {} }], { client, cache, statePath, validate: () => true })).rejects.toThrow(
      new RegExp(`${statePath}.*batchId.*remove it`),
    );
  });
});

describe("the terminal never gets raw control characters from data", () => {
  it("sanitize and table() show escape sequences as text", () => {
    const family = "evil\u001b]52;c;SGVsbG8=\u0007\u009b31m\u202e";
    expect(format.sanitize(family)).toBe("evil\\x1b]52;c;SGVsbG8=\\x07\\x9b31m\\u202e");
    expect(format.sanitize("line one\n\tline two")).toBe("line one\n\tline two");
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checks that no control or bidi character reaches the terminal
    expect(format.table(["family"], [[family]])).not.toMatch(/[\u001b\u0007\u009b\u202e]/);
  });

  it("mca run prints log lines and errors from data without control characters", async () => {
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((s: string | Uint8Array) => {
      written.push(String(s));
      return true;
    });
    try {
      const c = config("esc", server.url).config;
      const evil = "model-\u001b]52;c;x\u0007";
      const path = join(root, "esc.json");
      writeFileSync(path, JSON.stringify({ ...c, models: [{ ...c.models[0], id: evil }], prices: { ...c.prices, [evil]: { input: 1, output: 1 } } }));
      await runCommand(["--config", path, "--dry-run"], (t) => written.push(t));
      writeFileSync(path, JSON.stringify({ ...c, benchmarks: "missing-\u001b[2J.csv" }));
      const error = (await runCommand(["--config", path, "--dry-run"], quiet).catch((e: Error) => e)) as Error;
      expect(error.message).toMatch(/missing-\\x1b\[2J\.csv/);
    } finally {
      spy.mockRestore();
    }
    expect(written.join("")).toMatch(/model-\\x1b\]52/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: checks that no control or bidi character reaches the terminal
    expect(written.join("")).not.toMatch(/\u001b\]52|\u0007/);
  }, 30_000);
});

describe("the folders of the runs above", () => {
  it("no file holds the API key or a secret of a URL, and every table reads back", () => {
    for (const path of filesUnder(join(root, "runs"), join(root, "cache"))) {
      const bytes = readFileSync(path);
      expect(bytes.includes(KEY), path).toBe(false);
      expect(bytes.toString("latin1"), path).not.toMatch(/PASSWORD-42|SECRET-42/);
      if (path.endsWith(".parquet")) expect(Array.isArray(readParquet(new Uint8Array(bytes)))).toBe(true);
    }
  });
});
