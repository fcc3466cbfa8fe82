/**
 * Retries: the server's Retry-After (seconds, HTTP date) and retry-after-ms headers,
 * which errors are retried and which fail at once, the bound on attempts, and an
 * invalid answer asked again. Delays are read through the injected sleep, so no test
 * waits for real; the last tests go through the real openai SDK to the simulated server.
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { APIConnectionError, APIConnectionTimeoutError, APIError } from "openai";
import type { ChatCompletion } from "openai/resources/chat/completions";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { ResponseCache } from "../../../loaders/llm/cache.js";
import { cachedChat, makeClient, type Endpoint } from "../../../loaders/llm/chat.js";
import { InvalidAnswerError, isRetryable, retryAfterMs, withRetries } from "../../../loaders/llm/retry.js";
import { startSimulatedServer, type Fault, type FaultContext, type SimulatedServer } from "../../../loaders/simulate/server.js";

const httpError = (status: number, headers: Record<string, string> = {}) =>
  APIError.generate(status, { message: `HTTP ${status}` }, undefined, new Headers(headers));

/** A sleep that records the delays it was asked for and returns at once. */
function recordingSleep(): { sleep: (ms: number) => Promise<void>; delays: number[] } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

/** A function that throws the given errors in turn, then answers "ok". */
function failingThen(errors: unknown[]): { fn: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    calls: () => calls,
    fn: async () => {
      const error = errors[calls++];
      if (error !== undefined) throw error;
      return "ok";
    },
  };
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe("retryAfterMs", () => {
  it("reads Retry-After in seconds, whole or fractional", () => {
    expect(retryAfterMs(httpError(429, { "retry-after": "7" }))).toBe(7000);
    expect(retryAfterMs(httpError(503, { "retry-after": " 1.5 " }))).toBe(1500);
  });

  it("prefers retry-after-ms to Retry-After", () => {
    expect(retryAfterMs(httpError(429, { "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
    expect(retryAfterMs(httpError(429, { "retry-after-ms": "-5" }))).toBe(0);
  });

  it("reads Retry-After as an HTTP date, relative to now, never negative", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    expect(retryAfterMs(httpError(429, { "retry-after": "Sun, 01 Mar 2026 12:00:30 GMT" }))).toBe(30_000);
    expect(retryAfterMs(httpError(429, { "retry-after": "Sun, 01 Mar 2026 11:59:00 GMT" }))).toBe(0);
  });

  it("reads headers given as a plain object too (older SDKs)", () => {
    const error = Object.assign(httpError(429), { headers: { "retry-after": "3" } });
    expect(retryAfterMs(error)).toBe(3000);
  });

  it("is null without a usable header, or for an error that is not an API error", () => {
    expect(retryAfterMs(httpError(429))).toBeNull();
    expect(retryAfterMs(httpError(429, { "retry-after": "soon" }))).toBeNull();
    expect(retryAfterMs(new Error("boom"))).toBeNull();
  });
});

describe("withRetries", () => {
  it("waits as long as Retry-After, retry-after-ms or the HTTP date ask", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-03-01T12:00:00Z"));
    const { sleep, delays } = recordingSleep();
    const { fn, calls } = failingThen([
      httpError(429, { "retry-after": "2" }),
      httpError(503, { "retry-after-ms": "150" }),
      httpError(429, { "retry-after": "Sun, 01 Mar 2026 12:00:04 GMT" }),
    ]);
    await expect(withRetries(fn, { retries: 5, sleep })).resolves.toBe("ok");
    expect(calls()).toBe(4);
    expect(delays).toEqual([2000, 150, 4000]);
  });

  it("caps a requested delay at maxDelayMs", async () => {
    const { sleep, delays } = recordingSleep();
    const { fn } = failingThen([httpError(429, { "retry-after": "600" })]);
    await withRetries(fn, { retries: 1, maxDelayMs: 5000, sleep });
    expect(delays).toEqual([5000]);
  });

  it("backs off exponentially with jitter when the server asks for nothing", async () => {
    vi.spyOn(Math, "random").mockReturnValue(1); // the top of the jitter range
    const { sleep, delays } = recordingSleep();
    const { fn } = failingThen([httpError(500), httpError(500), httpError(500), httpError(500)]);
    await withRetries(fn, { retries: 4, baseDelayMs: 100, maxDelayMs: 500, sleep });
    expect(delays).toEqual([100, 200, 400, 500]);
  });

  it("retries rate limits, server errors, timeouts and lost connections", async () => {
    for (const error of [
      httpError(429),
      httpError(500),
      httpError(502),
      httpError(503),
      httpError(408),
      new APIConnectionTimeoutError(),
      new APIConnectionError({ message: "reset" }),
    ]) {
      const { sleep } = recordingSleep();
      const { fn, calls } = failingThen([error]);
      await expect(withRetries(fn, { retries: 2, sleep })).resolves.toBe("ok");
      expect(calls()).toBe(2);
    }
  });

  it("fails at once on a request the server will never accept", async () => {
    for (const status of [400, 401, 403, 404, 422]) {
      const { sleep, delays } = recordingSleep();
      const { fn, calls } = failingThen([httpError(status)]);
      await expect(withRetries(fn, { retries: 3, sleep })).rejects.toMatchObject({ status });
      expect(calls()).toBe(1);
      expect(delays).toEqual([]);
    }
    expect(isRetryable(new Error("a bug"))).toBe(false);
  });

  it("gives up after `retries` retries and throws the last error", async () => {
    const { sleep, delays } = recordingSleep();
    const onRetry = vi.fn();
    const errors = Array.from({ length: 10 }, (_, i) => httpError(500, { "retry-after-ms": String(i) }));
    const { fn, calls } = failingThen(errors);
    await expect(withRetries(fn, { retries: 3, sleep, onRetry })).rejects.toBe(errors[3]);
    expect(calls()).toBe(4);
    expect(delays).toEqual([0, 1, 2]);
    expect(onRetry.mock.calls.map(([info]) => info)).toEqual([
      { attempt: 1, delayMs: 0, reason: "HTTP 500" },
      { attempt: 2, delayMs: 1, reason: "HTTP 500" },
      { attempt: 3, delayMs: 2, reason: "HTTP 500" },
    ]);
  });

  it("asks again after an invalid answer and takes the valid second one", async () => {
    const { sleep } = recordingSleep();
    const answers = ["not a list", "1. a valid answer"];
    const seen: number[] = [];
    const value = await withRetries(
      async (attempt) => {
        seen.push(attempt);
        const text = answers[attempt]!;
        if (!text.startsWith("1.")) throw new InvalidAnswerError("not a numbered list", text);
        return text;
      },
      { retries: 2, sleep },
    );
    expect(value).toBe("1. a valid answer");
    expect(seen).toEqual([0, 1]);
  });
});

describe("cachedChat through the openai SDK and the simulated server", () => {
  let server: SimulatedServer;
  let fault: ((ctx: FaultContext) => Fault | undefined) | undefined;
  const dir = mkdtempSync(join(tmpdir(), "mca-retry-"));
  const endpoint = (): Endpoint => ({ model: "model-a", baseURL: server.url, apiKeyEnv: "UNUSED" });
  const numbered = (c: ChatCompletion): string => {
    const text = c.choices[0]?.message.content ?? "";
    if (!/^1\. /m.test(text)) throw new InvalidAnswerError("not a numbered list", text);
    return text;
  };
  let n = 0;
  /** A call with a fresh prompt (so the cache and the server's attempt counter start empty). */
  const call = (options: { timeoutMs?: number; retries?: number; sleep?: (ms: number) => Promise<void> } = {}) => {
    const cache = new ResponseCache(join(dir, `cache-${++n}`));
    const run = cachedChat({
      client: makeClient(endpoint(), { timeoutMs: options.timeoutMs ?? 5000, apiKey: "test" }),
      endpoint: endpoint(),
      body: { messages: [{ role: "user", content: `Prompt ${n}` }] },
      parse: numbered,
      cache,
      retry: { retries: options.retries ?? 2, sleep: options.sleep ?? recordingSleep().sleep },
    });
    return { run, cache };
  };
  const entries = (cache: ResponseCache) => {
    try {
      return readdirSync(cache.dir, { recursive: true }).filter((f) => String(f).endsWith(".json"));
    } catch {
      return [];
    }
  };

  beforeAll(async () => {
    server = await startSimulatedServer({ world: { truths: {}, topics: new Map(), profiles: {}, refusal: 0, englishDrift: 0 }, fault: (ctx) => fault?.(ctx) });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => {
    fault = undefined;
  });

  it("honours the headers of a real 429 response", async () => {
    const { sleep, delays } = recordingSleep();
    const faults: Fault[] = [
      { status: 429, headers: { "retry-after": "3" } },
      { status: 429, headers: { "retry-after-ms": "40" } },
    ];
    fault = ({ attempt }) => faults[attempt];
    const { run } = call({ sleep, retries: 3 });
    const out = await run;
    expect(out.attempts).toBe(3);
    expect(delays).toEqual([3000, 40]);
  });

  it("retries a timeout", async () => {
    fault = ({ attempt }) => (attempt === 0 ? { delayMs: 1500 } : undefined);
    const { run } = call({ timeoutMs: 300 });
    expect((await run).attempts).toBe(2);
  });

  it("does not retry a 401, and caches nothing", async () => {
    fault = () => ({ status: 401 });
    const before = server.stats.chat;
    const { run, cache } = call({ retries: 3 });
    await expect(run).rejects.toMatchObject({ status: 401 });
    expect(server.stats.chat - before).toBe(1);
    expect(entries(cache)).toEqual([]);
  });

  it("asks again after an invalid answer, caches only the valid one", async () => {
    fault = ({ attempt }) => (attempt === 0 ? { content: "Sorry, I cannot." } : undefined);
    const { run, cache } = call();
    const out = await run;
    expect(out.attempts).toBe(2);
    expect(out.value).toMatch(/^1\. /m);
    expect(entries(cache)).toHaveLength(1);
  });

  it("caches nothing when every answer is invalid", async () => {
    fault = () => ({ content: "Sorry, I cannot." });
    const { run, cache } = call({ retries: 2 });
    await expect(run).rejects.toBeInstanceOf(InvalidAnswerError);
    expect(entries(cache)).toEqual([]);
  });
});
