/**
 * The Batch API path against the simulated provider, through the real openai SDK:
 * results into the cache with the requests sent and the tokens used, a run abandoned
 * mid-poll and resumed (the same batch, not a second one), a batch the provider forgot,
 * invalid answers left for the one-by-one path, and the poll interval's back-off.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type OpenAI from "openai";
import { APIError } from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_FIRST_POLL_MS, pollDelayMs, runBatch, type BatchOptions, type BatchRequest } from "../../../loaders/llm/batch.js";
import { cacheKey, ResponseCache } from "../../../loaders/llm/cache.js";
import { makeClient } from "../../../loaders/llm/chat.js";
import { startSimulatedServer, type Fault, type FaultContext, type SimulatedServer } from "../../../loaders/simulate/server.js";

const root = mkdtempSync(join(tmpdir(), "mca-batch-"));
let server: SimulatedServer;
let fault: ((ctx: FaultContext) => Fault | undefined) | undefined;

beforeAll(async () => {
  server = await startSimulatedServer({ world: { truths: {}, topics: new Map(), profiles: {}, refusal: 0, englishDrift: 0 }, fault: (ctx) => fault?.(ctx) });
});
afterAll(async () => {
  await server.close();
  rmSync(root, { recursive: true, force: true });
});
afterEach(() => {
  fault = undefined;
  vi.restoreAllMocks();
});

let n = 0;
/** A fresh cache, state path and set of requests (prompts no earlier test sent). */
function setup(count: number) {
  const id = ++n;
  const requests: BatchRequest[] = Array.from({ length: count }, (_, i) => {
    const body = { model: "model-a", messages: [{ role: "user", content: `Test ${id}, prompt ${i}: say something.` }] };
    return { key: cacheKey(body), body };
  });
  return { requests, cache: new ResponseCache(join(root, `cache-${id}`)), statePath: join(root, `run-${id}`, "batches", "generate.json") };
}

const client = (): OpenAI => makeClient({ model: "model-a", baseURL: server.url, apiKeyEnv: "UNUSED" }, { timeoutMs: 5000, apiKey: "test" });
const numbered = (_key: string, c: ChatCompletion) => /^1\. /m.test(c.choices[0]?.message.content ?? "");
const noSleep = async () => {};
const options = (s: ReturnType<typeof setup>, extra: Partial<BatchOptions> = {}): BatchOptions => ({
  client: client(),
  cache: s.cache,
  statePath: s.statePath,
  validate: numbered,
  sleep: noSleep,
  ...extra,
});
const readState = (path: string) => JSON.parse(readFileSync(path, "utf8"));

/** The tokens the cached answers of these requests report. */
function cachedUsage(s: ReturnType<typeof setup>) {
  const usage = { input: 0, output: 0 };
  for (const r of s.requests) {
    const c = s.cache.get<ChatCompletion>(r.key)!;
    usage.input += c.usage!.prompt_tokens;
    usage.output += c.usage!.completion_tokens;
  }
  return usage;
}

describe("runBatch", () => {
  it("fills the cache from one batch and reports the requests sent and the tokens used", async () => {
    const s = setup(5);
    const chatBefore = server.stats.chat;
    const delays: number[] = [];
    const out = await runBatch(s.requests, options(s, { sleep: async (ms) => void delays.push(ms) }));
    expect(out).toMatchObject({ sent: 5, resumed: false, cached: 5, failed: 0, status: "completed" });
    expect(out.batchId).toMatch(/^batch_/);
    expect(server.stats.chat).toBe(chatBefore); // nothing asked one by one
    for (const r of s.requests) expect(numbered(r.key, s.cache.get<ChatCompletion>(r.key)!)).toBe(true);
    expect(out.usage).toEqual(cachedUsage(s));
    expect(out.usage.input).toBeGreaterThan(0);
    expect(out.usage.output).toBeGreaterThan(0);
    // The simulated batch completes on the second poll: one short wait, not the 15 s maximum.
    expect(delays).toEqual([DEFAULT_FIRST_POLL_MS]);
    const state = readState(s.statePath);
    expect(state).toMatchObject({
      batchId: out.batchId,
      status: "done",
      keys: s.requests.map((r) => r.key),
      outcome: { status: "completed", cached: 5, failed: 0, usage: out.usage },
    });
  });

  it("sends only what is not cached, and nothing when everything is", async () => {
    const s = setup(4);
    const first = await runBatch(s.requests.slice(0, 2), options(s));
    expect(first).toMatchObject({ sent: 2, cached: 2 });
    const opts = options(s);
    const create = vi.spyOn(opts.client.batches, "create");
    const second = await runBatch(s.requests, opts);
    expect(second).toMatchObject({ sent: 2, cached: 2, resumed: false });
    expect(second.batchId).not.toBe(first.batchId);
    expect(readState(s.statePath).keys).toEqual(s.requests.slice(2).map((r) => r.key));
    const third = await runBatch(s.requests, opts);
    expect(third).toEqual({ batchId: null, sent: 0, resumed: false, cached: 0, failed: 0, usage: { input: 0, output: 0 }, status: null });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("resumes the saved batch after a run abandoned mid-poll, instead of submitting a second one", async () => {
    const s = setup(3);
    const killed = new Error("killed while waiting");
    const firstRun = options(s, {
      sleep: async () => {
        throw killed;
      },
    });
    const firstCreate = vi.spyOn(firstRun.client.batches, "create");
    await expect(runBatch(s.requests, firstRun)).rejects.toBe(killed);
    expect(firstCreate).toHaveBeenCalledTimes(1);
    const saved = readState(s.statePath);
    expect(saved.batchId).toMatch(/^batch_/);
    expect(saved.status).toBeUndefined();
    for (const r of s.requests) expect(s.cache.has(r.key)).toBe(false);

    // A new process: a new client, a new cache object on the same folder.
    const restarted = options(s, { cache: new ResponseCache(s.cache.dir) });
    const create = vi.spyOn(restarted.client.batches, "create");
    const upload = vi.spyOn(restarted.client.files, "create");
    const logs: string[] = [];
    const out = await runBatch(s.requests, { ...restarted, log: (line) => logs.push(line) });
    expect(create).not.toHaveBeenCalled();
    expect(upload).not.toHaveBeenCalled();
    expect(out).toMatchObject({ batchId: saved.batchId, resumed: true, sent: 3, cached: 3, failed: 0 });
    expect(out.usage.input).toBeGreaterThan(0);
    expect(logs[0]).toMatch(new RegExp(`batch ${saved.batchId}: resuming`));
    for (const r of s.requests) expect(restarted.cache.has(r.key)).toBe(true);
    expect(readState(s.statePath)).toMatchObject({ batchId: saved.batchId, status: "done" });
  });

  it("submits afresh when the provider no longer knows the saved batch", async () => {
    const s = setup(2);
    mkdirSync(dirname(s.statePath), { recursive: true });
    writeFileSync(
      s.statePath,
      JSON.stringify({ batchId: "batch_unknown", inputFileId: "file-x", keys: s.requests.map((r) => r.key), submittedAt: "2026-01-01T00:00:00Z" }),
    );
    const out = await runBatch(s.requests, options(s));
    expect(out.batchId).not.toBe("batch_unknown");
    expect(out).toMatchObject({ sent: 2, cached: 2, resumed: false });
  });

  it("leaves invalid answers for the one-by-one path, but counts their tokens", async () => {
    const s = setup(4);
    const bad = s.requests[1]!.key;
    fault = ({ body }) => (cacheKey(body) === bad ? { content: "Sorry, I cannot help." } : undefined);
    const out = await runBatch(s.requests, options(s));
    expect(out).toMatchObject({ sent: 4, cached: 3, failed: 1 });
    expect(s.cache.has(bad)).toBe(false);
    const good = s.requests.filter((r) => r.key !== bad);
    const goodInput = good.reduce((a, r) => a + s.cache.get<ChatCompletion>(r.key)!.usage!.prompt_tokens, 0);
    expect(out.usage.input).toBeGreaterThan(goodInput); // the invalid answer's prompt was billed too
  });

  it("counts a request that got an error line as failed", async () => {
    const s = setup(3);
    const bad = s.requests[0]!.key;
    fault = ({ body }) => (cacheKey(body) === bad ? { status: 500 } : undefined);
    const out = await runBatch(s.requests, options(s));
    expect(out).toMatchObject({ sent: 3, cached: 2, failed: 1 });
  });

  it("retries a transient error while polling when given retry options", async () => {
    const s = setup(2);
    const opts = options(s, { retry: { retries: 2, sleep: noSleep } });
    const real = opts.client.batches.retrieve.bind(opts.client.batches);
    let calls = 0;
    vi.spyOn(opts.client.batches, "retrieve").mockImplementation(((...args: Parameters<typeof real>) => {
      if (calls++ === 0) return Promise.reject(APIError.generate(503, { message: "busy" }, undefined, new Headers()));
      return real(...args);
    }) as typeof real);
    const out = await runBatch(s.requests, opts);
    expect(out).toMatchObject({ sent: 2, cached: 2 });
  });

  it("refuses to guess when the state file is unreadable", async () => {
    const s = setup(1);
    mkdirSync(dirname(s.statePath), { recursive: true });
    writeFileSync(s.statePath, '{"batchId": "batch_');
    const opts = options(s);
    const create = vi.spyOn(opts.client.batches, "create");
    await expect(runBatch(s.requests, opts)).rejects.toThrow(/cannot be read/);
    expect(create).not.toHaveBeenCalled();
    expect(existsSync(s.statePath)).toBe(true);
  });
});

describe("pollDelayMs", () => {
  it("starts short and doubles up to the configured maximum", () => {
    expect(Array.from({ length: 7 }, (_, i) => pollDelayMs(i, 15_000, 1000))).toEqual([1000, 2000, 4000, 8000, 15_000, 15_000, 15_000]);
    expect(Array.from({ length: 3 }, (_, i) => pollDelayMs(i))).toEqual([1000, 2000, 4000]);
    expect(Array.from({ length: 3 }, (_, i) => pollDelayMs(i, 60_000, 5000))).toEqual([5000, 10_000, 20_000]);
  });

  it("never waits longer than the maximum, even when it is below the first wait", () => {
    expect(pollDelayMs(0, 1)).toBe(1);
    expect(pollDelayMs(10, 1)).toBe(1);
  });
});
